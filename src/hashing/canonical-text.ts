import { endianness } from "node:os";

const LITTLE_ENDIAN = endianness() === "LE";
const isWellFormed = (String.prototype as unknown as { isWellFormed(this: string): boolean }).isWellFormed;

/** A value the canonical encoding writes as one token. */
export type Primitive = string | number | boolean | bigint | null | undefined;

/** Encodes one string: `s<length>:<text>`, or `w<JSON>` when it holds a lone surrogate. */
export function encodeString(s: string): string {
  return isWellFormed.call(s) ? `s${s.length}:${s}` : `w${JSON.stringify(s)}`;
}

/** Text of a number that keeps -0, NaN and ±Infinity apart; `String` already is the shortest round trip. */
export function numberText(n: number): string {
  return n === 0 && 1 / n < 0 ? "-0" : String(n);
}

/** Encodes a primitive other than a symbol. */
export function primitiveText(value: Primitive): string {
  switch (typeof value) {
    case "string":
      return encodeString(value);
    case "number":
      return `d${numberText(value)};`;
    case "boolean":
      return value ? "t" : "f";
    case "bigint":
      return `i${value};`;
    case "undefined":
      return "u";
    default:
      return "n";
  }
}

/** Path segment for an object key: `.key` for identifiers, `["odd key"]` otherwise. */
export function keySegment(key: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`;
}

/** Sorts keys in place by UTF-16 code units; insertion sort for the usual handful (`Array#sort` costs more there). */
export function sortKeys(keys: string[]): string[] {
  if (keys.length > 16) return keys.sort();
  for (let i = 1; i < keys.length; i++) {
    const key = keys[i];
    let j = i - 1;
    while (j >= 0 && keys[j] > key) {
      keys[j + 1] = keys[j];
      j--;
    }
    keys[j + 1] = key;
  }
  return keys;
}

/** Bytes of a view or buffer as base64, multi-byte elements in little-endian order on every machine. */
export function bytesBase64(value: ArrayBufferView | ArrayBufferLike, elementSize: number): string {
  const bytes = ArrayBuffer.isView(value)
    ? Buffer.from(value.buffer, value.byteOffset, value.byteLength)
    : Buffer.from(value);
  if (LITTLE_ENDIAN || elementSize === 1) return bytes.toString("base64");
  const copy = Buffer.from(bytes);
  if (elementSize === 2) copy.swap16();
  else if (elementSize === 4) copy.swap32();
  else copy.swap64();
  return copy.toString("base64");
}
