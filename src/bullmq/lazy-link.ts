import type { RedisOptions } from "ioredis";
import { type JobListener, QueueLink } from "./queue-link";

/**
 * A coordinator's `QueueLink`, opened by its first try rather than by its constructor; when opening fails, the
 * next try dials again.
 */
export class LazyLink {
  /** The link being opened, or open. */
  private opening: Promise<QueueLink> | undefined;
  /** The link once it is open (tries are then queued without waiting for it). */
  private opened: QueueLink | undefined;

  constructor(
    private readonly queueName: string,
    private readonly prefix: string,
    private readonly redis: RedisOptions,
    private readonly listener: JobListener,
  ) {}

  /** The link, if it is open. */
  get current(): QueueLink | undefined {
    return this.opened;
  }

  /** The link being opened or open, if any (it rejects when opening fails). */
  get promise(): Promise<QueueLink> | undefined {
    return this.opening;
  }

  /** The link, opening it when no open is under way. */
  open(): Promise<QueueLink> {
    if (!this.opening) {
      this.opening = QueueLink.open(this.queueName, this.prefix, this.redis, this.listener);
      this.opening.then(
        (link) => {
          this.opened = link;
        },
        () => {
          this.opening = undefined; // the next try dials again
        },
      );
    }
    return this.opening;
  }

  /** The link once an open under way ends; undefined when none was begun or it failed. */
  settled(): Promise<QueueLink | undefined> | undefined {
    return this.opening?.catch(() => undefined);
  }

  /** Reads and deletes a payload key (undefined when it is missing or Redis fails). */
  async take(key: string | undefined): Promise<Buffer | undefined> {
    if (!key) return undefined;
    const link = await this.settled();
    return link?.take(key);
  }

  /** Deletes a payload key, if there is one (best effort: payload keys expire anyway). */
  async drop(key: string | undefined): Promise<void> {
    const link = key ? await this.settled() : undefined;
    await link?.drop(key!);
  }
}
