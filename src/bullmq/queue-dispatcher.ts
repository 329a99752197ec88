import { randomBytes } from "node:crypto";
import * as os from "node:os";
import type { RedisOptions } from "ioredis";
import { ExecutionAbortedError } from "../errors/execution-aborted-error";
import { NodeDefinitionError } from "../errors/node-definition-error";
import { QueueConfigurationError } from "../errors/queue-configuration-error";
import { QueueConnectionError } from "../errors/queue-connection-error";
import { QueueJobError } from "../errors/queue-job-error";
import { NodeDispatcher, type NodeTask } from "../execution/node-dispatcher";
import { RunTask } from "../execution/run-task";
import { getMetadataStore } from "../metadata/metadata-store";
import { taskMessage } from "../remote/remote-task";
import { decodeResult } from "../remote/task-result";
import { jsonLength, pack } from "../remote/wire-data";
import { messageOf } from "../util/error-text";
import { describeServer, type QueueConnection, redisOptions } from "./connection";
import { asBuffer, type TaskJobData, type TaskJobResult } from "./job-payload";
import { checkCount } from "./option-checks";
import { PendingTry } from "./pending-try";
import { DEFAULT_PREFIX, DEFAULT_QUEUE, QueueKeys, queueNameProblem } from "./queue-keys";
import { type JobListener, QueueLink } from "./queue-link";
import { WorkerWatch } from "./worker-watch";

/** Options of {@link QueueDispatcher}. */
export interface QueueDispatcherOptions {
  /** The Redis server of the queue: a `redis://` URL or ioredis options. Default `redis://127.0.0.1:6379`. */
  connection?: QueueConnection;
  /** The BullMQ queue the workers consume. Default `"moirae"`. */
  queue?: string;
  /** BullMQ's key prefix (the workers must use the same). Default `"bull"`. */
  prefix?: string;
  /**
   * Tasks and results larger than this many bytes travel under keys of their own instead of inside the job
   * (BullMQ stores job data as JSON, and its event stream repeats return values). Default 256 KiB.
   */
  inlineBytes?: number;
  /**
   * After a try has waited this long for a worker, the dispatcher checks whether any worker consumes the queue;
   * if none does, the run gets a `node:waiting` event saying so (the try keeps waiting). Default 2000 ms.
   */
  waitNoticeMs?: number;
}

/** How long the late answers of cancelled jobs are watched for (to delete their payloads). */
const ABANDONED_MS = 600_000;

/** How long a task's bytes stay in Redis when no coordinator deletes them (it crashed). */
const TASK_TTL_MS = 24 * 3600 * 1000;

/**
 * Sends each try of each node to BullMQ workers (`NodeWorker`, `moirae worker`) as one job on a plain BullMQ
 * queue, and waits for its answer. moirae's scheduler stays the coordinator: readiness, concurrency, critical
 * path, retries (each retry is a new job), time limits, events and cache look-ups and writes all happen in the
 * process that runs the graph. Register it as the `NodeDispatcher` of the container a run uses:
 *
 * @example
 * ```ts
 * const dispatcher = new QueueDispatcher({ connection: "redis://127.0.0.1:6379", queue: "moirae" });
 * const child = container.createChildContainer();
 * child.register(NodeDispatcher, { useValue: dispatcher });
 * child.register(CacheProvider, { useValue: new RedisCacheProvider({ url }) });
 * try { await execute(graph, { container: child }); } finally { await dispatcher.close(); }
 * ```
 *
 * Arguments, inputs and outputs cross losslessly through moirae's codec, whatever their size. Aborting the run
 * (or a fail-fast failure) removes its waiting jobs and cancels its active ones (`ctx.signal` fires on the
 * worker). Any number of runs and coordinators can share one queue. With no worker alive, tries wait (and the
 * run gets a `node:waiting` event); a node with a time limit then fails with `NodeTimeoutError`.
 */
