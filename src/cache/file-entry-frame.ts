import { crc32 } from "./crc32";

/**
 * The frame around every FileCacheProvider entry, version 1 (integers big-endian):
 *
 * | bytes  | content                                                  |
 * |--------|----------------------------------------------------------|
 * | 0–3    | magic `MOIR` (4d 4f 49 52)                               |
 * | 4      | format version, 1                                        |
 * | 5–7    | reserved, zero                                           |
 * | 8–11   | payload length, uint32                                   |
 * | 12–15  | CRC-32 (IEEE, as zlib) of the payload                    |
 * | 16–47  | the key: the 32 bytes its 64 hex characters spell        |
 * | 48–    | payload, exactly `length` bytes, nothing after it        |
 *
 * The key in the header catches an entry copied or renamed to another key's path.
 */
export const FRAME_MAGIC = Buffer.from("MOIR", "latin1");
export const FRAME_VERSION = 1;
export const FRAME_HEADER_BYTES = 48;
export const FRAME_MAX_PAYLOAD_BYTES = 0xffff_ffff;

/** The header to write before `payload` for `key` (payload length must not exceed FRAME_MAX_PAYLOAD_BYTES). */
export function encodeFrameHeader(key: string, payload: Uint8Array): Buffer {
  const header = Buffer.alloc(FRAME_HEADER_BYTES);
  FRAME_MAGIC.copy(header, 0);
  header.writeUInt8(FRAME_VERSION, 4);
  header.writeUInt32BE(payload.byteLength, 8);
  header.writeUInt32BE(crc32(payload), 12);
  header.write(key, 16, 32, "hex");
  return header;
}

/** The payload of a framed entry, or why the bytes are not a valid entry for `key`. */
export type DecodedFrame = { ok: true; payload: Uint8Array } | { ok: false; reason: string };

/** Checks magic, version, key, length and checksum; the payload is a view of `file`, not a copy. */
export function decodeFrame(key: string, file: Buffer): DecodedFrame {
  if (file.byteLength < FRAME_HEADER_BYTES) {
    return {
      ok: false,
      reason: `the file has ${file.byteLength} bytes, fewer than the ${FRAME_HEADER_BYTES}-byte header`,
    };
  }
  if (!file.subarray(0, 4).equals(FRAME_MAGIC)) {
    return { ok: false, reason: "the file does not start with the moirae cache magic bytes (MOIR)" };
  }
  const version = file.readUInt8(4);
  if (version !== FRAME_VERSION) {
    return {
      ok: false,
      reason: `the entry has format version ${version}; this moirae reads version ${FRAME_VERSION}`,
    };
  }
  if (file.readUIntBE(5, 3) !== 0) return { ok: false, reason: "the header's reserved bytes are not zero" };
  const stored = file.toString("hex", 16, FRAME_HEADER_BYTES);
  if (stored !== key) return { ok: false, reason: `the entry was written for key "${stored}"` };
  const length = file.readUInt32BE(8);
  const actual = file.byteLength - FRAME_HEADER_BYTES;
  if (actual !== length) {
    const what = actual < length ? "truncated" : "longer than its header says";
    return { ok: false, reason: `the entry is ${what} (header: ${length} payload bytes, file: ${actual})` };
  }
  const payload = new Uint8Array(file.buffer, file.byteOffset + FRAME_HEADER_BYTES, length);
  if (crc32(payload) !== file.readUInt32BE(12)) {
    return { ok: false, reason: "the payload does not match its CRC-32 checksum (the file is corrupt)" };
  }
  return { ok: true, payload };
}
