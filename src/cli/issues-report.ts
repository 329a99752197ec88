import type { GraphIssue } from "../errors/graph-validation-error";
import { plural } from "./format";
import type { LoadedSpec } from "./load-spec";

/** A graph issue with where it is in the spec file. */
export interface LocatedIssue extends GraphIssue {
  /** `file:line:col`, or the file when the path is not in it (a missing key, a cycle). */
  readonly location: string;
}

/** Adds the file position of each issue. */
export function locateIssues(spec: LoadedSpec, issues: readonly GraphIssue[]): LocatedIssue[] {
  return issues.map((issue) => ({
    node: issue.node,
    path: issue.path,
    code: issue.code,
    message: issue.message,
    location: (issue.path && spec.locate(issue.path)) || spec.file,
  }));
}

/** `spec.yaml: invalid graph, 2 problems:` and one line per issue: `spec.yaml:4:8: c.inputs.x [code] message`. */
export function formatIssues(spec: LoadedSpec, issues: readonly GraphIssue[]): string[] {
  return [
    `${spec.file}: invalid graph, ${plural(issues.length, "problem")}:`,
    ...locateIssues(spec, issues).map(
      (i) => `  ${i.location}: ${i.path ? `${i.path} ` : ""}[${i.code}] ${i.message}`,
    ),
  ];
}
