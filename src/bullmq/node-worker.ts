import * as os from "node:os";
import { type Job, UnrecoverableError, Worker } from "bullmq";
import { Redis, type RedisOptions } from "ioredis";
import type { DependencyContainer } from "tsyringe";
import { QueueConfigurationError } from "../errors/queue-configuration-error";
import { QueueConnectionError } from "../errors/queue-connection-error";
import { executeRemoteTask, type RemoteOutcome } from "../remote/run-remote-task";
import { encodeFailure, outputMessage } from "../remote/task-result";
import { jsonLength, pack } from "../remote/wire-data";
import { messageOf } from "../util/error-text";
import { ActiveTry } from "./active-try";
import { type CancelListener, listenForCancels } from "./cancel-listener";
import { bullmqConnection, describeServer, type QueueConnection, redisOptions } from "./connection";
import { asBuffer, hashAndAttempt, type TaskJobData, type TaskJobResult } from "./job-payload";
import { checkCount } from "./option-checks";
import { DEFAULT_PREFIX, DEFAULT_QUEUE, QueueKeys, queueNameProblem } from "./queue-keys";
import { whenSilent } from "./silence-watch";

/** Options of {@link NodeWorker}. */
export interface NodeWorkerOptions {
  /** The Redis server of the queue: a `redis://` URL or ioredis options. Default `redis://127.0.0.1:6379`. */
  connection?: QueueConnection;
  /** The BullMQ queue to consume. Default `"moirae"`. */
  queue?: string;
  /** BullMQ's key prefix (the coordinators must use the same). Default `"bull"`. */
  prefix?: string;
  /** At most this many nodes run at once in this worker. Default 1. */
  concurrency?: number;
  /**
   * Where node classes and their constructor services are resolved (default: tsyringe's root container). The
   * node classes must be registered in this process (import their modules before starting the worker).
   */
  container?: DependencyContainer;
  /** Results larger than this many bytes travel under a key of their own. Default 256 KiB. */
  inlineBytes?: number;
  /**
   * How long a running node's lock lasts without renewal (BullMQ `lockDuration`; renewed every half of it). When
   * the worker dies, its nodes are taken again by another worker within about `lockDurationMs +
   * stalledIntervalMs`. A node that blocks the event loop longer than this loses its lock and may run twice:
   * use `thread: true` for such nodes. Default 8000 ms.
   */
  lockDurationMs?: number;
  /** How often this worker looks for nodes whose worker died (BullMQ `stalledInterval`). Default 5000 ms. */
  stalledIntervalMs?: number;
  /**
   * How many times one try may be taken again after its worker died before BullMQ fails it (the coordinator then
   * retries it if the node has retries left). Default 1.
   */
  maxStalledCount?: number;
  /**
   * How long `close()` waits for a Redis that does not answer (it went down after the worker connected, or is
   * unreachable) before it gives up: then it disconnects without delivering the answers still to write, and the
   * jobs active here are taken again by another worker once their lock expires. Default 5000 ms.
   */
  closeGraceMs?: number;
  /** Called once per finished try, in this process. */
  onTask?: (report: WorkerTaskReport) => void;
  /** Called with connection and BullMQ errors (default: ignored; BullMQ reconnects by itself). */
  onError?: (error: Error) => void;
}

/** How one try ended on this worker (see `NodeWorkerOptions.onTask`). */
export interface WorkerTaskReport {
  /** The BullMQ job id. */
  readonly jobId: string;
  /** The graph node. */
  readonly node: string;
  /** The node class's registered name. */
  readonly nodeClass: string;
  readonly hash: string;
  readonly attempt: number;
  /**
   * `done`: it produced an output; `failed`: it threw or timed out; `refused`: the class is not registered here or
   * its fingerprint differs from the coordinator's; `cancelled`: the coordinator cancelled it.
   */
  readonly status: "done" | "failed" | "refused" | "cancelled";
  readonly durationMs: number;
  /** Why it did not produce an output. */
  readonly error?: unknown;
}

/** How `NodeWorker.close()` ended. */
export interface NodeWorkerClosed {
  /**
   * Redis stopped answering while the worker closed, and the worker gave up on it after `closeGraceMs`: answers
   * of the nodes active then were not delivered (their jobs are taken again by another worker once their lock
   * expires, after about `lockDurationMs + stalledIntervalMs`).
   */
  readonly connectionLost: boolean;
  /** The nodes still running here when the worker gave up (their signal was aborted). */
  readonly abandoned: readonly string[];
}

