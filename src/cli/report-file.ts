import * as path from "node:path";
import type { ExecutionEvent } from "../execution/execution-event";
import type { Graph } from "../graph/graph";
import type { RunReport } from "../report/run-report";
import { writeAtomically } from "../util/write-atomically";
import type { CliIo } from "./cli-io";
import { oneLine } from "./describe-error";

/**
 * `moirae run --report FILE`: records the run and writes its HTML report, whatever way the run ends (success,
 * failure, Ctrl-C). The report code is loaded only when a report is asked for.
 */
export class ReportFile {
  private readonly report: RunReport;
  readonly file: string;

  constructor(file: string, graph: Graph, durations: Readonly<Record<string, number>>, title: string) {
    const { RunReport } = require("../report/run-report") as typeof import("../report/run-report");
    this.file = path.resolve(file);
    this.report = new RunReport(graph, { durations, title });
  }

  record(event: ExecutionEvent): void {
    this.report.record(event);
  }

  /** Writes the report; a failure to write is a warning (the run's own outcome decides the exit code). */
  async write(io: CliIo): Promise<void> {
    try {
      await writeAtomically(this.file, this.report.toHTML());
      io.stderr.write(`wrote the run report to ${this.file}\n`);
    } catch (error) {
      io.stderr.write(`warning: could not write the run report to ${this.file}: ${oneLine(error)}\n`);
    }
  }
}
