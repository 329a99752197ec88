import { types } from "node:util";

const objectToString = Object.prototype.toString;

/** The `Object.prototype.toString` tag of an object: `Object`, `Array`, `Map`, `URL`… */
export function tagOf(value: object): string {
  return objectToString.call(value).slice(8, -1);
}

/**
 * Built-in classes whose state lives in internal slots or private fields, not in their own properties: moirae
 * cannot validate, copy, hash or cache them, so they are refused with a message saying what to pass instead.
 */
const OPAQUE: ReadonlyMap<string, string> = new Map([
  ["URL", "pass url.href (a string)"],
  ["URLSearchParams", "pass params.toString() (a string)"],
  ["Blob", "pass its bytes (await blob.arrayBuffer())"],
  ["File", "pass its bytes or its path"],
  ["Headers", "pass Object.fromEntries(headers)"],
  ["FormData", "pass Object.fromEntries(formData)"],
  ["Request", "pass the parts you need (url, method, body)"],
  ["Response", "pass the parts you need (status, body)"],
  ["AbortSignal", "a signal is not data; nodes get ctx.signal"],
  ["AbortController", "a controller is not data; nodes get ctx.signal"],
  ["KeyObject", "pass the key's exported bytes"],
  ["CryptoKey", "pass the key's exported bytes"],
]);

/** Why a built-in object with hidden state is not data (with what to pass instead), or undefined. */
export function opaqueReason(value: object): string | undefined {
  const tag = tagOf(value);
  const hint = OPAQUE.get(tag);
  return hint === undefined ? undefined : `${tag} objects keep their state out of their own fields; ${hint}`;
}

/**
 * Whether moirae treats `value` as one value rather than a container of fields: Dates, RegExps, typed arrays,
 * DataViews, ArrayBuffers and boxed primitives.
 */
export function isAtomicBuiltIn(value: object): boolean {
  return (
    types.isDate(value) ||
    types.isRegExp(value) ||
    ArrayBuffer.isView(value) ||
    types.isAnyArrayBuffer(value) ||
    types.isBoxedPrimitive(value)
  );
}

/** A segment of a value's path: `[3]` for an index, `.key` for an identifier, `["odd key"]` otherwise. */
export function pathSegment(key: string | number): string {
  if (typeof key === "number") return `[${key}]`;
  if (/^[A-Za-z_$][\w$]*$/.test(key)) return key.length <= 40 ? `.${key}` : `.${key.slice(0, 40)}…`;
  return `[${JSON.stringify(key.length <= 40 ? key : `${key.slice(0, 40)}…`)}]`;
}

/** `base` followed by `segments`, the middle elided when they are many: `a.b[0][0]…(492 more)…[0][0]`. */
export function joinPath(base: string, segments: readonly string[]): string {
  const path: string =
    segments.length <= 12
      ? base + segments.join("")
      : `${base}${segments.slice(0, 6).join("")}…(${segments.length - 10} more)…${segments.slice(-4).join("")}`;
  return path;
}
