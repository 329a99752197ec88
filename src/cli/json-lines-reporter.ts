import type { ExecutionEvent } from "../execution/execution-event";
import type { NodeResult } from "../execution/node-result";
import type { CliIo } from "./cli-io";
import { errorJson } from "./describe-error";
import { failureReport } from "./failure-report";
import { jsonSafe } from "./json-safe";
import type { ProgressBar } from "./progress";
import type { RunReporter } from "./run-reporter";
import type { RunSummary, RunTally } from "./run-tally";

/**
 * `moirae run --json` (and any run whose standard output is not a terminal): one JSON object per line on
 * standard output — each event as `{ type: "node:start", node, hash, time, attempt }`, each result as
 * `{ type: "result", node, status, hash, durationMs, attempts, output?, error? }`, then
 * `{ type: "summary", ok, executed, cached, … }`. Errors are `{ name, message, cause? }`. What failed is also
 * told in words on standard error.
 */
export class JsonLinesReporter implements RunReporter {
  private readonly reported = new Set<string>();
  /** `node:waiting` messages already told on standard error (each once). */
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
    const { type, node, hash, time, attempt, error, message } = event;
    this.line({ type, node, hash, time, attempt, error: error && errorJson(error), message });
    if (type === "node:waiting" && message && !this.waits.has(message)) {
      this.waits.add(message);
      this.io.stderr.write(`waiting: ${message}\n`);
    }
    this.bar?.update();
  }

  result(result: NodeResult): void {
    this.reported.add(result.node);
    const { node, status, hash, durationMs, attempts, output, error, worker } = result;
    this.line({
      type: "result",
      node,
      status,
      hash,
      durationMs,
      attempts,
      worker,
      output,
      error: error && errorJson(error),
    });
    this.bar?.update();
  }

  finish(summary: RunSummary, failure: unknown): void {
    this.bar?.stop();
    // A fail-fast run throws instead of yielding the failed node's result: give it its line.
    for (const row of this.tally.table()) {
      if (row.status !== "failed" || this.reported.has(row.node)) continue;
      const { node, status, hash, durationMs, attempts, error } = row;
      this.line({
        type: "result",
        node,
        status,
        hash,
        durationMs,
        attempts,
        error: error && errorJson(error),
      });
    }
    for (const line of failureReport(this.tally.table(), failure, {
      cacheErrors: this.tally.cacheErrors,
      verbose: this.verbose,
    })) {
      this.io.stderr.write(`${line}\n`);
    }
    this.line(summary);
  }

  private line(value: object): void {
    let text: string;
    try {
      text = JSON.stringify(value, jsonSafe);
    } catch (error) {
      // An output JSON cannot hold (a cycle): say so on its line instead of losing the line.
      const { output: _output, ...rest } = value as { output?: unknown };
      text = JSON.stringify({ ...rest, outputError: errorJson(error) }, jsonSafe);
    }
    this.io.stdout.write(`${text}\n`);
  }
}
