import { ExecutionAbortedError } from "../errors/execution-aborted-error";

/**
 * The abort signals of a run's in-flight tries, one per node, made on first use (most nodes never look at
 * theirs). Ending the run aborts them all.
 */
export class NodeSignals {
  private readonly controllers: (AbortController | undefined)[];
  /** The run's own signal (`runSignal`), made on first use. */
  private run: AbortController | undefined;
  private ended = false;
  private reason: ExecutionAbortedError | undefined;

  constructor(size: number) {
    this.controllers = new Array(size);
  }

  /** The signal of node `i`'s tries (already aborted once the run was aborted or failed). */
  signalOf(i: number): AbortSignal {
    if (this.ended) return this.reason ? AbortSignal.abort(this.reason) : new AbortController().signal;
    let controller = this.controllers[i];
    if (!controller) {
      controller = new AbortController();
      this.controllers[i] = controller;
    }
    return controller.signal;
  }

  /**
   * One signal for the whole run, aborted with every node's (the same reason, at the same moment): for a
   * dispatcher that watches many tries, one signal per run rather than one per node.
   */
  runSignal(): AbortSignal {
    if (this.ended) return this.reason ? AbortSignal.abort(this.reason) : new AbortController().signal;
    this.run ??= new AbortController();
    return this.run.signal;
  }

  /** Node `i` ended: its signal is no longer the run's business. */
  drop(i: number): void {
    this.controllers[i] = undefined;
  }

  /** The run ended; with an error, every in-flight try's signal aborts with it (as an `ExecutionAbortedError`). */
  end(error: Error | undefined): void {
    this.ended = true;
    if (!error) return;
    const reason = ExecutionAbortedError.of(error);
    this.reason = reason;
    this.run?.abort(reason);
    const controllers = this.controllers;
    for (let i = 0; i < controllers.length; i++) {
      const controller = controllers[i];
      if (controller) {
        controllers[i] = undefined;
        controller.abort(reason);
      }
    }
  }
}
