import { ExecutionAbortedError } from "../errors/execution-aborted-error";
import { watchAbort } from "./abort-watch";
import type { NodeSignals } from "./node-signals";
import type { RunCache } from "./run-cache";
import { RunEvents } from "./run-events";
import type { RunListener } from "./run-results";

/**
 * How a run ends, once: with an error, its in-flight tries and cache operations are abandoned; then it waits for
 * its cache writes (whose `cache:error` events still go out), emits `run:done` and settles its listener. An abort
 * or a listener's exception while the writes settle becomes the run's error.
 */
export class RunEnding {
  /** True once `run:done` is out: no event is delivered any more. */
  closed = false;
  private ended = false;
  private lateError: Error | undefined;
  private unwatch: (() => void) | undefined;

  constructor(
    private readonly onEvent: RunEvents["listener"],
    private readonly listener: RunListener,
    private readonly signals: NodeSignals,
    private readonly cache: RunCache,
  ) {}

  /**
   * Ends the run on an abort of `signal` through `end` (a run still going) or `late` (writes settling). Returns
   * false, having called `end`, when `signal` is aborted already.
   */
  watch(signal: AbortSignal, end: (error: Error) => void): boolean {
    if (signal.aborted) {
      end(ExecutionAbortedError.of(signal.reason));
      return false;
    }
    this.unwatch = watchAbort(signal, () => {
      const error = ExecutionAbortedError.of(signal.reason);
      if (this.ended) this.late(error, true);
      else end(error);
    });
    return true;
  }

  /**
   * The run failed after its last node, while its writes settle (a listener threw, it was aborted, the consumer
   * left); `abandon` stops waiting for the writes.
   */
  late(error: Error, abandon: boolean): void {
    if (this.closed) return;
    this.lateError ??= error;
    if (abandon) this.cache.abandon();
  }

  end(error: Error | undefined): void {
    this.ended = true;
    this.signals.end(error);
    if (error) this.cache.abandon();
    const writes = this.cache.writesSettled();
    if (!writes) this.close(error);
    else void writes.then(() => this.close(error));
  }

  private close(error: Error | undefined): void {
    this.unwatch?.();
    error ??= this.lateError;
    let final = error;
    const events = new RunEvents(this.onEvent, (listenerError) => {
      final ??= listenerError;
    });
    events.emit("run:done", undefined, undefined, undefined, error);
    this.closed = true;
    this.listener.onSettled(final);
  }
}