export class QueueDispatcher extends NodeDispatcher implements JobListener {
  /** The queue's name. */
  readonly queueName: string;
  /** BullMQ's key prefix. */
  readonly prefix: string;
  /** This coordinator: `"host:pid"`. */
  readonly coordinator = `${os.hostname()}:${process.pid}`;
  /** The server, for messages (`redis://host:port/db`). */
  readonly server: string;
  private readonly redis: RedisOptions;
  private readonly keys: QueueKeys;
  private readonly inlineBytes: number;
  /** Job ids are `<idBase>-<n>`: unique across coordinators and runs. */
  private readonly idBase = randomBytes(6).toString("hex");
  private sequence = 0;
  private readonly tries = new Map<string, PendingTry>();
  /** Jobs this coordinator stopped waiting for, by id (time stopped): their late payloads are deleted. */
  private readonly abandoned = new Map<string, number>();
  private link: Promise<QueueLink> | undefined;
  /** The link once it is open (tries are then queued without waiting for it). */
  private linked: QueueLink | undefined;
  private readonly watch: WorkerWatch;
  private closing: Promise<void> | undefined;

  constructor(options: QueueDispatcherOptions = {}) {
    super();
    const component = "QueueDispatcher";
    this.queueName = options.queue ?? DEFAULT_QUEUE;
    const problem = queueNameProblem(this.queueName);
    if (problem) throw new QueueConfigurationError(component, "queue", problem);
    this.prefix = options.prefix ?? DEFAULT_PREFIX;
    this.redis = redisOptions(options.connection, component);
    this.server = describeServer(this.redis);
    this.keys = new QueueKeys(this.prefix, this.queueName);
    this.inlineBytes = checkCount(component, "inlineBytes", options.inlineBytes, 256 * 1024, 0);
    const waitNoticeMs = checkCount(component, "waitNoticeMs", options.waitNoticeMs, 2000, 0);
    this.watch = new WorkerWatch(
      waitNoticeMs,
      () => this.tries.values(),
      async () => (await this.link)?.queue.getWorkersCount() ?? -1,
      `no worker consumes BullMQ queue "${this.queueName}" on ${this.server}; the node waits until one starts ` +
        `(moirae worker --redis ${this.server} --queue ${this.queueName} --require <modules>)`,
    );
  }

  /** Sends one try to the queue; resolves to the output a worker computed, or rejects with the try's error. */
  override dispatch(task: NodeTask): Promise<object> {
    if (this.closing) {
      return Promise.reject(
        new ExecutionAbortedError(`the QueueDispatcher of queue "${this.queueName}" is closed`),
      );
    }
    const meta = task instanceof RunTask ? task.meta : getMetadataStore().nodeByClass(task.nodeClass);
    if (!meta) {
      return Promise.reject(
        new NodeDefinitionError(task.nodeClass.name, [
          "it is not a registered node class. Decorate it with @Node.",
        ]),
      );
    }
    const signal = task.runSignal ?? task.signal;
    if (signal.aborted) return Promise.reject(new ExecutionAbortedError(signal.reason));
    let message: readonly unknown[];
    try {
      message = taskMessage(task, meta);
    } catch (error) {
      return Promise.reject(error);
    }
    const id = `${this.idBase}-${++this.sequence}`;
    return new Promise<object>((resolve, reject) => {
      const pending = new PendingTry(id, task, meta, resolve, reject, this.onStop);
      if (pending.settled) return;
      this.tries.set(id, pending);
      this.enqueue(pending, message);
    });
  }

  /**
   * Stops waiting for every try still in flight (they reject with `ExecutionAbortedError` and their jobs are
   * cancelled), then closes the connections. Runs using this dispatcher fail; close it after they end.
   */
  close(): Promise<void> {
    this.closing ??= (async () => {
      this.watch.stop();
      for (const pending of [...this.tries.values()]) {
        pending.stop(
          new ExecutionAbortedError(`the QueueDispatcher of queue "${this.queueName}" was closed`),
        );
      }
      const link = await this.link?.catch(() => undefined);
      await this.settleCancels();
      await link?.close();
    })();
    return this.closing;
  }

