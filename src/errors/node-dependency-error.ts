import { MoiraeError } from "./moirae-error";

/** One node class whose services could not be resolved. */
export interface UnresolvedNode {
  readonly nodeClass: string;
  /** The module whose scope it was resolved in. */
  readonly module: string;
  /** The dependency injector's explanation. */
  readonly reason: string;
}

/**
 * At start-up of a Nest app, the services of one or more nodes listed in `MoiraeModule.forFeature` cannot be
 * resolved. `nodes` lists every one of them.
 */
export class NodeDependencyError extends MoiraeError {
  constructor(readonly nodes: readonly UnresolvedNode[]) {
    super(
      `The services of ${nodes.length} node ${nodes.length === 1 ? "class" : "classes"} cannot be resolved:\n` +
        nodes
          .map(
            (n) =>
              `  - ${n.nodeClass} (MoiraeModule.forFeature in ${n.module}): ${n.reason.replace(/\n/g, "\n    ")}`,
          )
          .join("\n") +
        "\nProvide each missing service in that module (or import the module that exports it).",
    );
  }
}
