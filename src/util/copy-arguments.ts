/**
 * The arguments a node instance gets: primitives as they are, objects copied deeply (plain objects, arrays,
 * Maps, Sets, Dates and class instances, keeping prototypes) so a node that mutates an argument affects no other
 * node and no later run. Arguments of primitives only are returned as they are, without copying.
 */
export function copyArguments(args: Readonly<Record<string, unknown>>): Readonly<Record<string, unknown>> {
  let copy: Record<string, unknown> | undefined;
  for (const key in args) {
    const value = args[key];
    if (value !== null && typeof value === "object") {
      copy ??= { ...args };
      copy[key] = deepCopy(value, new Map());
    }
  }
  return copy ?? args;
}

function deepCopy(value: unknown, seen: Map<object, unknown>): unknown {
  if (value === null || typeof value !== "object") return value;
  const known = seen.get(value);
  if (known !== undefined) return known;
  if (value instanceof Date) return new Date(value.getTime());
  if (value instanceof Map) {
    const map = new Map();
    seen.set(value, map);
    for (const [k, v] of value) map.set(deepCopy(k, seen), deepCopy(v, seen));
    return map;
  }
  if (value instanceof Set) {
    const set = new Set();
    seen.set(value, set);
    for (const v of value) set.add(deepCopy(v, seen));
    return set;
  }
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
    return (value as unknown as { slice(): unknown }).slice();
  }
  if (Array.isArray(value)) {
    const array: unknown[] = [];
    seen.set(value, array);
    for (const item of value) array.push(deepCopy(item, seen));
    return array;
  }
  const object = Object.create(Object.getPrototypeOf(value)) as Record<string, unknown>;
  seen.set(value, object);
  for (const key of Object.keys(value)) object[key] = deepCopy((value as Record<string, unknown>)[key], seen);
  return object;
}
