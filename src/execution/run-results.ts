import type { ExecutionPlan } from "./execution-plan";
import type { NodeResult, NodeResultStatus } from "./node-result";

/** What a run reports to its owner (the stream or `Executor.run`). */
export interface RunListener {
  /** Whether the caller wants outputs back at the end (`run`); a stream hands each output out as it comes. */
  readonly returnsOutputs: boolean;
  /** Each node's result, in completion order (streams only: `run` passes none and no results are built). */
  readonly onResult?: (result: NodeResult) => void;
  /**
   * Called once when the run is over: with the fail-fast error, the abort, or a listener's error; without one
   * when every selected node has a result (in `"continue"` mode `errors` then says what failed).
   */
  readonly onSettled: (error: Error | undefined) => void;
}

/** Builds each node's `NodeResult` for the listener, timing the nodes; does nothing when it takes no results. */
export class RunResults {
  private readonly onResult: ((result: NodeResult) => void) | undefined;
  private readonly startedAt: Float64Array;
  /** Where each node's last try ran, when its dispatcher said (remote workers only). */
  private workers: (string | undefined)[] | undefined;

  constructor(
    private readonly plan: ExecutionPlan,
    listener: RunListener,
  ) {
    this.onResult = listener.onResult;
    this.startedAt = new Float64Array(this.onResult ? plan.size : 0);
  }

  /** Node `i` starts (its inputs are ready and a slot is free). */
  started(i: number): void {
    if (this.onResult) this.startedAt[i] = performance.now();
  }

  /** Node `i`'s current try runs on `worker` (its result names it). */
  ranOn(i: number, worker: string): void {
    if (!this.onResult) return;
    this.workers ??= new Array(this.plan.size);
    this.workers[i] = worker;
  }

  /** Node `i` has its output. */
  output(i: number, output: object, status: NodeResultStatus, attempts: number): void {
    if (!this.onResult) return;
    const result: NodeResult = {
      node: this.plan.names[i]!,
      status,
      output,
      hash: this.plan.hashes[i]!,
      durationMs: performance.now() - this.startedAt[i]!,
      attempts,
    };
    const worker = status === "done" ? this.workers?.[i] : undefined;
    this.onResult(worker === undefined ? result : { ...result, worker });
  }

  /** Node `i` failed (`onError: "continue"`). */
  failed(i: number, error: Error, attempts: number): void {
    this.onResult?.({
      node: this.plan.names[i]!,
      status: "failed",
      error,
      hash: this.plan.hashes[i]!,
      durationMs: performance.now() - this.startedAt[i]!,
      attempts,
    });
  }

  /** Node `i` was skipped because an ancestor failed. */
  skipped(i: number, error: Error): void {
    this.onResult?.({
      node: this.plan.names[i]!,
      status: "skipped",
      error,
      hash: this.plan.hashes[i]!,
      durationMs: 0,
      attempts: 0,
    });
  }
}