  private cancels = new Set<Promise<void>>();

  private async settleCancels(): Promise<void> {
    while (this.cancels.size > 0) await Promise.allSettled([...this.cancels]);
  }

  private connect(): Promise<QueueLink> {
    if (!this.link) {
      this.link = QueueLink.open(this.queueName, this.prefix, this.redis, this);
      this.link.then(
        (link) => {
          this.linked = link;
        },
        () => {
          this.link = undefined; // the next try dials again
        },
      );
    }
    return this.link;
  }

  /**
   * Queues the try's job: at once when the link is open and the task travels inline (as JSON when its values
   * survive JSON exactly, else as msgpack in base64), else once it can.
   */
  private enqueue(pending: PendingTry, message: readonly unknown[]): void {
    const link = this.linked;
    if (link && jsonLength(message, this.inlineBytes) >= 0) {
      link.add(pending.meta.name, this.jobData(pending, { message }), pending);
    } else {
      void this.enqueueSlowly(pending, message);
    }
  }

  /** `enqueue` before the link is open, or for a task that does not travel as JSON. */
  private async enqueueSlowly(pending: PendingTry, message: readonly unknown[]): Promise<void> {
    try {
      const link = await this.connect();
      if (pending.settled) return this.forget(pending);
      if (jsonLength(message, this.inlineBytes) >= 0) {
        link.add(pending.meta.name, this.jobData(pending, { message }), pending);
        return;
      }
      const bytes = pack(message);
      if (bytes.byteLength <= this.inlineBytes) {
        link.add(
          pending.meta.name,
          this.jobData(pending, { task: asBuffer(bytes).toString("base64") }),
          pending,
        );
        return;
      }
      pending.taskKey = this.keys.input(pending.id);
      await link.client.set(pending.taskKey, asBuffer(bytes), "PX", TASK_TTL_MS);
      if (pending.settled) {
        this.forget(pending);
        return this.dropTask(pending);
      }
      link.add(pending.meta.name, this.jobData(pending, { taskKey: pending.taskKey }), pending);
    } catch (error) {
      this.onAddFailed(pending, error);
    }
  }

  private jobData(
    pending: PendingTry,
    payload: Pick<TaskJobData, "message" | "task" | "taskKey">,
  ): TaskJobData {
    const { task } = pending;
    return {
      node: task.name,
      hash: task.hash,
      attempt: task.attempt,
      coordinator: this.coordinator,
      ...payload,
    };
  }

  onAdded(pending: PendingTry): void {
    pending.added = true;
    pending.queuedAt = Date.now();
    if (pending.stopped) this.cancel(pending);
    else if (!pending.settled) this.watch.start();
  }

  onAddFailed(pending: PendingTry, error: unknown): void {
    pending.reject(
      error instanceof QueueConnectionError
        ? error
        : new QueueJobError(
            pending.task.name,
            pending.id,
            this.queueName,
            `could not be queued on ${this.server}: ${messageOf(error)}`,
            { cause: error },
          ),
    );
    this.forget(pending);
  }

  private readonly onStop = (pending: PendingTry): void => {
    if (pending.added) this.cancel(pending);
    // otherwise `enqueue` cancels it once its add returns
  };

