import { MoiraeError } from "./moirae-error";

/** The run (or `runNode`) was aborted through its `signal`. `reason` is the signal's reason. */
export class ExecutionAbortedError extends MoiraeError {
  constructor(readonly reason?: unknown) {
    super(
      `Execution aborted${reason instanceof Error ? `: ${reason.message}` : reason ? `: ${String(reason)}` : ""}`,
      {
        cause: reason,
      },
    );
  }
}
