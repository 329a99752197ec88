import { NodeWorker, type WorkerTaskReport } from "../../bullmq/index";
import { getMetadataStore } from "../../metadata/metadata-store";
import type { CommandContext } from "../command-context";
import { errorJson, oneLine } from "../describe-error";
import { ExitCode } from "../exit-codes";
import { formatDuration } from "../format";
import { requireModules } from "../require-modules";
import { UsageError } from "../usage-error";

/** The options of `moirae worker`. */
export interface WorkerCliOptions {
  redis: string;
  queue?: string;
  prefix?: string;
  concurrency?: number;
  require: string[];
  lockDuration?: number;
  stalledInterval?: number;
  maxStalled?: number;
  json?: boolean;
}

/**
 * Runs a `NodeWorker` until SIGTERM or SIGINT: then it takes no new job, lets the active nodes finish and
 * resolves to exit code 0 (a second signal exits at once, 130). Prints one line per finished node.
 */
export async function runWorker(ctx: CommandContext, options: WorkerCliOptions): Promise<ExitCode> {
  const { io } = ctx;
  if (!/^rediss?:\/\//.test(options.redis)) {
    throw new UsageError(`--redis expects a redis:// or rediss:// URL, got "${options.redis}"`);
  }
  await requireModules(options.require);
  // BullMQ reports every failed reconnection: say each problem once every 30 s.
  let lastWarning = "";
  let lastWarningAt = 0;
  const warn = (text: string) => {
    if (text === lastWarning && Date.now() - lastWarningAt < 30_000) return;
    lastWarning = text;
    lastWarningAt = Date.now();
    io.stderr.write(`warning: ${options.redis}: ${text} (retrying)\n`);
  };
  const line = (value: object, text: string) =>
    options.json ? io.stdout.write(`${JSON.stringify(value)}\n`) : io.stdout.write(`${text}\n`);
  const worker = new NodeWorker({
    connection: options.redis,
    queue: options.queue,
    prefix: options.prefix,
    concurrency: options.concurrency,
    lockDurationMs: options.lockDuration,
    stalledIntervalMs: options.stalledInterval,
    maxStalledCount: options.maxStalled,
    onTask: (report) => line(taskJson(report), taskText(report)),
    onError: (error) => warn(oneLine(error)),
  });
  let stopping = false;
  let stop: (signal: NodeJS.Signals) => void = () => {};
  const stopped = new Promise<NodeJS.Signals>((resolve) => {
    stop = resolve;
  });
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) process.exit(ExitCode.Interrupted);
    stop(signal);
  };
  process.on("SIGTERM", onSignal);
  process.on("SIGINT", onSignal);
  try {
    await Promise.race([worker.waitUntilReady(), stopped]);
    const nodes = [...getMetadataStore().nodeNames()];
    line(
      { type: "ready", worker: worker.id, queue: worker.queueName, server: worker.server, nodes },
      `worker ${worker.id} consumes queue "${worker.queueName}" on ${worker.server} ` +
        `(concurrency ${options.concurrency ?? 1}; nodes: ${nodes.join(", ") || "none"})`,
    );
    const signal = await stopped;
    stopping = true;
    io.stderr.write(
      `${signal}: taking no new job; the active nodes finish first (send it again to exit at once)\n`,
    );
    await worker.close();
    line({ type: "stopped", worker: worker.id }, `worker ${worker.id} stopped`);
    return ExitCode.Success;
  } finally {
    await worker.close();
    process.off("SIGTERM", onSignal);
    process.off("SIGINT", onSignal);
  }
}

function taskJson(report: WorkerTaskReport): object {
  const { error, ...rest } = report;
  return { type: "task", ...rest, ...(error === undefined ? {} : { error: errorJson(error) }) };
}

/** `done    c (AddMul, try 1) 12 ms` — and the reason when it did not produce an output. */
function taskText(report: WorkerTaskReport): string {
  const head = `${report.status.padEnd(9)} ${report.node} (${report.nodeClass}, try ${report.attempt}) ${formatDuration(report.durationMs)}`;
  return report.error === undefined ? head : `${head}: ${oneLine(report.error)}`;
}
