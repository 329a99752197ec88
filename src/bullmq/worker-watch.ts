import type { PendingTry } from "./pending-try";

/**
 * Tells runs when their tries wait for a worker that does not exist: while tries wait in the queue, it checks
 * now and then (at most once a second); a try that has waited `noticeMs` while no worker consumes the queue gets
 * one `waiting` note (a `node:waiting` event of its run). It stops checking when nothing waits.
 */
export class WorkerWatch {
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly noticeMs: number,
    /** The tries in flight. */
    private readonly tries: () => Iterable<PendingTry>,
    /** How many workers consume the queue (BullMQ's `getWorkersCount`, which uses `CLIENT LIST`). */
    private readonly countWorkers: () => Promise<number>,
    /** What the note says. */
    private readonly message: string,
  ) {}

  /** A try was queued: watch (if not watching already). */
  start(): void {
    if (this.timer || this.noticeMs === Infinity) return;
    this.timer = setInterval(() => void this.check(), Math.max(250, Math.min(1000, this.noticeMs)));
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  private async check(): Promise<void> {
    const now = Date.now();
    const waiting: PendingTry[] = [];
    let queued = 0;
    for (const pending of this.tries()) {
      if (!pending.added || pending.active) continue;
      queued++;
      if (!pending.noticed && now - pending.queuedAt >= this.noticeMs) waiting.push(pending);
    }
    if (queued === 0) this.stop();
    if (waiting.length === 0) return;
    let workers: number;
    try {
      workers = await this.countWorkers();
    } catch {
      return; // CLIENT LIST refused (some hosted Redis): say nothing rather than something wrong
    }
    if (workers !== 0) return;
    for (const pending of waiting) {
      if (pending.settled || pending.active) continue;
      pending.noticed = true;
      pending.task.report?.({ waiting: this.message });
    }
  }
}