  /** Removes a waiting job, or asks the worker running it to cancel it (its `ctx.signal` fires). */
  private cancel(pending: PendingTry): void {
    this.forget(pending);
    const now = Date.now();
    for (const [id, since] of this.abandoned) {
      if (now - since < ABANDONED_MS) break; // insertion order: the rest are newer
      this.abandoned.delete(id);
    }
    this.abandoned.set(pending.id, now);
    const done = (async () => {
      const link = await this.link?.catch(() => undefined);
      if (!link) return;
      const removed = await link.queue.remove(pending.id).catch(() => 0);
      if (removed !== 1) {
        const reason = `the run of node "${pending.task.name}" stopped waiting for it`;
        await link.client.publish(this.keys.cancelChannel, JSON.stringify({ job: pending.id, reason }));
      }
      if (pending.taskKey) await link.client.del(pending.taskKey);
    })()
      .catch(() => {})
      .finally(() => this.cancels.delete(done));
    this.cancels.add(done);
  }

  private forget(pending: PendingTry): void {
    this.tries.delete(pending.id);
  }

  onActive(jobId: string): void {
    const pending = this.tries.get(jobId);
    if (pending) pending.active = true;
  }

  onCompleted(jobId: string, returnValue: unknown): void {
    const pending = this.tries.get(jobId);
    const result = (returnValue ?? {}) as TaskJobResult;
    if (!pending) {
      if (this.abandoned.delete(jobId) && result.resultKey) void this.take(result.resultKey);
      return;
    }
    this.forget(pending);
    if (result.output !== undefined) this.settle(pending, result.worker, result.output);
    else if (result.result !== undefined) {
      this.settle(pending, result.worker, Buffer.from(result.result, "base64"));
    } else void this.answer(pending, result.worker, result.resultKey);
  }

  onFailed(jobId: string, failedReason: string): void {
    const pending = this.tries.get(jobId);
    if (!pending) {
      if (this.abandoned.delete(jobId)) void this.take(this.keys.error(jobId));
      return;
    }
    this.forget(pending);
    void this.take(this.keys.error(jobId)).then((bytes) => {
      if (bytes) return this.settle(pending, undefined, bytes);
      pending.reject(
        new QueueJobError(pending.task.name, jobId, this.queueName, `failed in BullMQ: ${failedReason}`),
      );
      return this.dropTask(pending);
    });
  }

  onRemoved(jobId: string): void {
    const pending = this.tries.get(jobId);
    if (!pending) return;
    this.forget(pending);
    pending.reject(
      new QueueJobError(
        pending.task.name,
        jobId,
        this.queueName,
        "was removed from the queue before a worker answered (by another program, or the queue was obliterated)",
      ),
    );
    void this.dropTask(pending);
  }

  /** Reads a worker's answer from its key, then settles the try with it. */
  private async answer(
    pending: PendingTry,
    worker: string | undefined,
    key: string | undefined,
  ): Promise<void> {
    const bytes = await this.take(key);
    if (bytes) return this.settle(pending, worker, bytes);
    pending.reject(
      new QueueJobError(
        pending.task.name,
        pending.id,
        this.queueName,
        `answered, but its result is gone from Redis (key ${key})`,
      ),
    );
    return this.dropTask(pending);
  }

  /** Decodes a worker's answer: the output, or the try's error re-created. */
  private settle(
    pending: PendingTry,
    worker: string | undefined,
    bytes: Uint8Array | readonly unknown[],
  ): void {
    if (!pending.settled) {
      try {
        if (worker !== undefined) pending.task.report?.({ worker });
        pending.resolve(decodeResult(bytes, pending.task.name, pending.meta));
      } catch (error) {
        pending.reject(error); // the try's own error, re-created
      }
    }
    if (pending.taskKey) void this.dropTask(pending);
  }

  /** Reads and deletes a payload key (undefined when it is missing or Redis fails). */
  private async take(key: string | undefined): Promise<Buffer | undefined> {
    if (!key) return undefined;
    const link = await this.link?.catch(() => undefined);
    return link?.take(key);
  }

  /** Deletes the key of a try's task bytes, if it has one (it would expire anyway). */
  private async dropTask(pending: PendingTry): Promise<void> {
    const link = pending.taskKey ? await this.link?.catch(() => undefined) : undefined;
    await link?.drop(pending.taskKey!);
  }
}
