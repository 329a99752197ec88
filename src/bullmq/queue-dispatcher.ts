import { randomBytes } from "node:crypto";
import * as os from "node:os";
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
import { messageOf } from "../util/error-text";
import { describeServer, type QueueConnection, redisOptions } from "./connection";
import { JobCanceller } from "./job-canceller";
import type { TaskJobResult } from "./job-payload";
import { LazyLink } from "./lazy-link";
import { checkCount } from "./option-checks";
import { PendingTry } from "./pending-try";
import { DEFAULT_PREFIX, DEFAULT_QUEUE, QueueKeys, queueNameProblem } from "./queue-keys";
import type { JobListener } from "./queue-link";
import { TaskSender } from "./task-sender";
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
  private readonly keys: QueueKeys;
  /** Job ids are `<idBase>-<n>`: unique across coordinators and runs. */
  private readonly idBase = randomBytes(6).toString("hex");
  private sequence = 0;
  private readonly tries = new Map<string, PendingTry>();
  private readonly link: LazyLink;
  private readonly canceller: JobCanceller;
  private readonly sender: TaskSender;
  private readonly watch: WorkerWatch;
  private closing: Promise<void> | undefined;

  constructor(options: QueueDispatcherOptions = {}) {
    super();
    const component = "QueueDispatcher";
    this.queueName = options.queue ?? DEFAULT_QUEUE;
    const problem = queueNameProblem(this.queueName);
    if (problem) throw new QueueConfigurationError(component, "queue", problem);
    this.prefix = options.prefix ?? DEFAULT_PREFIX;
    const redis = redisOptions(options.connection, component);
    this.server = describeServer(redis);
    this.keys = new QueueKeys(this.prefix, this.queueName);
    this.link = new LazyLink(this.queueName, this.prefix, redis, this);
    this.canceller = new JobCanceller(this.link, this.keys.cancelChannel);
    const inlineBytes = checkCount(component, "inlineBytes", options.inlineBytes, 256 * 1024, 0);
    this.sender = new TaskSender(this.link, this.keys, inlineBytes, this.coordinator, this, (pending) =>
      this.forget(pending),
    );
    const waitNoticeMs = checkCount(component, "waitNoticeMs", options.waitNoticeMs, 2000, 0);
    this.watch = new WorkerWatch(
      waitNoticeMs,
      () => this.tries.values(),
      async () => (await this.link.promise)?.queue.getWorkersCount() ?? -1,
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
      this.sender.send(pending, message);
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
      const link = await this.link.settled();
      await this.canceller.settle();
      await link?.close();
    })();
    return this.closing;
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
    // otherwise `onAdded` cancels it once its add returns
  };

  /** Removes a waiting job, or asks the worker running it to cancel it (its `ctx.signal` fires). */
  private cancel(pending: PendingTry): void {
    this.forget(pending);
    this.canceller.cancel(pending);
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
      if (this.canceller.takeAbandoned(jobId) && result.resultKey) void this.link.take(result.resultKey);
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
      if (this.canceller.takeAbandoned(jobId)) void this.link.take(this.keys.error(jobId));
      return;
    }
    this.forget(pending);
    void this.link.take(this.keys.error(jobId)).then((bytes) => {
      if (bytes) return this.settle(pending, undefined, bytes);
      pending.reject(
        new QueueJobError(pending.task.name, jobId, this.queueName, `failed in BullMQ: ${failedReason}`),
      );
      return this.link.drop(pending.taskKey);
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
    void this.link.drop(pending.taskKey);
  }

  /** Reads a worker's answer from its key, then settles the try with it. */
  private async answer(
    pending: PendingTry,
    worker: string | undefined,
    key: string | undefined,
  ): Promise<void> {
    const bytes = await this.link.take(key);
    if (bytes) return this.settle(pending, worker, bytes);
    pending.reject(
      new QueueJobError(
        pending.task.name,
        pending.id,
        this.queueName,
        `answered, but its result is gone from Redis (key ${key})`,
      ),
    );
    return this.link.drop(pending.taskKey);
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
    if (pending.taskKey) void this.link.drop(pending.taskKey);
  }
}
