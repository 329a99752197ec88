// Nodes and runs the report tests draw: a success, a partly cached run, a failure (continue mode), an abort.
import "reflect-metadata";
import { IsInt, IsNumber, IsOptional, IsString, Min } from "class-validator";
import {
  buildGraph,
  type ExecuteOptions,
  execute,
  type Graph,
  Input,
  MemoryCacheProvider,
  Node,
  type NodeContext,
  RunReport,
} from "../../src/index";
import { O } from "../fixtures/data-classes";

@Input()
export class WorkInput {
  @IsOptional() @IsNumber() a?: number;
  @IsOptional() @IsNumber() b?: number;
}

/** Waits `ms`, fails its first `fail` tries (with `message`), then returns o = 1 + a + b. */
@Node({ input: WorkInput, output: O })
export class Work {
  @IsInt() @Min(0) ms = 0;
  @IsInt() @Min(0) fail = 0;
  @IsString() message = "try failed";
  async execute(input: WorkInput, ctx: NodeContext): Promise<O> {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(resolve, this.ms);
      ctx.signal.addEventListener("abort", () => {
        clearTimeout(timer);
        reject(ctx.signal.reason);
      });
    });
    if (ctx.attempt <= this.fail) throw new Error(this.message);
    return { o: 1 + (input.a ?? 0) + (input.b ?? 0) };
  }
}

/** A node class whose registered name would be markup if the report did not escape it. */
@Node({ input: WorkInput, output: O, name: "<img src=x onerror=alert(1)>" })
export class EvilName {
  async execute(input: WorkInput): Promise<O> {
    return { o: input.a ?? 0 };
  }
}

const EVIL = '</script><script>window.__pwned = true</script><b onmouseover="alert(1)">"&amp;';

/**
 * load → (clean, parse) → features → train; plus report ← (train, stats). Durations make a visible timeline:
 * clean and parse run at once, train is on the critical path, stats is short.
 */
export function pipeline(
  options: { failTrain?: boolean; slowTrainMs?: number; slowCleanMs?: number } = {},
): Graph {
  return buildGraph({
    load: { node: Work, arguments: { ms: 40 }, inputs: {} },
    clean: { node: Work, arguments: { ms: options.slowCleanMs ?? 80 }, inputs: { a: "${load.o}" } },
    parse: {
      node: Work,
      arguments: { ms: 25, fail: 1, message: "flaky parser" },
      inputs: { a: "${load.o}" },
    },
    features: { node: Work, arguments: { ms: 30 }, inputs: { a: "${clean.o}", b: "${parse.o}" } },
    train: {
      node: Work,
      arguments: {
        ms: options.slowTrainMs ?? 90,
        fail: options.failTrain ? 9 : 0,
        message: options.failTrain ? `model diverged ${EVIL}` : "x",
      },
      inputs: { a: "${features.o}" },
    },
    stats: { node: Work, arguments: { ms: 15 }, inputs: { a: "${load.o}" } },
    evil: { node: EvilName, inputs: { a: 1 } },
    report: { node: Work, arguments: { ms: 10 }, inputs: { a: "${train.o}", b: "${stats.o}" } },
  });
}

export interface RecordedRun {
  readonly report: RunReport;
  readonly html: string;
  readonly error?: unknown;
}

/** Runs `graph` with a report recording it; the run's rejection (if any) is returned, not thrown. */
export async function recordRun(
  graph: Graph,
  options: ExecuteOptions = {},
  durations?: Record<string, number>,
  title?: string,
): Promise<RecordedRun> {
  const report = new RunReport(graph, { durations, title });
  let error: unknown;
  try {
    await execute(graph, {
      retries: 1,
      ...options,
      onEvent: (event) => {
        report.record(event);
        options.onEvent?.(event);
      },
    });
  } catch (e) {
    error = e;
  }
  return { report, html: report.toHTML(), error };
}

/** The four runs the browser tests open. */
export async function fourRuns(): Promise<Record<"success" | "cached" | "failed" | "aborted", RecordedRun>> {
  const success = await recordRun(pipeline(), {}, undefined, "a successful run");

  // partly cached: the same pipeline again with a slower train (a new hash downstream of features)
  const cache = new MemoryCacheProvider();
  const first = await recordRun(pipeline(), { cache });
  const cached = await recordRun(
    pipeline({ slowTrainMs: 70 }),
    { cache },
    first.report.durations(),
    "a partly cached run",
  );

  const failed = await recordRun(
    pipeline({ failTrain: true }),
    { onError: "continue" },
    undefined,
    "a failed run",
  );

  // aborted once parse is done: load and parse ended, clean (5 s) is running, features and after never start
  const controller = new AbortController();
  const aborted = await recordRun(
    pipeline({ slowCleanMs: 5000 }),
    {
      signal: controller.signal,
      onEvent: (event) => {
        if (event.type === "node:done" && event.node === "parse")
          controller.abort(new Error("stopped by the test"));
      },
    },
    undefined,
    "an aborted run",
  );
  return { success, cached, failed, aborted };
}
