import * as crypto from "node:crypto";

/** One-shot `crypto.hash` (Node ≥ 20.12, about 3× faster on short texts), else `createHash`; same digest. */
const digestHex: (text: string) => string =
  typeof crypto.hash === "function"
    ? (text) => crypto.hash("sha256", text, "hex")
    : (text) => crypto.createHash("sha256").update(text, "utf8").digest("hex");

/**
 * Returns the lowercase hex SHA-256 digest of the UTF-8 encoding of `text`.
 *
 * UTF-8 turns every lone surrogate into U+FFFD, so two ill-formed strings can share a digest;
 * `canonicalEncode` never returns one (it escapes ill-formed strings), so its texts hash without loss.
 *
 * @example sha256Hex("abc") // "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
 */
export function sha256Hex(text: string): string {
  return digestHex(text);
}
