/** `value` itself when it is an Error, else an Error whose message describes the thrown value. */
export function toError(value: unknown): Error {
  return value instanceof Error ? value : new Error(messageOf(value));
}

/**
 * The message of an error, or a readable form of any other thrown value. Never throws, even for values
 * `String()` refuses (`Object.create(null)`, a symbol's wrapper, an object whose `toString` throws).
 */
export function messageOf(value: unknown): string {
  if (value instanceof Error) return value.message;
  try {
    return String(value);
  } catch {
    return describeValue(value);
  }
}

/** What a value is, for messages: `null`, `undefined`, `a string`, `a Map`, `an object without prototype`. */
export function describeValue(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  if (typeof value !== "object") return `${/^[aeiou]/.test(typeof value) ? "an" : "a"} ${typeof value}`;
  const name = Object.getPrototypeOf(value) === null ? undefined : (value as object).constructor?.name;
  if (!name) return "an object without prototype";
  return `${/^[AEIOU]/.test(name) ? "an" : "a"} ${name}`;
}
