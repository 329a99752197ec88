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

/** Issues the message lists; all of them stay in `issues`. */
const MAX_LISTED = 100;

/** A path shown in the message, cut when a huge key made it long. */
function clip(path: string): string {
  return path.length <= 200 ? path : `${path.slice(0, 200)}… (${path.length} characters)`;
}

/** A graph spec is invalid. `issues` lists every problem found, not just the first. */
export class GraphValidationError extends MoiraeError {
  constructor(readonly issues: readonly GraphIssue[]) {
    const shown = issues.slice(0, MAX_LISTED);
    const more = issues.length - shown.length;
    super(
      `Invalid graph: ${issues.length} ${issues.length === 1 ? "problem" : "problems"}\n` +
        shown.map((i) => `  - [${i.code}] ${i.path ? `${clip(i.path)}: ` : ""}${i.message}`).join("\n") +
        (more > 0 ? `\n  … and ${more} more (every one is in the error's issues)` : ""),
    );
  }
}