/** What `close()` reaches inside BullMQ's Worker when Redis is lost (both optional: a later BullMQ may differ). */
interface BullmqWorkerInternals {
  stalledCheckStopper?: () => void;
  lockManager?: { close(): Promise<void> };
}

/** How long a result's or an error's bytes stay in Redis when no coordinator reads them. */
const RESULT_TTL_MS = 3600 * 1000;

/**
 * A BullMQ worker that runs the node tries `QueueDispatcher`s send: each job is one try of one node, run exactly
 * as in-process (a fresh instance from the container, arguments, time limit, `ctx.signal`, validated output).
 * The node classes must be registered in this process; a task whose class is missing or differs from the
 * coordinator's (fingerprint) is refused, and the coordinator fails that node without retrying it.
 *
 * @example
 * ```ts
 * import "./nodes"; // registers the node classes
 * const worker = new NodeWorker({ connection: "redis://127.0.0.1:6379", queue: "moirae", concurrency: 4 });
 * process.on("SIGTERM", () => void worker.close()); // lets active nodes finish, takes no new job
 * ```
 */
export class NodeWorker {
  /** This worker: `"host:pid"`. */
  readonly id = `${os.hostname()}:${process.pid}`;
  readonly queueName: string;
  /** The server, for messages (`redis://host:port/db`). */
  readonly server: string;
  private readonly worker: Worker<TaskJobData, TaskJobResult>;
  private readonly client: Redis;
  private readonly keys: QueueKeys;
  private readonly inlineBytes: number;
  private readonly container: DependencyContainer | undefined;
  private readonly cancels: CancelListener;
  /** The tries running here, by job id. */
  private readonly active = new Map<string, ActiveTry>();
  private closing: Promise<NodeWorkerClosed> | undefined;
  private readonly closeGraceMs: number;
  /** Whether Redis ever answered: until it does, no job can be active, and closing need not wait for BullMQ. */
  private reached = false;
  /** The client's last connection error. */
  private lastError: Error | undefined;

  constructor(private readonly options: NodeWorkerOptions = {}) {
    const component = "NodeWorker";
    this.queueName = options.queue ?? DEFAULT_QUEUE;
    const problem = queueNameProblem(this.queueName);
    if (problem) throw new QueueConfigurationError(component, "queue", problem);
    const prefix = options.prefix ?? DEFAULT_PREFIX;
    const redis: RedisOptions = redisOptions(options.connection, component);
    this.server = describeServer(redis);
    this.keys = new QueueKeys(prefix, this.queueName);
    this.inlineBytes = checkCount(component, "inlineBytes", options.inlineBytes, 256 * 1024, 0);
    this.container = options.container;
    const concurrency = checkCount(component, "concurrency", options.concurrency, 1, 1);
    const lockDuration = checkCount(component, "lockDurationMs", options.lockDurationMs, 8000, 100);
    const stalledInterval = checkCount(component, "stalledIntervalMs", options.stalledIntervalMs, 5000, 100);
    const maxStalledCount = checkCount(component, "maxStalledCount", options.maxStalledCount, 1, 0);
    this.closeGraceMs = checkCount(component, "closeGraceMs", options.closeGraceMs, 5000, 0);
    const onError = (error: Error) => options.onError?.(error);
    this.client = new Redis({ ...redis, maxRetriesPerRequest: 3 });
    this.client.on("error", (error: Error) => {
      this.lastError = error;
      onError(error);
    });
    this.client.once("ready", () => {
      this.reached = true;
    });
    this.cancels = listenForCancels(redis, this.keys.cancelChannel, onError, (job, reason) =>
      this.cancel(job, reason),
    );
    this.worker = new Worker<TaskJobData, TaskJobResult>(this.queueName, (job) => this.process(job), {
      connection: bullmqConnection(redis),
      prefix,
      concurrency,
      lockDuration,
      stalledInterval,
      maxStalledCount,
      name: this.id,
    });
    this.worker.on("error", onError);
  }

  /**
   * Resolves once the worker is connected and listening for jobs and cancel requests; rejects when Redis does not
   * answer (the worker keeps trying to connect until it is closed).
   */
  async waitUntilReady(): Promise<void> {
    try {
      await this.client.ping();
    } catch (error) {
      throw new QueueConnectionError(this.server, this.queueName, this.lastError ?? error);
    }
    await Promise.all([this.worker.waitUntilReady(), this.cancels.ready]);
  }

