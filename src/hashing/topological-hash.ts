import { HASH_FORMAT_VERSION } from "../constants";
import { sha256Hex } from "./sha256";

/** The hash text's opening, shared by every node of a class: the format version and the class fingerprint. */
export function hashPrefix(fingerprintHash: string): string {
  return `moirae/${HASH_FORMAT_VERSION}\n${fingerprintHash}\n`;
}

/** The hash text's line for one referenced input: input field ← output field `field` of a parent hashed `hash`. */
export function upstreamLine(input: string, hash: string, field: string): string {
  return `${input.length}:${input}=${hash}.${field}\n`;
}

/**
 * `H(format version, fingerprint, canonical(arguments), canonical(literal inputs), sorted [(input, hash(parent),
 * output field)])`, hex SHA-256, in one digest over one string. Node names never enter it.
 *
 * @param prefix `hashPrefix` of the node's class.
 * @param upstream the `upstreamLine`s of the referenced inputs, sorted by input field, joined ("" when none).
 */
export function topologicalHash(
  prefix: string,
  canonicalArguments: string,
  canonicalInputs: string,
  upstream: string,
): string {
  return sha256Hex(`${prefix}${canonicalArguments}\n${canonicalInputs}\n${upstream}`);
}
