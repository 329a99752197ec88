import type { LazyLink } from "./lazy-link";
import type { PendingTry } from "./pending-try";

/** How long the late answers of cancelled jobs are watched for (to delete their payloads). */
const ABANDONED_MS = 600_000;

/**
 * Cancels the jobs of tries a coordinator stopped waiting for: removes a waiting job, or asks the worker running
 * it to cancel it (its `ctx.signal` fires), and remembers the job a while, so the payload of a late answer is
 * deleted.
 */
export class JobCanceller {
  /** Jobs this coordinator stopped waiting for, by id (time stopped). */
  private readonly abandoned = new Map<string, number>();
  /** Cancel requests under way. */
  private readonly cancels = new Set<Promise<void>>();

  constructor(
    private readonly link: LazyLink,
    /** The queue's pub/sub channel of cancel requests (`QueueKeys.cancelChannel`). */
    private readonly channel: string,
  ) {}

  /** Cancels the job of `pending` (its `add` succeeded). */
  cancel(pending: PendingTry): void {
    const now = Date.now();
    for (const [id, since] of this.abandoned) {
      if (now - since < ABANDONED_MS) break; // insertion order: the rest are newer
      this.abandoned.delete(id);
    }
    this.abandoned.set(pending.id, now);
    const done = (async () => {
      const link = await this.link.settled();
      if (!link) return;
      const removed = await link.queue.remove(pending.id).catch(() => 0);
      if (removed !== 1) {
        const reason = `the run of node "${pending.task.name}" stopped waiting for it`;
        await link.client.publish(this.channel, JSON.stringify({ job: pending.id, reason }));
      }
      if (pending.taskKey) await link.client.del(pending.taskKey);
    })()
      .catch(() => {})
      .finally(() => this.cancels.delete(done));
    this.cancels.add(done);
  }

  /** Whether `jobId` is a cancelled job whose answer had not come yet (and forgets it). */
  takeAbandoned(jobId: string): boolean {
    return this.abandoned.delete(jobId);
  }

  /** Resolves once every cancel request under way has ended. */
  async settle(): Promise<void> {
    while (this.cancels.size > 0) await Promise.allSettled([...this.cancels]);
  }
}
