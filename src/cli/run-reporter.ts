import type { ExecutionEvent } from "../execution/execution-event";
import type { NodeResult } from "../execution/node-result";
import type { RunSummary } from "./run-tally";

/** Shows a run as it goes: JSON lines or a progress bar and a summary table. Never throws. */
export interface RunReporter {
  start(): void;
  event(event: ExecutionEvent): void;
  result(result: NodeResult): void;
  /** The run ended; `failure` is what the run threw (a fail-fast `NodeExecutionError`, an abort), if anything. */
  finish(summary: RunSummary, failure: unknown): void;
}
