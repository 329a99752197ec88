import { MoiraeError } from "./moirae-error";

/** One problem found in a graph spec. */
export interface GraphIssue {
  /** The node the problem is in (empty for graph-wide problems such as a cycle). */
  readonly node: string;
  /** Where in the spec: e.g. `c.inputs.x`. */
  readonly path: string;
  /** A stable code for programs, e.g. `unknown-node-class`, `cycle`, `type-mismatch`. */
  readonly code: string;
  /** What is wrong and how to fix it. */
  readonly message: string;
}

/** A graph spec is invalid. `issues` lists every problem found, not just the first. */
export class GraphValidationError extends MoiraeError {
  constructor(readonly issues: readonly GraphIssue[]) {
    super(
      `Invalid graph: ${issues.length} ${issues.length === 1 ? "problem" : "problems"}\n` +
        issues.map((i) => `  - [${i.code}] ${i.path ? `${i.path}: ` : ""}${i.message}`).join("\n"),
    );
  }
}
