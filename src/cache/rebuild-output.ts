import { plainToInstance } from "class-transformer";
import { validateSync } from "class-validator";
import { VALIDATOR_OPTIONS } from "../constants";
import { readFields } from "../metadata/describe-node";
import { transformerStorage } from "../metadata/transformer-storage";
import type { ConcreteClass } from "../metadata/types";
import { checkData, type DataCheck, flattenErrors } from "../validation/validate-data";
import { isPlainObject } from "./plain-form";

/** A value class-transformer would damage, taken out of the tree before it runs and put back after. */
interface Lifted {
  readonly path: readonly (string | number)[];
  readonly value: object;
}

/**
 * Turns a decoded plain tree (which it takes over and may modify) into a new, validated instance of `cls`, as
 * `checkData` does, without class-transformer's damage to built-ins: its `plainToInstance` reads a Map's entries
 * as properties (every value becomes `undefined`), turns Sets into arrays, empties Uint8Arrays and RegExps. A tree
 * of primitives, plain objects, arrays, Dates and Buffers goes to `checkData` as it is. Otherwise the other values
 * are lifted out of the tree before `plainToInstance` and put back into the instance at the same path after it
 * (the members of a Map or Set field declared with `@Type(() => Child)` are converted to `Child` the same way),
 * and class-validator checks the result with moirae's options.
 */
export function rebuildOutput<T extends object>(
  cls: ConcreteClass<T>,
  plain: Record<string, unknown>,
): DataCheck<T> {
  const lifted: Lifted[] = [];
  liftBuiltIns(plain, [], lifted);
  if (lifted.length === 0) return checkData(cls, plain);
  if (readFields(cls, "output").length === 0) return checkData(cls, plain);
  const instance = putBackAll(plainToInstance(cls, plain), lifted);
  const errors = validateSync(instance, VALIDATOR_OPTIONS);
  if (errors.length === 0) return { ok: true, value: instance };
  return { ok: false, issues: flattenErrors(errors) };
}

/** `plainToInstance`, with the values class-transformer would damage lifted out around it. */
function toInstance<T extends object>(cls: ConcreteClass<T>, plain: Record<string, unknown>): T {
  const lifted: Lifted[] = [];
  liftBuiltIns(plain, [], lifted);
  return putBackAll(plainToInstance(cls, plain), lifted);
}

function putBackAll<T extends object>(instance: T, lifted: readonly Lifted[]): T {
  for (const { path, value } of lifted) putBack(instance, path, value);
  return instance;
}

/**
 * Replaces (in place) every value below `node` that class-transformer does not copy faithfully by `undefined`:
 * all but primitives, plain objects, arrays, Dates and Buffers.
 */
function liftBuiltIns(node: object, path: (string | number)[], lifted: Lifted[]): void {
  const record = node as Record<string | number, unknown>;
  const keys: (string | number)[] = Array.isArray(node) ? node.map((_, i) => i) : Object.keys(node);
  for (const key of keys) {
    const value = record[key];
    if (value === null || typeof value !== "object" || value instanceof Date || Buffer.isBuffer(value))
      continue;
    path.push(key);
    if (Array.isArray(value) || isPlainObject(value)) liftBuiltIns(value, path, lifted);
    else {
      lifted.push({ path: [...path], value });
      record[key] = undefined;
    }
    path.pop();
  }
}

/** Sets `value` at `path` in the instance tree, unless class-transformer left no object there (e.g. `@Exclude`). */
function putBack(instance: object, path: readonly (string | number)[], value: object): void {
  let parent: unknown = instance;
  for (let i = 0; i < path.length - 1; i++) {
    if (parent === null || typeof parent !== "object") return;
    parent = (parent as Record<string | number, unknown>)[path[i]!];
  }
  if (parent === null || typeof parent !== "object") return;
  const key = path[path.length - 1]!;
  (parent as Record<string | number, unknown>)[key] = withMemberClass(parent, key, value);
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
