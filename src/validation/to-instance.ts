import { plainToInstance } from "class-transformer";
import { transformerStorage } from "../metadata/transformer-storage";
import type { ConcreteClass } from "../metadata/types";
import { copyValue } from "../util/copy-value";
import { isPlainObject } from "../util/is-plain-object";

/** A value class-transformer would damage, taken out of the tree before it runs and put back after. */
interface Lifted {
  readonly path: readonly (string | number)[];
  readonly value: object;
}

/**
 * `plainToInstance(cls, plain)` without class-transformer's damage to built-ins (it reads a Map's entries as
 * properties so every value becomes `undefined`, turns Sets into arrays, empties typed arrays and RegExps): such
 * values are lifted out of a copy of the tree before it runs and put back — copied — at the same path after it.
 * The members of a Map or Set field declared with `@Type(() => Child)` become `Child` instances. `plain` is not
 * modified, and the result shares no container with it. A hole in an array is read as `undefined`, as the hash
 * reads it.
 */
export function toInstance<T extends object>(cls: ConcreteClass<T>, plain: object): T {
  const lifted: Lifted[] = [];
  const copy = copyWithoutBuiltIns(plain, [], lifted);
  const instance = plainToInstance(cls, copy);
  for (const { path, value } of lifted) putBack(instance, path, value);
  return instance;
}

/**
 * A copy of the containers (plain objects, arrays) of a tree, with every value class-transformer does not copy
 * faithfully — built-ins other than Dates and Buffers, and plain objects with keys it skips — replaced by
 * `undefined` and recorded with its path.
 */
function copyWithoutBuiltIns(node: object, path: (string | number)[], lifted: Lifted[]): object {
  const isArray = Array.isArray(node);
  const source = node as Record<string | number, unknown>;
  const copy: Record<string | number, unknown> = isArray
    ? []
    : Object.getPrototypeOf(node) === null
      ? Object.create(null)
      : {};
  // Array holes become `undefined` members: class-transformer would drop them and shift what follows.
  const keys: (string | number)[] = isArray
    ? Array.from({ length: (node as unknown[]).length }, (_, i) => i)
    : Object.keys(node);
  for (const key of keys) {
    const value = source[key];
    if (value === null || typeof value !== "object" || value instanceof Date || Buffer.isBuffer(value)) {
      copy[key] = value;
      continue;
    }
    path.push(key);
    if (Array.isArray(value) || (isPlainObject(value) && !hasSkippedKey(value))) {
      copy[key] = copyWithoutBuiltIns(value, path, lifted);
    } else if (isBuiltIn(value) || isPlainObject(value)) {
      lifted.push({ path: [...path], value });
      copy[key] = undefined;
    } else copy[key] = value;
    path.pop();
  }
  return copy;
}

/**
 * Whether class-transformer would drop a key of this plain object: it skips keys that name a method of the new
 * object (`constructor`, `toString`…) and `__proto__` would set the copy's prototype. Such objects are lifted
 * and put back copied, so that the node gets every key the hash saw.
 */
function hasSkippedKey(value: object): boolean {
  for (const key of Object.keys(value)) if (key in Object.prototype) return true;
  return false;
}

/** Values class-transformer mangles: Map, Set, typed arrays (but Buffer), ArrayBuffer, DataView, RegExp. */
function isBuiltIn(value: object): boolean {
  return (
    value instanceof Map ||
    value instanceof Set ||
    value instanceof RegExp ||
    value instanceof ArrayBuffer ||
    ArrayBuffer.isView(value)
  );
}

/** Sets a copy of `value` at `path` in the instance tree, unless class-transformer left no object there. */
function putBack(instance: object, path: readonly (string | number)[], value: object): void {
  let parent: unknown = instance;
  for (let i = 0; i < path.length - 1; i++) {
    if (parent === null || typeof parent !== "object") return;
    parent = (parent as Record<string | number, unknown>)[path[i]!];
  }
  if (parent === null || typeof parent !== "object") return;
  const key = path[path.length - 1]!;
  (parent as Record<string | number, unknown>)[key] = withMemberClass(
    parent,
    key,
    copyValue(value) as object,
  );
}

/** A Map or Set field declared with `@Type(() => Child)`: its plain-object members become `Child` instances. */
function withMemberClass(owner: object, key: string | number, value: object): object {
  if (!(value instanceof Map || value instanceof Set) || typeof key !== "string") return value;
  if (Array.isArray(owner) || isPlainObject(owner)) return value;
  const member = transformerStorage.findTypeMetadata(owner.constructor, key)?.typeFunction() as
    | ConcreteClass
    | undefined;
  if (typeof member !== "function") return value;
  const convert = (item: unknown) => (isPlainObject(item) ? toInstance(member, item) : item);
  if (value instanceof Set) return new Set(Array.from(value, convert));
  return new Map(Array.from(value, ([k, v]) => [k, convert(v)] as const));
}
