import { NodeExecutionError } from "./node-execution-error";

/** A node did not finish within its time limit (`@Node({ timeoutMs })`, or the run's `timeoutMs`). */
export class NodeTimeoutError extends NodeExecutionError {
  constructor(
    node: string,
    /** The limit that was exceeded, in milliseconds. */
    readonly timeoutMs: number,
    attempts = 1,
  ) {
    super(
      node,
      attempts,
      undefined,
      `Node "${node}" timed out after ${timeoutMs} ms (attempt ${attempts}). ` +
        `Raise the limit with @Node({ timeoutMs }) or the run's timeoutMs option, or make execute() faster.`,
    );
  }
}
