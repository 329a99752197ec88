import "reflect-metadata";
import * as path from "node:path";
import { ExecutionAbortedError } from "../../errors/execution-aborted-error";
import type { ExecuteOptions } from "../../execution/execute-options";
import { executeStream } from "../../execution/executor";
import { explainHash } from "../../graph/explain-hash";
import type { Graph } from "../../graph/graph";
import type { CommandContext } from "../command-context";
import { oneLine } from "../describe-error";
import { ExitCode } from "../exit-codes";
import { HumanReporter } from "../human-reporter";
import { JsonLinesReporter } from "../json-lines-reporter";
import { checkNodeNames, loadGraph } from "../load-graph";
import type { LoadedSpec } from "../load-spec";
import { openCache, type RunCache } from "../open-cache";
import { openDispatch, type RunDispatch } from "../open-dispatch";
import { specArgument } from "../options";
import { type PrintRequest, parsePrint, printText } from "../print-outputs";
import { ProgressBar } from "../progress";
import { ReportFile } from "../report-file";
import { type RunManifest, readDurations, updateDurations, writeManifest } from "../run-manifest";
import type { RunReporter } from "../run-reporter";
import { RunTally } from "../run-tally";

export interface RunOptions {
  require?: string[];
  cacheDir?: string;
  cache?: boolean;
  redis?: string;
  redisPrefix?: string;
  queue?: string;
  concurrency?: number;
  target?: string[];
  print?: string[];
  timeout?: number;
  retries?: number;
  continue?: boolean;
  json?: boolean;
  report?: string;
}

/** Runs `moirae run`: the graph, reported as JSON lines or a table, recorded in the cache directory. */
export async function run(ctx: CommandContext, file: string | undefined, options: RunOptions): Promise<void> {
  const { spec, graph } = await loadGraph({
    spec: specArgument(file, options.require),
    require: options.require,
  });
  if (options.target) checkNodeNames(graph, options.target, "--target");
  const prints = (options.print ?? []).map(parsePrint);
  checkNodeNames(
    options.target ? graph.subgraph(options.target) : graph,
    prints.map((p) => p.node),
    "--print",
  );
  const dispatch = openDispatch(options);
  const cache = openCache(options);
  try {
    ctx.exit(await runGraph(ctx, spec, graph, cache, options, prints, dispatch));
  } finally {
    await Promise.all([cache.close(), dispatch?.close()]);
  }
}

async function runGraph(
  ctx: CommandContext,
  spec: LoadedSpec,
  graph: Graph,
  cache: RunCache,
  options: RunOptions,
  prints: readonly PrintRequest[],
  dispatch: RunDispatch | undefined,
): Promise<ExitCode> {
  const { io } = ctx;
  const nodes = options.target ? graph.subgraph(options.target).order : graph.order;
  const durations = cache.record ? await readDurations(cache.record) : {};
  const tally = new RunTally(graph, nodes, durations, cache.description);
  const report = options.report
    ? new ReportFile(
        options.report,
        options.target ? graph.subgraph(options.target) : graph,
        durations,
        `moirae run ${path.basename(spec.path)}`,
      )
    : undefined;
  const json = options.json ?? !io.stdout.isTTY;
  // The bar goes to standard error when it is a terminal, unless JSON lines go to that same terminal.
  const barStream = process.stderr;
  const bar =
    io.stderr === barStream && barStream.isTTY && !(json && io.stdout.isTTY)
      ? new ProgressBar(tally, barStream)
      : undefined;
  const reporter: RunReporter = json
    ? new JsonLinesReporter(io, tally, ctx.verbose(), bar)
    : new HumanReporter(io, tally, ctx.verbose(), bar);

  const controller = new AbortController();
  const interrupt = () => {
    if (controller.signal.aborted) process.exit(ExitCode.Interrupted);
    io.stderr.write("interrupted: stopping the running nodes (press Ctrl-C again to exit at once)\n");
    controller.abort(new ExecutionAbortedError("interrupted (Ctrl-C)"));
  };
  process.on("SIGINT", interrupt);
  const execution: ExecuteOptions = {
    container: dispatch?.container,
    concurrency: options.concurrency,
    timeoutMs: options.timeout,
    retries: options.retries,
    onError: options.continue ? "continue" : "fail-fast",
    targets: options.target,
    retain: "targets",
    signal: controller.signal,
    cache: cache.provider,
    onEvent: (event) => {
      tally.event(event);
      reporter.event(event);
      report?.record(event);
    },
  };
  let failure: unknown;
  reporter.start();
  try {
    for await (const result of executeStream(graph, execution)) {
      tally.result(result);
      reporter.result(result);
    }
  } catch (error) {
    failure = error;
    tally.runFailed(error);
  } finally {
    process.off("SIGINT", interrupt);
  }
  const summary = tally.summary(failure);
  await report?.write(io);
  if (cache.record) {
    try {
      await record(cache, spec, graph, tally);
    } catch (error) {
      io.stderr.write(`warning: could not record the run in ${cache.record.dir}/meta: ${oneLine(error)}\n`);
    }
  }
  if (controller.signal.aborted) {
    reporter.finish(summary, new Error("interrupted (Ctrl-C): the run stopped before it finished"));
    return ExitCode.Interrupted;
  }
  reporter.finish(summary, failure);
  if (prints.length) {
    const outputs = new Map(tally.table().map((row) => [row.node, row.output]));
    for (const request of prints) {
      const text = printText(request, outputs.get(request.node));
      io.stdout.write(
        json ? `${JSON.stringify({ type: "print", ...request, text })}\n` : `${text.replace(/\n?$/, "\n")}`,
      );
    }
  }
  return summary.ok ? ExitCode.Success : ExitCode.Failure;
}

/** Writes `meta/last-run.json` (every node's status and hash components) and adds to `meta/durations.json`. */
async function record(cache: RunCache, spec: LoadedSpec, graph: Graph, tally: RunTally): Promise<void> {
  const nodes: Record<string, RunManifest["nodes"][string]> = {};
  for (const row of tally.table())
    nodes[row.node] = { status: row.status, hash: explainHash(graph, row.node) };
  await writeManifest(cache.record!, { version: 1, spec: spec.path, time: new Date().toISOString(), nodes });
  await updateDurations(cache.record!, tally.executedDurations());
}
