import { Queue, QueueEvents } from "bullmq";
import { Redis, type RedisOptions } from "ioredis";
import { QueueConnectionError } from "../errors/queue-connection-error";
import { bullmqConnection, describeServer } from "./connection";
import type { TaskJobData } from "./job-payload";
import type { PendingTry } from "./pending-try";

/**
 * Every job is one try: BullMQ never retries it (the coordinator does; BullMQ's default is one attempt, and
 * workers fail tries with `UnrecoverableError`), and it leaves nothing behind.
 */
const JOB_OPTIONS = { removeOnComplete: true, removeOnFail: true } as const;

interface PendingAdd {
  readonly name: string;
  readonly data: TaskJobData;
  readonly pending: PendingTry;
}

/** What the coordinator's link hears about its jobs: whether they were added, then the queue's event stream. */
export interface JobListener {
  onAdded(pending: PendingTry): void;
  onAddFailed(pending: PendingTry, error: unknown): void;
  onActive(jobId: string): void;
  onCompleted(jobId: string, returnValue: unknown): void;
  onFailed(jobId: string, failedReason: string): void;
  onRemoved(jobId: string): void;
}

/**
 * The coordinator's connections to one BullMQ queue: the `Queue` (adds and removes jobs), a `QueueEvents` reading
 * the queue's event stream from the moment the link opened (so no job's end is missed, however fast it is), and a
 * plain client for payload keys and cancel requests.
 */
export class QueueLink {
  readonly queue: Queue;
  readonly events: QueueEvents;
  readonly client: Redis;
  /** Jobs waiting for this turn's `addBulk`. */
  private batch: PendingAdd[] = [];

  private constructor(
    queue: Queue,
    events: QueueEvents,
    client: Redis,
    private readonly listener: JobListener,
  ) {
    this.queue = queue;
    this.events = events;
    this.client = client;
  }

  /** Connects, reads where the event stream ends now, and starts listening from there. */
  static async open(
    name: string,
    prefix: string,
    redis: RedisOptions,
    listener: JobListener,
  ): Promise<QueueLink> {
    const client = new Redis({ ...redis, lazyConnect: true, maxRetriesPerRequest: 3 });
    let lastError: Error | undefined;
    client.on("error", (error: Error) => {
      lastError = error; // every call reports its own failure; this says why the connection failed
    });
    const queue = new Queue(name, { connection: bullmqConnection(redis), prefix });
    queue.on("error", () => {});
    let events: QueueEvents | undefined;
    try {
      await client.connect();
      const last = (await client.xrevrange(queue.toKey("events"), "+", "-", "COUNT", 1)) as [
        string,
        unknown,
      ][];
      events = new QueueEvents(name, {
        connection: bullmqConnection(redis),
        prefix,
        lastEventId: last[0]?.[0] ?? "0-0",
        blockingTimeout: 5000,
      });
      events.on("error", () => {});
      events.on("active", ({ jobId }) => listener.onActive(jobId));
      events.on("completed", ({ jobId, returnvalue }) => listener.onCompleted(jobId, returnvalue));
      events.on("failed", ({ jobId, failedReason }) => listener.onFailed(jobId, failedReason));
      events.on("removed", ({ jobId }) => listener.onRemoved(jobId));
      await Promise.all([queue.waitUntilReady(), events.waitUntilReady()]);
      return new QueueLink(queue, events, client, listener);
    } catch (error) {
      client.disconnect();
      await Promise.allSettled([events?.close(), queue.close()]);
      throw new QueueConnectionError(describeServer(redis), name, lastError ?? error);
    }
  }

  /**
   * Adds one job for `pending` (one try: BullMQ never retries it, and removes it once it ends); the listener hears
   * when it is added. The jobs added in one turn of the event loop — a graph's ready nodes — go to Redis together,
   * in one `addBulk` (one round trip); a job alone goes with `add`.
   */
  add(name: string, data: TaskJobData, pending: PendingTry): void {
    this.batch.push({ name, data, pending });
    if (this.batch.length === 1) queueMicrotask(() => this.flush());
  }

  private flush(): void {
    const batch = this.batch;
    this.batch = [];
    const listener = this.listener;
    // one job (a chain's next node): `add`, which reaches Redis sooner than a pipeline of one
    const added =
      batch.length === 1
        ? this.queue.add(batch[0]!.name, batch[0]!.data, { jobId: batch[0]!.pending.id, ...JOB_OPTIONS })
        : this.queue.addBulk(
            batch.map(({ name, data, pending }) => ({
              name,
              data,
              opts: { jobId: pending.id, ...JOB_OPTIONS },
            })),
          );
    added.then(
      () => {
        for (const job of batch) listener.onAdded(job.pending);
      },
      (error: unknown) => {
        for (const job of batch) listener.onAddFailed(job.pending, error);
      },
    );
  }

  /** Reads and deletes a payload key (undefined when it is missing or Redis fails). */
  async take(key: string): Promise<Buffer | undefined> {
    try {
      const replies = (await this.client.multi().getBuffer(key).del(key).exec()) as
        | [Error | null, Buffer | null][]
        | null;
      return replies?.[0]?.[1] ?? undefined;
    } catch {
      return undefined;
    }
  }

  /** Deletes a payload key (best effort: payload keys expire anyway). */
  async drop(key: string): Promise<void> {
    await this.client.del(key).catch(() => {});
  }

  /** Closes every connection. */
  async close(): Promise<void> {
    await Promise.allSettled([this.events.close(), this.queue.close(), this.client.quit()]);
    this.client.disconnect();
  }
}