  /**
   * Stops taking jobs, lets the active nodes finish (their answers are delivered), then closes every connection.
   * `force`: do not wait for active nodes (their jobs are taken again by another worker). When Redis does not
   * answer for `closeGraceMs` meanwhile, it gives up: it aborts the active nodes' signals, drops the connections
   * and resolves with `connectionLost` (it never waits for ever for a lost server).
   */
  close(force = false): Promise<NodeWorkerClosed> {
    this.closing ??= (async () => {
      const reached = this.reached;
      const graceful = (async () => {
        await this.worker.close(force || !reached);
        await Promise.allSettled([this.cancels.close(reached), reached ? this.client.quit() : undefined]);
      })();
      graceful.catch(() => {});
      if (!reached || !(await whenSilent(this.client, this.closeGraceMs, graceful))) {
        await graceful;
        this.client.disconnect();
        return { connectionLost: false, abandoned: [] };
      }
      const abandoned = [...this.active.values()].map((active) => active.node);
      for (const active of this.active.values()) {
        active.cancel(`the worker lost its connection to Redis (${this.server}) while closing`);
      }
      this.client.disconnect();
      // BullMQ's own close waits for the lost server before it stops its lock renewal and stalled-job timers,
      // which would keep the process alive: stop them (internal members of BullMQ 5–6's Worker)
      const internals = this.worker as unknown as BullmqWorkerInternals;
      internals.stalledCheckStopper?.();
      const dropped = Promise.allSettled([
        this.worker.disconnect(),
        this.cancels.close(false),
        internals.lockManager?.close(),
      ]);
      await Promise.race([dropped, new Promise((resolve) => setTimeout(resolve, 1000).unref())]);
      return { connectionLost: true, abandoned };
    })();
    return this.closing;
  }

  private async process(job: Job<TaskJobData, TaskJobResult>): Promise<TaskJobResult> {
    const started = performance.now();
    const data = job.data;
    const jobId = job.id!;
    const report = (status: WorkerTaskReport["status"], error?: unknown) =>
      this.options.onTask?.({
        jobId,
        node: data.node,
        nodeClass: job.name,
        ...hashAndAttempt(data),
        status,
        durationMs: performance.now() - started,
        ...(error === undefined ? {} : { error }),
      });
    if (this.cancels.takeEarly(jobId)) {
      report("cancelled");
      throw new UnrecoverableError(`node "${data.node}" was cancelled by its coordinator before it started`);
    }
    const active = new ActiveTry(data.node);
    this.active.set(jobId, active);
    let outcome: RemoteOutcome;
    try {
      const bytes =
        data.message ??
        (data.task !== undefined ? Buffer.from(data.task, "base64") : await this.readTask(data.taskKey));
      if (!bytes) {
        throw new UnrecoverableError(
          `the task of node "${data.node}" is gone from Redis (key ${data.taskKey})`,
        );
      }
      // BullMQ gives this worker no abort signal per job (it would make one for every job): cancel requests
      // reach the job's ActiveTry, which makes the node's signal only if the node reads it
      const running = executeRemoteTask(bytes, {
        container: this.container,
        worker: this.id,
        loadModules: false,
        get signal() {
          return active.signal;
        },
        settleOnAbort: false,
        onStart: active.onStart,
      });
      outcome = await active.settle(data.node, running);
    } finally {
      this.active.delete(jobId);
    }
    let error: unknown;
    if (outcome.ok) {
      let message: readonly unknown[] | undefined;
      try {
        message = outputMessage(outcome.name, outcome.output);
      } catch (cannotEncode) {
        error = cannotEncode;
      }
      if (message) {
        report("done");
        if (jsonLength(message, this.inlineBytes) >= 0) return { worker: this.id, output: message };
        const result = pack(message);
        if (result.byteLength <= this.inlineBytes) {
          return { worker: this.id, result: asBuffer(result).toString("base64") };
        }
        const resultKey = this.keys.output(jobId);
        await this.client.set(resultKey, asBuffer(result), "PX", RESULT_TTL_MS);
        return { worker: this.id, resultKey };
      }
    } else error = outcome.error;
    if (active.isCancelled) {
      report("cancelled", error);
      throw new UnrecoverableError(`node "${data.node}" was cancelled by its coordinator`);
    }
    report(active.started ? "failed" : "refused", error);
    await this.client.set(this.keys.error(jobId), asBuffer(encodeFailure(error)), "PX", RESULT_TTL_MS);
    throw new UnrecoverableError(messageOf(error));
  }

  /** A coordinator cancelled `jobId`: whether this worker runs it (then its node's signal fires). */
  private cancel(jobId: string, reason: string): boolean {
    const active = this.active.get(jobId);
    active?.cancel(reason);
    return active !== undefined;
  }

  private async readTask(key: string | undefined): Promise<Buffer | null> {
    return key ? this.client.getBuffer(key) : null;
  }
}
