import { causeLines, oneLine, verboseError } from "./describe-error";
import { plural } from "./format";
import type { CacheErrors, NodeRow } from "./run-tally";

/**
 * What went wrong in a run, for standard error: each failed node with its error and cause chain (`verbose`:
 * with their stacks), the skipped nodes, the error the run ended with when it is not one of those, and a
 * warning when the cache failed.
 */
export function failureReport(
  rows: readonly NodeRow[],
  failure: unknown,
  options: { cacheErrors: CacheErrors; verbose: boolean },
): string[] {
  const { cacheErrors, verbose } = options;
  const lines: string[] = [];
  const errors = new Set<unknown>();
  for (const row of rows) {
    if (row.status !== "failed") continue;
    errors.add(row.error);
    // A NodeExecutionError says "Node "x" failed after n attempts: <cause>": show the cause and its chain.
    const cause = row.error?.cause;
    const shown = cause instanceof Error ? cause : row.error;
    const tries = row.attempts > 1 ? ` after ${row.attempts} attempts` : "";
    lines.push(`failed: ${row.node}${tries}: ${shown ? describe(shown) : "(no error given)"}`);
    for (const line of causeLines(shown)) lines.push(`  caused by ${line.replace(/\s*\n\s*/g, " ")}`);
    if (verbose && row.error) lines.push(indent(verboseError(row.error)));
  }
  const skipped = rows.filter((r) => r.status === "skipped").map((r) => r.node);
  if (skipped.length) lines.push(`skipped: ${skipped.join(", ")} (an ancestor failed)`);
  if (failure !== undefined && !errors.has(failure) && !isReportedNodeFailure(failure, rows)) {
    lines.push(`error: ${oneLine(failure)}`);
    for (const cause of causeLines(failure)) lines.push(`  caused by ${cause.replace(/\s*\n\s*/g, " ")}`);
    if (verbose) lines.push(indent(verboseError(failure)));
  }
  if (cacheErrors.count) {
    lines.push(
      `warning: ${plural(cacheErrors.count, "cache error")}; those nodes counted as misses: ${oneLine(cacheErrors.first)}`,
    );
  }
  return lines;
}

function indent(text: string): string {
  return text.replace(/^/gm, "    ");
}

/** `message`, or `Name: message` for errors other than a plain `Error`, on one line. */
function describe(error: Error): string {
  const message = error.message.replace(/\s*\n\s*/g, " ");
  return error.name === "Error" || error.name === "NodeExecutionError"
    ? message
    : `${error.name}: ${message}`;
}

function isReportedNodeFailure(failure: unknown, rows: readonly NodeRow[]): boolean {
  const node = (failure as { node?: unknown } | undefined)?.node;
  return (
    typeof node === "string" &&
    rows.some(
      (r) => r.node === node && r.status === "failed" && r.error?.message === (failure as Error).message,
    )
  );
}
