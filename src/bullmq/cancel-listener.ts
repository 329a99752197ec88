import { Redis, type RedisOptions } from "ioredis";

/** A worker's subscription to its queue's cancel requests. */
export interface CancelListener {
  /** Resolves once subscribed. */
  readonly ready: Promise<void>;
  /** Whether `job` was cancelled before this worker started it (and forgets it). */
  takeEarly(job: string): boolean;
  /** Unsubscribes (`graceful`: QUIT first, which waits for a connection) and disconnects. */
  close(graceful: boolean): Promise<void>;
}

/** How long a cancel request for a job this worker is not running yet is remembered. */
const EARLY_CANCEL_MS = 60_000;

/**
 * Subscribes to `channel`, where coordinators publish `{ job, reason }` for the active jobs of runs that stopped
 * (BullMQ's `Worker.cancelJob` cancels only in the process that runs the job, so the request goes to every
 * worker). `cancel` returns whether this worker runs the job; requests for jobs it is not running are kept a
 * minute, for a job that was being handed to it at that moment.
 */
export function listenForCancels(
  redis: RedisOptions,
  channel: string,
  onError: (error: Error) => void,
  cancel: (job: string, reason: string) => boolean,
): CancelListener {
  const subscriber = new Redis({ ...redis, maxRetriesPerRequest: null });
  subscriber.on("error", onError);
  const early = new Map<string, number>();
  subscriber.on("message", (_channel: string, message: string) => {
    let request: { job?: unknown; reason?: unknown };
    try {
      request = JSON.parse(message);
    } catch {
      return;
    }
    if (typeof request.job !== "string") return;
    if (cancel(request.job, String(request.reason ?? "cancelled by its coordinator"))) return;
    const now = Date.now();
    for (const [job, since] of early) {
      if (now - since < EARLY_CANCEL_MS) break; // insertion order: the rest are newer
      early.delete(job);
    }
    early.set(request.job, now);
  });
  const ready = subscriber.subscribe(channel).then(() => undefined);
  ready.catch(() => {});
  return {
    ready,
    takeEarly: (job) => early.delete(job),
    close: async (graceful) => {
      if (graceful) await subscriber.quit().catch(() => {});
      subscriber.disconnect();
    },
  };
}
