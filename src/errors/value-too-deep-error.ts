import { UnhashableValueError } from "./unhashable-value-error";

/**
 * A value nests more levels of arrays, objects, Maps or Sets than moirae accepts (`MAX_VALUE_DEPTH`, 500 inside a
 * field). `path` names the first container past the limit. It is an `UnhashableValueError`: such a value has no
 * topological hash.
 */
export class ValueTooDeepError extends UnhashableValueError {
  constructor(
    path: string,
    /** The deepest nesting accepted. */
    readonly limit: number,
  ) {
    super(path, tooDeepReason(limit));
  }
}

/** Why a value nesting past `limit` is refused, for every layer that refuses it. */
export function tooDeepReason(limit: number): string {
  return (
    `it nests more than ${limit} levels of arrays, objects, Maps or Sets, the most moirae accepts in a value; ` +
    "flatten it, or pass it as a string (e.g. JSON)"
  );
}
