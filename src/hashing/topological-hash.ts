import { HASH_FORMAT_VERSION } from "../constants";
import { sha256Hex } from "./sha256";

/*
 * A node's hash is the SHA-256 of one text:
 *
 *   moirae/<format version>\n<fingerprint hash>\n<canonical arguments>\n<canonical literal inputs>\n
 *   then per referenced input, sorted by input field: <input length>:<input>=<parent's hash>.<output field>\n
 *
 * The functions below write its parts, so that a builder can keep the parts many nodes share.
 */

/** The text's head, shared by the nodes of a class given the same arguments. */
export function hashHead(fingerprintHash: string, canonicalArguments: string): string {
  return `moirae/${HASH_FORMAT_VERSION}\n${fingerprintHash}\n${canonicalArguments}\n`;
}

/** The start of a referenced input's line, up to the parent's hash. */
export function upstreamLineStart(input: string): string {
  return `${input.length}:${input}=`;
}

/** The end of a referenced input's line, after the parent's hash: the output field it takes. */
export function upstreamLineEnd(field: string): string {
  return `.${field}\n`;
}

/**
 * `H(format version, fingerprint, canonical(arguments), canonical(literal inputs), sorted [(input, hash(parent),
 * output field)])`, hex SHA-256, in one digest. Node names never enter it.
 *
 * @param head `hashHead` of the node's class and arguments.
 * @param upstream the lines of the referenced inputs (`upstreamLineStart(input) + parent's hash +
 *   upstreamLineEnd(field)`), sorted by input field, joined ("" when none).
 */
export function topologicalHash(head: string, canonicalInputs: string, upstream: string): string {
  return sha256Hex(`${head}${canonicalInputs}\n${upstream}`);
}
