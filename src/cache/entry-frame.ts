import * as zlib from "node:zlib";
import { CACHE_FORMAT_VERSION } from "../constants";
import { isHexHash } from "../util/hex-hash";

/**
 * The one frame around every cache entry (integers big-endian). `Codec` writes it around each encoded output,
 * and a provider stores those bytes as they are; `FileCacheProvider` frames other bytes it is given itself.
 *
 * | bytes  | content                                                                  |
 * |--------|--------------------------------------------------------------------------|
 * | 0–3    | magic `MOIR` (4d 4f 49 52)                                               |
 * | 4      | format version, `CACHE_FORMAT_VERSION`                                   |
 * | 5      | kind: 0 = an encoded output (`Codec`), 1 = other bytes a provider framed |
 * | 6–7    | reserved, zero                                                           |
 * | 8–11   | payload length, uint32                                                   |
 * | 12–15  | CRC-32 (IEEE, as zlib) of the payload                                    |
 * | 16–47  | the node hash (the cache key): the 32 bytes its 64 hex digits spell      |
 * | 48–    | payload, exactly `length` bytes, nothing after it                        |
 *
 * The hash makes an entry read under any other key (another node's inputs, arguments or class, or a file copied
 * to another key's path) unreadable; the length and checksum make truncated or corrupt bytes unreadable.
 */
export const FRAME_MAGIC = Buffer.from("MOIR", "latin1");
export const FRAME_HEADER_BYTES = 48;
export const FRAME_MAX_PAYLOAD_BYTES = 0xffff_ffff;
/** Frame kind of an encoded output. */
export const OUTPUT_ENTRY = 0;
/** Frame kind of bytes a provider framed itself (not an encoded output). */
export const RAW_ENTRY = 1;
export type FrameKind = typeof OUTPUT_ENTRY | typeof RAW_ENTRY;

/** Why `hash` is not a node hash (64 lowercase hex digits), or undefined when it is one. */
export function hashProblem(hash: unknown): string | undefined {
  if (isHexHash(hash)) return undefined;
  const shown = typeof hash === "string" ? JSON.stringify(hash) : String(hash);
  return (
    `the hash ${shown.length > 80 ? `${shown.slice(0, 77)}…` : shown} is not a node hash ` +
    "(64 lowercase hexadecimal digits, as graph.hashOf(node) returns them)"
  );
}

/** The 48-byte header for `payload` under `hash` (a valid node hash; the payload at most 4 GiB − 1). */
export function frameHeader(hash: string, payload: Uint8Array, kind: FrameKind): Buffer {
  const header = Buffer.alloc(FRAME_HEADER_BYTES);
  writeHeader(header, hash, payload, kind);
  return header;
}

/** The header followed by `payload`, in one new Uint8Array. */
export function frameEntry(hash: string, payload: Uint8Array, kind: FrameKind): Uint8Array {
  const entry = new Uint8Array(FRAME_HEADER_BYTES + payload.byteLength);
  writeHeader(Buffer.from(entry.buffer, 0, FRAME_HEADER_BYTES), hash, payload, kind);
  entry.set(payload, FRAME_HEADER_BYTES);
  return entry;
}

function writeHeader(target: Buffer, hash: string, payload: Uint8Array, kind: FrameKind): void {
  FRAME_MAGIC.copy(target, 0);
  target[4] = CACHE_FORMAT_VERSION;
  target[5] = kind;
  target[6] = 0;
  target[7] = 0;
  target.writeUInt32BE(payload.byteLength, 8);
  target.writeUInt32BE(zlib.crc32(payload), 12);
  target.write(hash, 16, 32, "hex");
}

/** The payload of an entry (a view of its bytes, not a copy) and its kind, or why the bytes are not an entry for the hash. */
export type ReadEntry =
  | { readonly ok: true; readonly kind: FrameKind; readonly payload: Buffer }
  | { readonly ok: false; readonly reason: string };

/**
 * Checks magic, format version, kind, hash, length and checksum, in that order. `hash` must be a valid node
 * hash. Entries of an older format (the magic `MOCD`, or another version) are refused like any other bytes.
 */
export function readEntry(bytes: Uint8Array, hash: string): ReadEntry {
  const size = bytes.byteLength;
  for (let i = 0; i < FRAME_MAGIC.length && i < size; i++) {
    if (bytes[i] !== FRAME_MAGIC[i]) {
      return { ok: false, reason: "the bytes are not a moirae cache entry (they do not start with MOIR)" };
    }
  }
  if (size <= 4) return truncated(size);
  if (bytes[4] !== CACHE_FORMAT_VERSION) {
    return {
      ok: false,
      reason: `the entry has format version ${bytes[4]}, expected ${CACHE_FORMAT_VERSION} (written by another moirae version)`,
    };
  }
  if (size < FRAME_HEADER_BYTES) return truncated(size);
  const kind = bytes[5];
  if (kind !== OUTPUT_ENTRY && kind !== RAW_ENTRY) {
    return { ok: false, reason: `the entry has an unknown kind (${kind})` };
  }
  if (bytes[6] !== 0 || bytes[7] !== 0)
    return { ok: false, reason: "the header's reserved bytes are not zero" };
  const view = Buffer.from(bytes.buffer, bytes.byteOffset, size);
  if (view.toString("hex", 16, FRAME_HEADER_BYTES) !== hash) {
    const stored = view.toString("hex", 16, FRAME_HEADER_BYTES);
    return {
      ok: false,
      reason:
        `the entry is for another hash (${stored.slice(0, 12)}…, expected ${hash.slice(0, 12)}…): ` +
        "it was written for other inputs, arguments or code, or copied from another key",
    };
  }
  const length = view.readUInt32BE(8);
  const actual = size - FRAME_HEADER_BYTES;
  if (actual !== length) {
    const what = actual < length ? "truncated" : "longer than its header says";
    return { ok: false, reason: `the entry is ${what} (header: ${length} payload bytes, entry: ${actual})` };
  }
  const payload = view.subarray(FRAME_HEADER_BYTES);
  if (zlib.crc32(payload) !== view.readUInt32BE(12)) {
    return { ok: false, reason: "the payload does not match its CRC-32 checksum (the entry is corrupt)" };
  }
  return { ok: true, kind, payload };
}

/**
 * Whether `bytes` already carry an output frame for `hash` whose length matches (the checksum is checked when
 * the entry is read). A provider stores such bytes as they are instead of framing them again.
 */
export function isOutputEntryFor(bytes: Uint8Array, hash: string): boolean {
  if (bytes.byteLength < FRAME_HEADER_BYTES) return false;
  const view = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return (
    view[4] === CACHE_FORMAT_VERSION &&
    view[5] === OUTPUT_ENTRY &&
    view.readUInt32BE(0) === MAGIC_UINT32 &&
    view.readUInt16BE(6) === 0 &&
    view.readUInt32BE(8) === bytes.byteLength - FRAME_HEADER_BYTES &&
    view.toString("hex", 16, FRAME_HEADER_BYTES) === hash
  );
}

const MAGIC_UINT32 = FRAME_MAGIC.readUInt32BE(0);

function truncated(bytes: number): ReadEntry {
  return {
    ok: false,
    reason: `the entry is truncated (${bytes} ${bytes === 1 ? "byte" : "bytes"}, fewer than the ${FRAME_HEADER_BYTES}-byte header)`,
  };
}
