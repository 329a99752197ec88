import { MoiraeError } from "./moirae-error";
import { formatIssues, type ValidationIssue } from "./validation-issue";

/**
 * A value does not match its `@Input()` / `@Output()` class: every failing property is listed in `issues`.
 */
export class DataValidationError extends MoiraeError {
  constructor(
    /** The data class the value was checked against. */
    readonly dataClass: string,
    /** Every failing property. */
    readonly issues: readonly ValidationIssue[],
    /** The graph node (or node class, for `runNode`) whose data this is. */
    readonly node?: string,
    /** Which data of the node: its input or its output. */
    readonly role: "input" | "output" = "input",
  ) {
    super(
      `${node ? `Node "${node}" ${role}` : `Value`} does not match ${dataClass}:\n${formatIssues(issues, role)}\n` +
        `Fix the value (or the constraints declared on ${dataClass}).`,
    );
  }
}
