import { messageOf } from "../util/error-text";
import { MoiraeError } from "./moirae-error";

/**
 * A node failed while a graph ran: its `execute` threw (after every retry), its input or output was invalid, or
 * it timed out. `cause` is the underlying error.
 */
export class NodeExecutionError extends MoiraeError {
  constructor(
    /** The graph node that failed. */
    readonly node: string,
    /** How many tries were made (1 + retries). */
    readonly attempts: number,
    cause: unknown,
    message?: string,
  ) {
    super(
      message ??
        `Node "${node}" failed after ${attempts} ${attempts === 1 ? "attempt" : "attempts"}: ${messageOf(cause)}`,
      { cause },
    );
  }
}
