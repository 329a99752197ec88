import type { UnhashableValueError } from "../errors/unhashable-value-error";
import { ValueTooDeepError } from "../errors/value-too-deep-error";

/** Records one problem of the node being checked: where in the spec, a stable code, and what to do. */
export type ProblemSink = (path: string, code: string, message: string) => void;

/** The issue code of a value that cannot be hashed: `too-deep` past the depth limit, else `unhashable`. */
export function unhashableCode(error: UnhashableValueError): string {
  return error instanceof ValueTooDeepError ? "too-deep" : "unhashable";
}
