import { MoiraeError } from "./moirae-error";

/**
 * Thrown when a value (a node's arguments or literal inputs) has no canonical encoding, so no topological
 * hash can be computed for it: a function, a symbol, a WeakMap / WeakSet / Promise, an Error, or a cycle.
 * `path` names the offending value (`arguments.options.fn`, `inputs.x[3]<map value>`), `reason` says why.
 */
export class UnhashableValueError extends MoiraeError {
  constructor(
    readonly path: string,
    readonly reason: string,
  ) {
    super(
      `Cannot hash ${path}: ${reason}. Pass data only (numbers, strings, plain objects, arrays, Dates, Maps, ` +
        "Sets, bytes).",
    );
  }
}
