/** The kinds of event `onEvent` receives. */
export type ExecutionEventType =
  | "run:start"
  | "node:start"
  | "node:done"
  | "node:failed"
  | "node:skipped"
  | "node:retry"
  | "node:waiting"
  | "cache:hit"
  | "cache:miss"
  | "cache:error"
  | "run:done";

/**
 * A progress event of a run, passed to the `onEvent` option synchronously, in order.
 *
 * - `run:start` / `run:done`: no `node`; `run:done` carries `error` when the run failed or was aborted.
 * - `node:start`: the node starts — its inputs are ready and a slot is free (`attempt` 1) — before any cache lookup.
 * - `node:retry`: a try failed (`error`) and try number `attempt` comes next, after the backoff.
 * - `node:done` / `node:failed`: `attempt` is the number of tries made; `node:failed` carries the error.
 * - `node:skipped` (`onError: "continue"`): `error` is a `NodeSkippedError` naming the failed ancestor.
 * - `node:waiting`: the node's dispatcher cannot start it yet and says why in `message` (e.g. no BullMQ worker
 *   consumes its queue); the node keeps waiting, within its time limit.
 */
export interface ExecutionEvent {
  readonly type: ExecutionEventType;
  /** The node's name in the graph (node events). */
  readonly node?: string;
  /** The node's topological hash (node events). */
  readonly hash?: string;
  /** When it happened: milliseconds since the epoch (`Date.now()`). */
  readonly time: number;
  /** The try this event is about, counting from 1. */
  readonly attempt?: number;
  readonly error?: Error;
  /** Why the node waits, in words (`node:waiting`). */
  readonly message?: string;
}
