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
