import { Queue, QueueEvents } from "bullmq";
import { Redis, type RedisOptions } from "ioredis";
import { bullmqConnection } from "./connection";

/** What the coordinator's link hears about its jobs (from the queue's event stream). */
export interface JobListener {
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

  private constructor(queue: Queue, events: QueueEvents, client: Redis) {
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
    client.on("error", () => {}); // every call reports its own failure
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
      return new QueueLink(queue, events, client);
    } catch (error) {
      await Promise.allSettled([events?.close(), queue.close(), client.quit()]);
      client.disconnect();
      throw error;
    }
  }

  /** Closes every connection. */
  async close(): Promise<void> {
    await Promise.allSettled([this.events.close(), this.queue.close(), this.client.quit()]);
    this.client.disconnect();
  }
}
