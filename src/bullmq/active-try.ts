import { ExecutionAbortedError } from "../errors/execution-aborted-error";
import type { RemoteOutcome } from "../remote/run-remote-task";

/**
 * One try a `NodeWorker` is running, as its coordinator can cancel it. The node's abort signal is made only when
 * the node reads `ctx.signal` (or has a time limit): most never do, and an `AbortController` per job is a cost a
 * worker running thousands of small nodes a second feels. Cancelling fires that signal, if it was made, and
 * settles the try at once, whether or not the node heeds it.
 */
export class ActiveTry {
  /** The try's modules are loaded and its class accepted: its `execute` was called. */
  started = false;
  /** Why the coordinator cancelled it (once it did). */
  private cancelled: ExecutionAbortedError | undefined;
  private controller: AbortController | undefined;
  private stop: ((error: ExecutionAbortedError) => void) | undefined;

  /** `node`: the graph node it runs. */
  constructor(readonly node: string) {}

  /** The node's `ctx.signal`, made on first use (already aborted when the try was cancelled before). */
  get signal(): AbortSignal {
    if (!this.controller) {
      this.controller = new AbortController();
      if (this.cancelled) this.controller.abort(this.cancelled);
    }
    return this.controller.signal;
  }

  get isCancelled(): boolean {
    return this.cancelled !== undefined;
  }

  /** For `runRemoteTask`'s `onStart`. */
  readonly onStart = (): void => {
    this.started = true;
  };

  /** The coordinator cancelled the try: its signal fires and `settle` resolves now, with the abort. */
  cancel(reason: string): void {
    if (this.cancelled) return;
    this.cancelled = ExecutionAbortedError.of(reason);
    this.controller?.abort(this.cancelled);
    this.stop?.(this.cancelled);
  }

  /** How the try ended: `running`'s outcome, or, when it is cancelled first, the abort. */
  settle(node: string, running: Promise<RemoteOutcome>): Promise<RemoteOutcome> {
    if (this.cancelled) return Promise.resolve({ ok: false, name: node, error: this.cancelled });
    return new Promise((resolve) => {
      this.stop = (error) => resolve({ ok: false, name: node, error });
      running.then(resolve);
    });
  }
}
