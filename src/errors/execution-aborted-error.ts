import { isInstance, messageOf } from "../util/error-text";
import { MoiraeError } from "./moirae-error";

/**
 * The run (or `runNode`) was aborted through its `signal`. `reason` is the signal's reason (any value: its
 * message is described safely, whatever it is).
 */
export class ExecutionAbortedError extends MoiraeError {
  constructor(readonly reason?: unknown) {
    super(abortMessage(reason), { cause: reason });
  }

  /** The error an abort for `reason` is reported as: `reason` itself when it already is one. */
  static of(reason: unknown): ExecutionAbortedError {
    return isInstance(reason, ExecutionAbortedError) ? reason : new ExecutionAbortedError(reason);
  }
}

function abortMessage(reason: unknown): string {
  if (reason === undefined || reason === null || reason === "") return "Execution aborted";
  // an abort whose reason is an abort says it once
  if (isInstance(reason, ExecutionAbortedError)) return reason.message;
  return `Execution aborted: ${messageOf(reason)}`;
}
