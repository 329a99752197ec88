import { MoiraeError } from "./moirae-error";

/** Carried by a `skipped` result (`onError: "continue"`): the node did not run because an ancestor failed. */
export class NodeSkippedError extends MoiraeError {
  constructor(
    readonly node: string,
    /** The failed ancestor that made this node unreachable. */
    readonly failedAncestor: string,
  ) {
    super(`Node "${node}" was skipped because its ancestor "${failedAncestor}" failed.`);
  }
}
