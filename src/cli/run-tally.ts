import type { ExecutionEvent } from "../execution/execution-event";
import type { NodeResult, NodeResultStatus } from "../execution/node-result";
import { timeSaved } from "../util/time-saved";
import { type ErrorJson, errorJson } from "./describe-error";

/** One node's line in the run summary. */
export interface NodeRow {
  readonly node: string;
  /** `not-run`: a fail-fast run stopped before the node ended, or the node was not needed. */
  readonly status: NodeResultStatus | "not-run";
  readonly hash: string;
  readonly durationMs: number;
  readonly attempts: number;
  readonly output?: object;
  readonly error?: Error;
}

/** The final line of `moirae run --json`, and what the human summary shows. */
export interface RunSummary {
  readonly type: "summary";
  readonly ok: boolean;
  readonly nodes: number;
  readonly executed: number;
  readonly cached: number;
  readonly failed: number;
  readonly skipped: number;
  readonly notRun: number;
  /** From the start of the run to its end. */
  readonly wallMs: number;
  /** The recorded durations of the cached nodes added up: the time the cache saved. */
  readonly savedMs: number;
  /** How many cached nodes had a recorded duration (the others are not in `savedMs`). */
  readonly savedKnown: number;
  /** Where outputs were cached: a directory, a Redis server, or `none`. */
  readonly cache: string;
  /** Cache reads or writes that failed (each counted as a miss). */
  readonly cacheErrors: number;
  readonly error?: ErrorJson;
}

/** Cache errors reported during a run (the run goes on: each counts as a miss). */
export interface CacheErrors {
  count: number;
  first?: Error;
}

/** Collects the results and events of one run into rows and a summary. */
export class RunTally {
  private readonly rows = new Map<string, NodeRow>();
  private readonly started = new Map<string, number>();
  readonly running = new Set<string>();
  readonly cacheErrors: CacheErrors = { count: 0 };
  private readonly startTime = performance.now();

  /** `nodes`: every node of the run in topological order; `durations`: ms by hash of earlier executions. */
  constructor(
    private readonly graph: { hashOf(name: string): string },
    readonly nodes: readonly string[],
    private readonly durations: Readonly<Record<string, number>>,
    private readonly cache: string,
  ) {}

  event(event: ExecutionEvent): void {
    if (event.type === "cache:error") {
      this.cacheErrors.count++;
      this.cacheErrors.first ??= event.error;
    }
    if (!event.node) return;
    if (event.type === "node:start") {
      this.running.add(event.node);
      this.started.set(event.node, performance.now());
    } else if (event.type === "node:done" || event.type === "node:skipped") this.running.delete(event.node);
    else if (event.type === "node:failed") this.failed(event.node, event.error, event.attempt);
  }

  /**
   * The run threw `error`. A fail-fast run rejects with the failing node's `NodeExecutionError` instead of
   * yielding its result: record that node as failed.
   */
  runFailed(error: unknown): void {
    const { node, attempts } = (error ?? {}) as { node?: unknown; attempts?: unknown };
    if (typeof node === "string" && this.nodes.includes(node)) {
      this.failed(node, error as Error, typeof attempts === "number" ? attempts : undefined);
    }
  }

  private failed(node: string, error: Error | undefined, attempts: number | undefined): void {
    if (this.rows.has(node)) return;
    const start = this.started.get(node);
    this.running.delete(node);
    this.rows.set(node, {
      node,
      status: "failed",
      hash: this.graph.hashOf(node),
      durationMs: start === undefined ? 0 : performance.now() - start,
      attempts: attempts ?? 1,
      error,
    });
  }

  result(result: NodeResult): void {
    this.running.delete(result.node);
    this.rows.set(result.node, {
      node: result.node,
      status: result.status,
      hash: result.hash,
      durationMs: result.durationMs,
      attempts: result.attempts,
      output: result.output,
      error: result.error,
    });
  }

  /** How many nodes ended with each status so far. */
  count(status: NodeRow["status"]): number {
    let n = 0;
    for (const row of this.rows.values()) if (row.status === status) n++;
    return n;
  }

  /** How many nodes have ended. */
  get ended(): number {
    return this.rows.size;
  }

  /** Every node of the run in topological order, `not-run` for those that did not end. */
  table(): NodeRow[] {
    return this.nodes.map(
      (node) =>
        this.rows.get(node) ?? {
          node,
          status: "not-run",
          hash: this.graph.hashOf(node),
          durationMs: 0,
          attempts: 0,
        },
    );
  }

  /** The hash → duration of every node that executed in this run. */
  executedDurations(): Map<string, number> {
    const executed = new Map<string, number>();
    for (const row of this.rows.values()) if (row.status === "done") executed.set(row.hash, row.durationMs);
    return executed;
  }

  summary(error?: unknown): RunSummary {
    const rows = this.table();
    const { savedMs, savedKnown } = timeSaved(rows, this.durations);
    const count = (status: NodeRow["status"]) => rows.filter((r) => r.status === status).length;
    return {
      type: "summary",
      ok: error === undefined && count("failed") === 0 && count("skipped") === 0,
      nodes: rows.length,
      executed: count("done"),
      cached: count("cached"),
      failed: count("failed"),
      skipped: count("skipped"),
      notRun: count("not-run"),
      wallMs: Math.round((performance.now() - this.startTime) * 1000) / 1000,
      savedMs,
      savedKnown,
      cache: this.cache,
      cacheErrors: this.cacheErrors.count,
      ...(error === undefined ? {} : { error: errorJson(error) }),
    };
  }
}
