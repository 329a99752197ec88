import { HASH_FORMAT_VERSION } from "../constants";
import { sha256Hex } from "./sha256";

/** An upstream input of a node, as it enters the hash. */
export interface UpstreamPart {
  readonly input: string;
  readonly hash: string;
  readonly field: string;
}

/**
 * `H(format version, fingerprint, canonical(arguments), canonical(literal inputs), sorted [(input, hash(parent),
 * output field)])`, hex SHA-256. Node names never enter it. `upstream` must be sorted by input field.
 */
export function topologicalHash(
  fingerprintHash: string,
  canonicalArguments: string,
  canonicalInputs: string,
  upstream: readonly UpstreamPart[],
): string {
  let text = `moirae/${HASH_FORMAT_VERSION}\n${fingerprintHash}\n${canonicalArguments}\n${canonicalInputs}\n`;
  for (const part of upstream) text += `${part.input.length}:${part.input}=${part.hash}.${part.field}\n`;
  return sha256Hex(text);
}
