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
 * resolves to exit code 0 (a second signal exits at once, 130). When Redis stops answering while it stops, it
 * gives up after the worker's close grace, warns and resolves to 1: answers may not have been delivered. Prints one line per finished node (written in
 * batches, at most 20 ms after the node ended).
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
  const output = new LineBatch(io.stdout);
  /** A line now (ready, stopped: someone may be waiting for it), with the task lines before it. */
  const line = (value: object, text: string) => {
    output.add(options.json ? `${JSON.stringify(value)}\n` : `${text}\n`);
    output.flush();
  };
  const worker = new NodeWorker({
    connection: options.redis,
    queue: options.queue,
    prefix: options.prefix,
    concurrency: options.concurrency,
    lockDurationMs: options.lockDuration,
    stalledIntervalMs: options.stalledInterval,
    maxStalledCount: options.maxStalled,
    onTask: (report) =>
      output.add(options.json ? `${JSON.stringify(taskJson(report))}\n` : `${taskText(report)}\n`),
    onError: (error) => warn(oneLine(error)),
  });
  let stopping = false;
  let stop: (signal: NodeJS.Signals) => void = () => {};
  const stopped = new Promise<NodeJS.Signals>((resolve) => {
    stop = resolve;
  });
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) {
      output.flush();
      process.exit(ExitCode.Interrupted);
    }
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
    const closed = await worker.close();
    if (closed.connectionLost) {
      const active = closed.abandoned.length;
      io.stderr.write(
        `warning: ${options.redis}: the connection to Redis was lost and it did not answer while the worker ` +
          `stopped; ${active === 0 ? "no node was running" : `${active} active node${active === 1 ? "" : "s"} (${closed.abandoned.join(", ")}) abandoned`}. ` +
          "Answers not yet written are lost: the active jobs will be taken again by another worker once their " +
          "lock expires\n",
      );
    }
    line(
      {
        type: "stopped",
        worker: worker.id,
        connectionLost: closed.connectionLost,
        abandoned: closed.abandoned,
      },
      `worker ${worker.id} stopped${closed.connectionLost ? " (connection to Redis lost)" : ""}`,
    );
    return closed.connectionLost ? ExitCode.Failure : ExitCode.Success;
  } finally {
    await worker.close();
    output.flush();
    process.off("SIGTERM", onSignal);
    process.off("SIGINT", onSignal);
  }
}

/**
 * The worker's output, written in batches: a line per finished node written at once costs a system call (and
 * wakes the reader of a pipe) per node, which a worker running thousands of small nodes a second feels. Lines
 * are written together at most `delayMs` after the first of them, or as soon as 64 KiB wait.
 */
class LineBatch {
  private text = "";
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly stream: { write(text: string): unknown },
    private readonly delayMs = 20,
  ) {}

  add(line: string): void {
    this.text += line;
    if (this.text.length >= 65_536) this.flush();
    else if (!this.timer) {
      this.timer = setTimeout(() => this.flush(), this.delayMs);
      this.timer.unref();
    }
  }

  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.text === "") return;
    const text = this.text;
    this.text = "";
    this.stream.write(text);
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
