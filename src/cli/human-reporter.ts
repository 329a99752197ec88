import { inspect } from "node:util";
import type { ExecutionEvent } from "../execution/execution-event";
import type { NodeResult } from "../execution/node-result";
import type { CliIo } from "./cli-io";
import { failureReport } from "./failure-report";
import { formatDuration, plural, table, truncate } from "./format";
import { jsonSafe } from "./json-safe";
import type { ProgressBar } from "./progress";
import type { RunReporter } from "./run-reporter";
import type { NodeRow, RunSummary, RunTally } from "./run-tally";

/**
 * `moirae run` on a terminal: the live progress bar while the run goes (standard error), then a table of every
 * node (status, duration, output) and a summary line: executed vs cached, wall time, time saved by the cache.
 */
export class HumanReporter implements RunReporter {
  /** `node:waiting` messages already printed (each is printed once). */
  private readonly waits = new Set<string>();

  constructor(
    private readonly io: CliIo,
    private readonly tally: RunTally,
    private readonly verbose: boolean,
    private readonly bar?: ProgressBar,
  ) {}

  start(): void {
    this.bar?.start();
  }

  event(event: ExecutionEvent): void {
    if (event.type === "node:waiting" && event.message && !this.waits.has(event.message)) {
      this.waits.add(event.message);
      this.io.stderr.write(`${this.bar ? "\n" : ""}waiting: ${event.message}\n`);
    }
    this.bar?.update();
  }

  result(_result: NodeResult): void {
    this.bar?.update();
  }

  finish(summary: RunSummary, failure: unknown): void {
    this.bar?.stop();
    const rows = this.tally.table();
    const out = this.io.stdout;
    for (const line of summaryTable(rows, this.io.stdout.columns ?? 120)) out.write(`${line}\n`);
    out.write(`${summaryLine(summary)}\n`);
    for (const line of failureReport(rows, failure, {
      cacheErrors: this.tally.cacheErrors,
      verbose: this.verbose,
    }))
      this.io.stderr.write(`${line}\n`);
  }
}

/** `node  status  duration  [tries]  output` for every node, the output cut to the terminal's width. */
export function summaryTable(rows: readonly NodeRow[], columns: number): string[] {
  const retried = rows.some((r) => r.attempts > 1);
  const cells = rows.map((r) => [
    r.node,
    r.status,
    r.status === "done" || r.status === "failed" ? formatDuration(r.durationMs) : "",
    ...(retried ? [r.attempts > 1 ? String(r.attempts) : ""] : []),
  ]);
  const header = ["node", "status", "duration", ...(retried ? ["tries"] : [])];
  const lines = table([header, ...cells].map((row) => [...row, "."])).map((line) => line.slice(0, -1));
  const width = lines[0]!.length;
  const room = Math.max(20, columns - width - 1);
  return lines.map((line, i) => {
    const output = i === 0 ? "output" : rows[i - 1]!.output;
    return output === undefined
      ? line.trimEnd()
      : `${line}${truncate(typeof output === "string" ? output : preview(output), room)}`;
  });
}

/** `3 nodes: 1 executed, 2 cached · wall 120 ms · saved by the cache ≈ 2.40 s of node time`. */
export function summaryLine(s: RunSummary): string {
  const counts = [`${s.executed} executed`, `${s.cached} cached`];
  if (s.failed) counts.push(`${s.failed} failed`);
  if (s.skipped) counts.push(`${s.skipped} skipped`);
  if (s.notRun) counts.push(`${s.notRun} not run`);
  let saved = "";
  if (s.cached) {
    saved =
      s.savedKnown === 0
        ? " · time saved by the cache: unknown (no durations recorded)"
        : ` · saved by the cache ≈ ${formatDuration(s.savedMs)} of node time${s.savedKnown < s.cached ? ` (${s.savedKnown} of ${s.cached} cached nodes have a recorded duration)` : ""}`;
  }
  return `${plural(s.nodes, "node")}: ${counts.join(", ")} · wall ${formatDuration(s.wallMs)}${saved}${s.ok ? "" : " · FAILED"}`;
}

/** The output as JSON (as `--json` prints it), or as `inspect` shows it when JSON cannot hold it. */
function preview(output: object): string {
  try {
    return JSON.stringify(output, jsonSafe);
  } catch {
    return inspect(output, { depth: 2, breakLength: Number.POSITIVE_INFINITY, maxArrayLength: 5 });
  }
}
