import { MAX_VALUE_DEPTH } from "../constants";
import { Encoder } from "./canonical-encoder";
import { encodeString, keySegment, type Primitive, primitiveText } from "./canonical-text";

/**
 * Returns the canonical text of `value`: equal data gives equal text, different data different text, in any
 * process on any machine. The topological hash is the SHA-256 of such texts, so this decides what counts as
 * "the same arguments" for the cache. Pure and synchronous; it keeps no state between calls.
 *
 * Plain objects (and null-prototype objects) are key-sorted and a property whose value is `undefined` counts
 * as absent (`{ a: 1, b: undefined }` encodes like `{ a: 1 }`), while `undefined` (and a hole) inside an array is
 * kept. Symbol-keyed properties are ignored. Numbers follow `Object.is` (`-0` differs from `0`, `NaN` equals
 * `NaN`) and differ from bigints and strings. Maps and Sets are order-independent. Dates encode their time
 * value, RegExps their source and flags, typed arrays, DataViews and ArrayBuffers their type and bytes — a
 * Buffer encodes exactly like a Uint8Array with the same bytes. A class instance encodes as its constructor's
 * name and its own enumerable fields, so it never equals a plain object or an instance of a differently named
 * class; subclasses of Map, Set, Date and the typed arrays encode as their built-in base.
 *
 * The walk is iterative; a container deeper than `maxDepth` levels (the value itself is level 0; default
 * `MAX_VALUE_DEPTH`, for a record of fields) is refused with `ValueTooDeepError`, the limit every layer of moirae
 * applies. A value shared by two branches is fine. A member whose getter or Proxy trap throws is refused, with its
 * path.
 *
 * @param path names `value` in errors, e.g. `"arguments"`; members append `.key`, `[3]`, `<map key>`,
 *   `<map value>` or `<set element>`.
 * @throws UnhashableValueError for a function, a symbol, a WeakMap, WeakSet, WeakRef, Promise, generator,
 *   iterator, Error or a built-in with hidden state (a URL, a Blob…) anywhere in `value`, for a cycle, and for a
 *   member that throws when read; `ValueTooDeepError` (a subclass) past the depth limit.
 *
 * @example canonicalEncode({ b: [1, "x"], a: null }) // "{s1:ans1:b[d1;s1:x]}"
 */
export function canonicalEncode(value: unknown, path = "value", maxDepth = MAX_VALUE_DEPTH): string {
  if (typeof value !== "object" && typeof value !== "function" && typeof value !== "symbol") {
    return primitiveText(value as Primitive);
  }
  return new Encoder(path, maxDepth).run(value);
}

/**
 * The canonical text of an object key, as it precedes the key's value inside `{…}`. An object's canonical text is
 * `{`, then for each key whose value is not `undefined`, in `Array#sort` order, this and the value's
 * `canonicalEncode`, then `}`.
 */
export function canonicalRecordPart(key: string): string {
  return encodeString(key);
}

/** The path of a field of the value at `path`, as `canonicalEncode` spells it: `.key` or `["odd key"]`. */
export function fieldPath(path: string, key: string): string {
  return path + keySegment(key);
}
