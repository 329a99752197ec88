/** One failing property of a validated value: where it is, which constraints failed, and their messages. */
export interface ValidationIssue {
  /** Dotted path inside the value, e.g. `items[0].name`; empty for the value itself. */
  readonly path: string;
  /** Constraint name → message, as class-validator reports them (e.g. `{ isNumber: "x must be a number…" }`). */
  readonly constraints: Readonly<Record<string, string>>;
}

/** Formats issues as indented lines: `  - items[0].name: must be a string (isString)`. */
export function formatIssues(issues: readonly ValidationIssue[], prefix = ""): string {
  return issues
    .map((issue) => {
      const where = [prefix, issue.path].filter(Boolean).join(".") || "(value)";
      const what = Object.entries(issue.constraints)
        .map(([name, message]) => `${message} (${name})`)
        .join("; ");
      return `  - ${where}: ${what}`;
    })
    .join("\n");
}
