import { Buffer } from "node:buffer";
import { types } from "node:util";

/**
 * A deep copy of data, so that whoever gets it cannot change the original (or another copy): plain and
 * prototype-less objects, arrays (holes become `undefined`), Maps, Sets, Dates, RegExps, typed arrays (Buffers
 * stay Buffers), DataViews, ArrayBuffers, boxed primitives, and class instances (same prototype, own enumerable
 * fields copied). Shared members stay shared within the copy; cycles are kept. SharedArrayBuffers are shared on
 * purpose and stay so. `mapString` rewrites the strings held by arrays and plain objects only, at any depth (the
 * builder undoes `$${` escapes in spec literals with it).
 *
 * The value must have been checked first (`findValueProblem`): the copy recurses once per level.
 */
export function copyValue(value: unknown, mapString?: (text: string) => string): unknown {
  return new Copier(mapString).copy(value, true);
}

class Copier {
  private readonly seen = new Map<object, unknown>();

  constructor(private readonly mapString: ((text: string) => string) | undefined) {}

  copy(value: unknown, plain: boolean): unknown {
    if (typeof value === "string") return plain && this.mapString ? this.mapString(value) : value;
    if (value === null || typeof value !== "object") return value;
    const known = this.seen.get(value);
    if (known !== undefined) return known;
    if (Array.isArray(value)) {
      const array = new Array<unknown>(value.length);
      this.seen.set(value, array);
      for (let i = 0; i < value.length; i++) array[i] = this.copy(value[i], plain);
      return array;
    }
    if (types.isMap(value)) {
      const map = new Map();
      this.seen.set(value, map);
      for (const [k, v] of value as Map<unknown, unknown>) map.set(this.copy(k, false), this.copy(v, false));
      return withPrototypeOf(value, map);
    }
    if (types.isSet(value)) {
      const set = new Set();
      this.seen.set(value, set);
      for (const v of value as Set<unknown>) set.add(this.copy(v, false));
      return withPrototypeOf(value, set);
    }
    const builtIn = copyBuiltIn(value);
    if (builtIn !== undefined) {
      this.seen.set(value, builtIn);
      return builtIn;
    }
    const proto = Object.getPrototypeOf(value);
    const object = Object.create(proto) as Record<string, unknown>;
    this.seen.set(value, object);
    const fieldsPlain = plain && proto === Object.prototype;
    for (const key of Object.keys(value)) {
      const member = this.copy((value as Record<string, unknown>)[key], fieldsPlain);
      if (key === "__proto__")
        Object.defineProperty(object, key, {
          value: member,
          enumerable: true,
          writable: true,
          configurable: true,
        });
      else object[key] = member;
    }
    return object;
  }
}

/** A copy of an atomic built-in (Date, RegExp, bytes, boxed primitive), or undefined for anything else. */
function copyBuiltIn(value: object): object | undefined {
  if (types.isDate(value)) return withPrototypeOf(value, new Date((value as Date).getTime()));
  if (types.isRegExp(value)) {
    const regexp = value as RegExp;
    const copy = new RegExp(regexp.source, regexp.flags);
    copy.lastIndex = regexp.lastIndex;
    return withPrototypeOf(value, copy);
  }
  if (Buffer.isBuffer(value)) return Buffer.from(value);
  if (types.isDataView(value)) {
    const view = value as DataView;
    return new DataView(copyBytes(view.buffer, view.byteOffset, view.byteLength));
  }
  if (types.isTypedArray(value)) {
    const view = value as unknown as Uint8Array;
    const bytes = copyBytes(view.buffer, view.byteOffset, view.byteLength);
    return withPrototypeOf(value, new (typedArrayBase(view))(bytes, 0, view.length));
  }
  if (types.isSharedArrayBuffer(value)) return value;
  if (types.isArrayBuffer(value)) return (value as ArrayBuffer).slice(0);
  if (types.isBoxedPrimitive(value)) return Object((value as { valueOf(): unknown }).valueOf()) as object;
  return undefined;
}

function copyBytes(buffer: ArrayBufferLike, offset: number, length: number): ArrayBuffer {
  const copy = new ArrayBuffer(length);
  new Uint8Array(copy).set(new Uint8Array(buffer, offset, length));
  return copy;
}

/** The built-in typed array class a (possibly subclassed) typed array is made of. */
function typedArrayBase(
  view: ArrayBufferView,
): new (
  buffer: ArrayBuffer,
  offset: number,
  length: number,
) => object {
  const name = Object.prototype.toString.call(view).slice(8, -1);
  return (globalThis as unknown as Record<string, new (b: ArrayBuffer, o: number, l: number) => object>)[
    name
  ]!;
}

/** `copy` given the prototype of `original` (a subclass instance stays one). */
function withPrototypeOf<T extends object>(original: object, copy: T): T {
  const proto = Object.getPrototypeOf(original);
  if (Object.getPrototypeOf(copy) !== proto) Object.setPrototypeOf(copy, proto);
  return copy;
}
