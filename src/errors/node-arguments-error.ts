import { MoiraeError } from "./moirae-error";
import { formatIssues, type ValidationIssue } from "./validation-issue";

/**
 * The arguments given to a node are wrong: unknown names, missing required ones or invalid values. Every bad
 * argument is listed in `issues`.
 */
export class NodeArgumentsError extends MoiraeError {
  constructor(
    /** The graph node name, or the node class name for `runNode`. */
    readonly node: string,
    /** The node class. */
    readonly nodeClass: string,
    /** Every bad argument. */
    readonly issues: readonly ValidationIssue[],
    /** The arguments the class declares, for the message. */
    readonly declared: readonly string[],
  ) {
    super(
      `Invalid arguments for node "${node}" (${nodeClass}):\n${formatIssues(issues, "arguments")}\n` +
        `${nodeClass} declares ${declared.length ? `the arguments: ${declared.join(", ")}` : "no arguments"}.`,
    );
  }
}
