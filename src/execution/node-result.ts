/** How a node ended in a run. */
export type NodeResultStatus = "done" | "cached" | "failed" | "skipped";

/**
 * What `executeStream` yields for each node, in completion order.
 *
 * - `done`: the node ran; `output` is its validated output.
 * - `cached`: the output was reused without running the node (from the cache, or from another node of the same
 *   run with the same topological hash); `attempts` is 0.
 * - `failed` (`onError: "continue"` only): `error` is a `NodeExecutionError` (or `NodeTimeoutError`).
 * - `skipped` (`onError: "continue"` only): an ancestor failed; `error` is a `NodeSkippedError` naming it.
 */
export interface NodeResult<O extends object = object> {
  /** The node's name in the graph. */
  readonly node: string;
  readonly status: NodeResultStatus;
  /** The output (`done` and `cached`). */
  readonly output?: O;
  /** Why the node has no output (`failed` and `skipped`). */
  readonly error?: Error;
  /** The node's topological hash. */
  readonly hash: string;
  /** Milliseconds from the node's start (its inputs ready, a concurrency slot free) to its end; 0 when skipped. */
  readonly durationMs: number;
  /** Tries of `execute` made, counting from 1 (0 when cached or skipped). */
  readonly attempts: number;
  /**
   * Where the node ran, when not in this process: `"host:pid"` of the BullMQ worker (`moirae/bullmq`) that
   * answered its last try. Absent for nodes run in this process, cached or skipped.
   */
  readonly worker?: string;
}
