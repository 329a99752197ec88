import { MoiraeError } from "./moirae-error";
import { formatIssues, type ValidationIssue } from "./validation-issue";

/**
 * A node's `execute` returned something that is not a valid instance of its `@Output()` class: `undefined`, a
 * missing or wrongly typed field, an extra field. Listed field by field in `issues`.
 */
export class NodeOutputError extends MoiraeError {
  constructor(
    /** The graph node name, or the node class name for `runNode`. */
    readonly node: string,
    /** The node class. */
    readonly nodeClass: string,
    /** The declared output class. */
    readonly outputClass: string,
    /** Every failing field. */
    readonly issues: readonly ValidationIssue[],
  ) {
    super(
      `Node "${node}" (${nodeClass}) returned an invalid ${outputClass}:\n${formatIssues(issues, "output")}\n` +
        `execute() must resolve to a ${outputClass} or a plain object with exactly its fields.`,
    );
  }
}
