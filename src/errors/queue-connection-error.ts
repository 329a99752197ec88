import { MoiraeError } from "./moirae-error";

/** A BullMQ worker or dispatcher (`moirae/bullmq`) cannot reach the Redis server of its queue. */
export class QueueConnectionError extends MoiraeError {
  constructor(
    /** The server, e.g. `redis://127.0.0.1:6379`. */
    readonly server: string,
    /** The queue's name. */
    readonly queue: string,
    cause: unknown,
  ) {
    super(
      `Cannot reach Redis at ${server} for BullMQ queue "${queue}": ${cause instanceof Error ? cause.message : String(cause)}. ` +
        "Check that the server runs and that the URL (host, port, password, database) is right.",
      { cause },
    );
  }
}
