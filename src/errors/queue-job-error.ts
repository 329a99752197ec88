import { MoiraeError } from "./moirae-error";

/**
 * A BullMQ job carrying one try of a node ended without an answer from a moirae worker: BullMQ failed it (a worker
 * was lost more often than the queue's `maxStalledCount` allows), someone removed it, or Redis refused it. The
 * try counts as failed and is retried as the node's `retries` say; `cause` holds BullMQ's or Redis's error.
 */
export class QueueJobError extends MoiraeError {
  constructor(
    /** The graph node whose try it was. */
    readonly node: string,
    /** The BullMQ job id. */
    readonly jobId: string,
    /** The queue's name. */
    readonly queue: string,
    problem: string,
    options?: { cause?: unknown },
  ) {
    super(`Node "${node}": job ${jobId} on BullMQ queue "${queue}" ${problem}`, options);
  }
}
