import { HASH_FORMAT_VERSION } from "../constants";
import type { NodeMetadata } from "../metadata/types";
import { fingerprintOf } from "./fingerprint";
import type { HashComponents, UpstreamComponent } from "./hash-components";
import { topologicalHash } from "./topological-hash";

/** What one node's hash is computed from, its canonical texts already encoded. */
export interface NodeHashParts {
  readonly meta: NodeMetadata;
  /** Resolved arguments and their canonical text. */
  readonly args: Readonly<Record<string, unknown>>;
  readonly canonicalArgs: string;
  /** Literal inputs (frozen by the caller) and their canonical text. */
  readonly inputs: Readonly<Record<string, unknown>>;
  readonly canonicalInputs: string;
  /** Referenced inputs, sorted by input field, with their parents' hashes. */
  readonly upstream: readonly UpstreamEdge[];
}

/** A referenced input: input field ← output field `field` of node `node`, whose hash is `hash`. */
export interface UpstreamEdge extends UpstreamComponent {
  readonly input: string;
}

/** The topological hash of one node (its parents are hashed already) and the components it came from. */
export function hashNode(parts: NodeHashParts): { hash: string; components: HashComponents } {
  const { fingerprint, hash: fingerprintHash } = fingerprintOf(parts.meta);
  const upstreamByInput: Record<string, UpstreamComponent> = {};
  for (const edge of parts.upstream) {
    upstreamByInput[edge.input] = { node: edge.node, field: edge.field, hash: edge.hash };
  }
  return {
    hash: topologicalHash(fingerprintHash, parts.canonicalArgs, parts.canonicalInputs, parts.upstream),
    components: Object.freeze({
      formatVersion: HASH_FORMAT_VERSION,
      fingerprint,
      fingerprintHash,
      arguments: parts.args,
      inputs: parts.inputs,
      upstream: Object.freeze(upstreamByInput),
    }),
  };
}
