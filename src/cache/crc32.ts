import * as zlib from "node:zlib";

let table: Uint32Array | undefined;

/** CRC-32 (IEEE 802.3, as zlib and gzip compute it) in plain JavaScript, for Node versions before 20.15. */
export function crc32Fallback(data: Uint8Array): number {
  table ??= Uint32Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  let crc = 0xffffffff;
  for (let i = 0; i < data.length; i++) crc = table[(crc ^ data[i]!) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

/** CRC-32 of `data`: `zlib.crc32` where Node has it (20.15+), the fallback elsewhere. */
export const crc32: (data: Uint8Array) => number =
  typeof zlib.crc32 === "function" ? (data) => zlib.crc32(data) : crc32Fallback;
