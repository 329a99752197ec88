/** The second argument of a node's `execute(input, ctx)`. */
export interface NodeContext {
  /** The node's name in the graph (the class's registered name under `runNode`). */
  readonly name: string;
  /** The node's topological hash (empty under `runNode`, which has no graph). */
  readonly hash: string;
  /** Fires when the run is aborted, fails fast, or this try times out: stop work and reject. */
  readonly signal: AbortSignal;
  /** Which try this is, counting from 1. */
  readonly attempt: number;
}
