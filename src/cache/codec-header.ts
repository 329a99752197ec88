import { CACHE_FORMAT_VERSION } from "../constants";
import { crc32 } from "./crc32";

/**
 * The header `Codec` writes before every encoded output (integers big-endian):
 *
 * | bytes  | content                                                        |
 * |--------|----------------------------------------------------------------|
 * | 0–3    | magic `MOCD` (4d 4f 43 44)                                     |
 * | 4      | format version, `CACHE_FORMAT_VERSION`                         |
 * | 5–7    | reserved, zero                                                 |
 * | 8–11   | payload length, uint32                                         |
 * | 12–15  | CRC-32 (IEEE, as zlib) of the payload                          |
 * | 16–47  | the node's fingerprint hash: the 32 bytes its 64 hex digits spell |
 * | 48–    | payload (msgpack), exactly `length` bytes, nothing after it    |
 *
 * The fingerprint makes bytes written for another node class or schema unreadable; the length and checksum make
 * truncated or corrupt bytes unreadable, whichever provider stored them.
 */
export const CODEC_MAGIC = Buffer.from("MOCD", "latin1");
export const CODEC_HEADER_BYTES = 48;
export const CODEC_MAX_PAYLOAD_BYTES = 0xffff_ffff;

const FINGERPRINT = /^[0-9a-f]{64}$/;

/** Why `fingerprint` is not a fingerprint hash (64 lowercase hex digits), or undefined when it is one. */
export function fingerprintProblem(fingerprint: unknown): string | undefined {
  if (typeof fingerprint === "string" && FINGERPRINT.test(fingerprint)) return undefined;
  const shown = typeof fingerprint === "string" ? JSON.stringify(fingerprint) : String(fingerprint);
  return (
    `the fingerprint ${shown.length > 80 ? `${shown.slice(0, 77)}…` : shown} is not a fingerprint hash ` +
    "(64 lowercase hexadecimal digits, as the graph computes them)"
  );
}

/** The header followed by `payload`, in a new buffer of its own. The fingerprint must be valid. */
export function frameEntry(fingerprint: string, payload: Uint8Array): Uint8Array {
  const length = payload.byteLength;
  const entry = new Uint8Array(CODEC_HEADER_BYTES + length);
  entry.set(CODEC_MAGIC, 0);
  entry[4] = CACHE_FORMAT_VERSION;
  writeUint32(entry, 8, length);
  writeUint32(entry, 12, crc32(payload));
  entry.set(fingerprintBytes(fingerprint), 16);
  entry.set(payload, CODEC_HEADER_BYTES);
  return entry;
}

/** The payload of an entry (a Buffer viewing `bytes`), or why `bytes` are not an entry for `fingerprint`. */
export type ReadEntry =
  | { readonly ok: true; readonly payload: Buffer }
  | { readonly ok: false; readonly reason: string };

/** Checks magic, format version, fingerprint, length and checksum, in that order. */
export function readEntry(bytes: Uint8Array, fingerprint: string): ReadEntry {
  const size = bytes.byteLength;
  for (let i = 0; i < CODEC_MAGIC.length && i < size; i++) {
    if (bytes[i] !== CODEC_MAGIC[i]) {
      return { ok: false, reason: "the bytes are not a moirae cache entry (they do not start with MOCD)" };
    }
  }
  if (size <= 4) return truncated(size);
  if (bytes[4] !== CACHE_FORMAT_VERSION) {
    return {
      ok: false,
      reason: `the entry has format version ${bytes[4]}, expected ${CACHE_FORMAT_VERSION} (written by another moirae version)`,
    };
  }
  if (size < CODEC_HEADER_BYTES) return truncated(size);
  if (bytes[5] !== 0 || bytes[6] !== 0 || bytes[7] !== 0) {
    return { ok: false, reason: "the header's reserved bytes are not zero" };
  }
  const expected = fingerprintBytes(fingerprint);
  for (let i = 0; i < 32; i++) {
    if (bytes[16 + i] !== expected[i]) {
      const stored = Buffer.from(bytes.buffer, bytes.byteOffset + 16, 32).toString("hex");
      return {
        ok: false,
        reason:
          `the entry was written by another node class or schema (fingerprint ${stored.slice(0, 12)}…, ` +
          `expected ${fingerprint.slice(0, 12)}…)`,
      };
    }
  }
  const length = readUint32(bytes, 8);
  const actual = size - CODEC_HEADER_BYTES;
  if (actual < length) {
    return { ok: false, reason: `the entry is truncated (${actual} of ${length} payload bytes)` };
  }
  if (actual > length) {
    return {
      ok: false,
      reason: `the entry has ${actual - length} unexpected bytes after its ${length}-byte payload`,
    };
  }
  const payload = Buffer.from(bytes.buffer, bytes.byteOffset + CODEC_HEADER_BYTES, length);
  if (crc32(payload) !== readUint32(bytes, 12)) {
    return { ok: false, reason: "the payload does not match its CRC-32 checksum (the entry is corrupt)" };
  }
  return { ok: true, payload };
}

function truncated(bytes: number): ReadEntry {
  return {
    ok: false,
    reason: `the entry is truncated (${bytes} ${bytes === 1 ? "byte" : "bytes"}, fewer than the ${CODEC_HEADER_BYTES}-byte header)`,
  };
}

/** Fingerprints seen recently → their 32 bytes; a run has one per node class, so this stays small. */
const fingerprintCache = new Map<string, Uint8Array>();
const FINGERPRINT_CACHE_SIZE = 4096;

function fingerprintBytes(fingerprint: string): Uint8Array {
  let bytes = fingerprintCache.get(fingerprint);
  if (bytes === undefined) {
    if (fingerprintCache.size >= FINGERPRINT_CACHE_SIZE) fingerprintCache.clear();
    bytes = Uint8Array.from(Buffer.from(fingerprint, "hex"));
    fingerprintCache.set(fingerprint, bytes);
  }
  return bytes;
}

function writeUint32(target: Uint8Array, offset: number, value: number): void {
  target[offset] = value >>> 24;
  target[offset + 1] = value >>> 16;
  target[offset + 2] = value >>> 8;
  target[offset + 3] = value;
}

function readUint32(source: Uint8Array, offset: number): number {
  return (
    (source[offset]! * 0x1000000 +
      ((source[offset + 1]! << 16) | (source[offset + 2]! << 8) | source[offset + 3]!)) >>>
    0
  );
}
