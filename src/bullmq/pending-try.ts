import { ExecutionAbortedError } from "../errors/execution-aborted-error";
import { NodeTimeoutError } from "../errors/node-timeout-error";
import { watchAbort } from "../execution/abort-watch";
import type { NodeTask } from "../execution/node-dispatcher";
import type { NodeMetadata } from "../metadata/types";
import { timerDelay } from "../util/time-limit";

/**
 * One try the coordinator has sent to the queue and waits for. It settles once: with the worker's answer, or
 * on the coordinator's side when the run aborts or the try's time limit passes (counted from dispatch, so a try
 * that waits for a worker times out too); `onStop` then cancels the job.
 */
export class PendingTry {
  /** The job is in the queue (its `add` succeeded). */
  added = false;
  /** A worker took it. */
  active = false;
  settled = false;
  /** Settled on this side (abort, time limit, close), not by an answer: its job must be cancelled. */
  stopped = false;
  /** When it was queued (ms since the epoch). */
  queuedAt = Date.now();
  /** Whether the run was told that no worker takes it. */
  noticed = false;
  /** The key of the task's bytes, when they did not travel inline. */
  taskKey: string | undefined;
  private timer: NodeJS.Timeout | undefined;
  private readonly signal: AbortSignal;
  private readonly unwatch: () => void;

  constructor(
    readonly id: string,
    readonly task: NodeTask,
    readonly meta: NodeMetadata,
    private readonly resolveTry: (output: object) => void,
    private readonly rejectTry: (error: unknown) => void,
    private readonly onStop: (pending: PendingTry) => void,
  ) {
    this.signal = task.runSignal ?? task.signal; // one signal (and one listener) per run rather than per node
    this.unwatch = watchAbort(this.signal, this.onAbort);
    const limit = timerDelay(task.timeoutMs); // none above the longest timer (it would fire after 1 ms)
    if (limit !== undefined) {
      this.timer = setTimeout(() => this.stop(new NodeTimeoutError(task.name, limit, task.attempt)), limit);
    }
  }

  /** The worker's answer. */
  resolve(output: object): void {
    if (this.end()) this.resolveTry(output);
  }

  /** The worker's (or the queue's) error. */
  reject(error: unknown): void {
    if (this.end()) this.rejectTry(error);
  }

  /** Ends the try on this side (abort, time limit, close) and cancels its job. */
  stop(error: unknown): void {
    if (!this.end()) return;
    this.stopped = true;
    this.rejectTry(error);
    this.onStop(this);
  }

  private readonly onAbort = (): void => {
    this.stop(new ExecutionAbortedError(this.signal.reason));
  };

  private end(): boolean {
    if (this.settled) return false;
    this.settled = true;
    if (this.timer) clearTimeout(this.timer);
    this.unwatch();
    return true;
  }
}
