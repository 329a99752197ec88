import { HASH_FORMAT_VERSION } from "../constants";
import type { NodeMetadata } from "../metadata/types";
import { fingerprintOf } from "./fingerprint";
import type { HashComponents, UpstreamComponent } from "./hash-components";
import { hashPrefix, topologicalHash } from "./topological-hash";

/**
 * Computes the topological hashes of the nodes of one build (parents first), each from its canonical texts: one
 * SHA-256 digest per node; the fingerprint of a class is looked up once for a run of nodes of that class.
 */
export class NodeHasher {
  private meta: NodeMetadata | undefined;
  private prefix = "";

  /**
   * The hash of a node of class `meta`.
   *
   * @param upstream the `upstreamLine`s of its referenced inputs, sorted by input field, joined.
   */
  hash(meta: NodeMetadata, canonicalArgs: string, canonicalInputs: string, upstream: string): string {
    if (meta !== this.meta) {
      this.prefix = hashPrefix(fingerprintOf(meta).hash);
      this.meta = meta;
    }
    return topologicalHash(this.prefix, canonicalArgs, canonicalInputs, upstream);
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
