import { MoiraeError } from "./moirae-error";

/**
 * A value of a node that runs in another thread or process (its input, arguments or output) is not data, so it
 * cannot cross to the other side: a function, a symbol, a cycle, a class instance that is not a plain record…
 */
export class NodeTransferError extends MoiraeError {
  constructor(
    /** The graph node (or the node class's registered name). */
    readonly node: string,
    /** Which value could not cross. */
    readonly role: "input" | "arguments" | "output",
    /** Where in the value, e.g. `output.items[2].fn`. */
    readonly path: string,
    /** What is wrong there. */
    readonly reason: string,
  ) {
    super(
      `The ${role} of node "${node}" cannot cross to another thread or process: ${path} ${reason}. ` +
        "Nodes that run in worker threads or on workers take and return data only (numbers, strings, " +
        "bigints, Dates, Maps, Sets, typed arrays, arrays, plain objects and data-class instances).",
    );
  }
}
