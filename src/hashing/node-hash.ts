import { HASH_FORMAT_VERSION } from "../constants";
import type { NodeMetadata } from "../metadata/types";
import { fingerprintOf } from "./fingerprint";
import type { HashComponents, UpstreamComponent } from "./hash-components";
import { hashHead, topologicalHash } from "./topological-hash";

/**
 * Computes the topological hashes of the nodes of one build (parents first), each from its canonical texts: one
 * SHA-256 digest per node. The head of the text is made once for a run of nodes of one class and arguments.
 */
export class NodeHasher {
  private meta: NodeMetadata | undefined;
  private fingerprintHash = "";
  private canonicalArgs: string | undefined;
  private head = "";

  /**
   * The hash of a node of class `meta`.
   *
   * @param upstream the lines of its referenced inputs, as `topologicalHash` takes them.
   */
  hash(meta: NodeMetadata, canonicalArgs: string, canonicalInputs: string, upstream: string): string {
    if (meta !== this.meta || canonicalArgs !== this.canonicalArgs) {
      if (meta !== this.meta) this.fingerprintHash = fingerprintOf(meta).hash;
      this.meta = meta;
      this.canonicalArgs = canonicalArgs;
      this.head = hashHead(this.fingerprintHash, canonicalArgs);
    }
    return topologicalHash(this.head, canonicalInputs, upstream);
  }
}

/** The parts a node's hash was computed from (see `explainHash`). */
export function hashComponents(
  meta: NodeMetadata,
  args: Readonly<Record<string, unknown>>,
  inputs: Readonly<Record<string, unknown>>,
  upstream: Readonly<Record<string, UpstreamComponent>>,
): HashComponents {
  const { fingerprint, hash: fingerprintHash } = fingerprintOf(meta);
  return Object.freeze({
    formatVersion: HASH_FORMAT_VERSION,
    fingerprint,
    fingerprintHash,
    arguments: args,
    inputs,
    upstream: Object.freeze(upstream),
  });
}
