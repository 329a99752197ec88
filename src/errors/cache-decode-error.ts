import { MoiraeError } from "./moirae-error";
import { formatIssues, type ValidationIssue } from "./validation-issue";

/**
 * Cached bytes could not be turned back into a valid output: they were written by another format version or for
 * another node class or schema (another fingerprint), they are truncated, corrupt or not a moirae entry at all,
 * or the value they hold does not validate against the `@Output()` class as it is declared now (then `issues`
 * lists the failing fields). `Codec.decode` throws only this error; the executor counts it as a cache miss,
 * emits a `cache:error` event and runs the node again.
 */
export class CacheDecodeError extends MoiraeError {
  /** What is wrong with the bytes, one clause without a final period, e.g. `the entry has format version 0, expected 1`. */
  readonly reason: string;
  /** The name of the output class the bytes were decoded for. */
  readonly outputClass: string;
  /** The fields that failed validation, when that is the reason; empty otherwise. */
  readonly issues: readonly ValidationIssue[];

  constructor(
    reason: string,
    outputClass: string,
    options: { issues?: readonly ValidationIssue[]; cause?: unknown } = {},
  ) {
    const issues = options.issues ?? [];
    super(
      `Cannot decode a cached ${outputClass}: ${reason}. The entry counts as a cache miss: the node runs again ` +
        `and its new output replaces the entry.${issues.length ? `\n${formatIssues(issues, "output")}` : ""}`,
      { cause: options.cause },
    );
    this.reason = reason;
    this.outputClass = outputClass;
    this.issues = issues;
  }
}
