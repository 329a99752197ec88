import { packr } from "../cache/msgpack";
import { applyTags, PlainFormProblem, toPlainForm } from "../cache/plain-form";

/**
 * A record value in the form that travels between threads and processes: its plain form (what msgpack restores
 * by itself) and the tags that restore the rest (Maps, Sets, -0, lone surrogates). The cache codec's machinery,
 * so everything a cache entry keeps, a remote task keeps.
 */
export type WireData = readonly [
  plain: Record<string, unknown>,
  tags: readonly (readonly (string | number)[])[],
];

/** The wire form of `value`, or a `PlainFormProblem` (with a path starting at `root`) when it is not data. */
export function toWireData(value: object, root: string): WireData | PlainFormProblem {
  const form = toPlainForm(value);
  if (form instanceof PlainFormProblem) {
    return new PlainFormProblem(root + form.path.slice("output".length), form.reason);
  }
  return [form.plain, form.tags];
}

/** The record `toWireData` encoded (Maps, Sets… restored; nested class instances are plain objects again). */
export function fromWireData(data: unknown): Record<string, unknown> {
  if (!Array.isArray(data) || data.length !== 2 || data[0] === null || typeof data[0] !== "object") {
    throw new TypeError("the value is not [fields, tags]");
  }
  const plain = data[0] as Record<string, unknown>;
  applyTags(plain, data[1]);
  return plain;
}

/** msgpack bytes of a message whose values are wire data, primitives, arrays and plain objects. */
export function pack(message: unknown): Uint8Array {
  return packr.pack(message);
}

/** The message `pack` wrote. */
export function unpack(bytes: Uint8Array): unknown {
  return packr.unpack(bytes);
}

/**
 * Whether `message` comes back exactly from `JSON.parse(JSON.stringify(message))`, and about how many characters
 * of JSON it makes: `-1` when it does not come back exactly (`undefined`, `NaN`, ±Infinity, `-0`, bigints, Dates,
 * typed arrays… anything but strings, finite numbers, booleans, null, arrays and plain objects) or when it makes
 * more than `limit` characters (the walk stops there). A transport that stores JSON anyway (BullMQ's job data and
 * return values) sends such a message as it is, instead of msgpack bytes in base64.
 */
export function jsonLength(message: unknown, limit: number): number {
  const size = { left: limit };
  try {
    return jsonSafe(message, size) && size.left >= 0 ? limit - size.left : -1;
  } catch {
    return -1; // nested too deeply for this walk: msgpack it
  }
}

function jsonSafe(value: unknown, size: { left: number }): boolean {
  switch (typeof value) {
    case "string":
      size.left -= value.length + 2;
      return size.left >= 0;
    case "number":
      size.left -= 24;
      return Number.isFinite(value) && !Object.is(value, -0);
    case "boolean":
      size.left -= 5;
      return true;
    case "object": {
      if (value === null) {
        size.left -= 4;
        return true;
      }
      size.left -= 2;
      if (Array.isArray(value)) {
        if (Object.getPrototypeOf(value) !== Array.prototype) return false;
        for (let i = 0; i < value.length; i++) {
          size.left -= 1;
          // a hole reads as undefined, which JSON writes as null
          if (value[i] === undefined || !jsonSafe(value[i], size) || size.left < 0) return false;
        }
        return true;
      }
      const proto = Object.getPrototypeOf(value);
      if (proto !== Object.prototype && proto !== null) return false;
      for (const key in value) {
        if (!Object.hasOwn(value, key) || key === "__proto__") return false;
        size.left -= key.length + 4;
        const field = (value as Record<string, unknown>)[key];
        if (field === undefined || !jsonSafe(field, size) || size.left < 0) return false;
      }
      return true; // symbol keys: neither msgpack nor JSON writes them
    }
    default:
      return false;
  }
}
