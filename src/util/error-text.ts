/** `value` itself when it is an Error, else an Error whose message describes the thrown value. */
export function toError(value: unknown): Error {
  return isError(value) ? value : new Error(messageOf(value));
}

/** Whether `value` is an Error; false (not an exception) for a Proxy whose traps throw. */
export function isError(value: unknown): value is Error {
  return isInstance(value, Error);
}

/** `value instanceof cls`, but false rather than an exception for a Proxy whose traps throw. */
export function isInstance<T>(value: unknown, cls: abstract new (...args: never[]) => T): value is T {
  try {
    return value instanceof cls;
  } catch {
    return false;
  }
}

/**
 * The message of an error, or a readable form of any other thrown value. Never throws, even for values
 * `String()` refuses (`Object.create(null)`, a symbol's wrapper, an object whose `toString` throws, a Proxy
 * whose traps throw).
 */
export function messageOf(value: unknown): string {
  try {
    if (value instanceof Error) return String(value.message);
    return String(value);
  } catch {
    return describeValue(value);
  }
}

/** What a value is, for messages: `null`, `undefined`, `a string`, `a Map`, `an object without prototype`. */
export function describeValue(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  const type = typeof value;
  if (type !== "object") return `${/^[aeiou]/.test(type) ? "an" : "a"} ${type}`;
  try {
    const name = Object.getPrototypeOf(value) === null ? undefined : (value as object).constructor?.name;
    if (typeof name !== "string" || !name) return "an object without prototype";
    return `${/^[AEIOU]/.test(name) ? "an" : "a"} ${name}`;
  } catch {
    return "an object that cannot be inspected";
  }
}
