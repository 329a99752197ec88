import * as crypto from "node:crypto";

/**
 * Returns the lowercase hex SHA-256 digest of the UTF-8 encoding of `text`.
 *
 * UTF-8 turns every lone surrogate into U+FFFD, so two ill-formed strings can share a digest;
 * `canonicalEncode` never returns one (it escapes ill-formed strings), so its texts hash without loss.
 *
 * @example sha256Hex("abc") // "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
 */
export function sha256Hex(text: string): string {
  return crypto.hash("sha256", text, "hex"); // one-shot (Node ≥ 20.12): about 3× faster than createHash on short texts
}
