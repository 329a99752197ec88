import type { NodeResult } from "./node-result";

/**
 * The async iterator `executeStream` returns: an unbounded queue of results (none is ever dropped, however
 * slowly the consumer reads), started on the first `next()`. `return()` — what `break` in `for await` calls —
 * stops the run.
 */
export class ResultStream implements AsyncIterableIterator<NodeResult> {
  private items: NodeResult[] = [];
  private head = 0;
  private readonly waiting: {
    resolve: (r: IteratorResult<NodeResult>) => void;
    reject: (e: Error) => void;
  }[] = [];
  private started = false;
  private ended = false;
  private closed = false;
  private error: Error | undefined;

  /**
   * @param begin starts the run; called once, on the first `next()`.
   * @param stop stops a run that has not ended yet.
   */
  constructor(
    private readonly begin: (stream: ResultStream) => void,
    private readonly stop: () => void,
  ) {}

  [Symbol.asyncIterator](): this {
    return this;
  }

  next(): Promise<IteratorResult<NodeResult>> {
    if (!this.started) {
      this.started = true;
      try {
        this.begin(this);
      } catch (error) {
        this.end(error as Error);
      }
    }
    if (this.head < this.items.length) return Promise.resolve({ value: this.shift(), done: false });
    if (this.ended || this.closed) {
      const error = this.error;
      if (error) {
        this.error = undefined;
        this.closed = true;
        return Promise.reject(error);
      }
      return Promise.resolve({ value: undefined, done: true });
    }
    return new Promise((resolve, reject) => this.waiting.push({ resolve, reject }));
  }

  /** Stops the run (if still going) and ends the iteration. */
  return(): Promise<IteratorResult<NodeResult>> {
    this.close();
    return Promise.resolve({ value: undefined, done: true });
  }

  /** Like `return`; the error is the consumer's own, so it is not rethrown. */
  throw(): Promise<IteratorResult<NodeResult>> {
    this.close();
    return Promise.resolve({ value: undefined, done: true });
  }

  /** A result of the run (called by the run). */
  push(result: NodeResult): void {
    if (this.closed) return;
    const waiter = this.waiting.shift();
    if (waiter) waiter.resolve({ value: result, done: false });
    else this.items.push(result);
  }

  /** The run is over: after the queued results, end, or throw `error` once (called by the run). */
  end(error?: Error): void {
    if (this.ended) return;
    this.ended = true;
    if (this.closed) return;
    this.error = error;
    if (this.waiting.length === 0) return;
    const waiters = this.waiting.splice(0);
    // waiting consumers means the queue is empty
    if (error) {
      this.error = undefined;
      this.closed = true;
      waiters[0]!.reject(error);
      for (const w of waiters.slice(1)) w.resolve({ value: undefined, done: true });
    } else {
      for (const w of waiters) w.resolve({ value: undefined, done: true });
    }
  }

  private close(): void {
    if (this.closed) return;
    this.closed = true;
    this.items = [];
    this.head = 0;
    this.error = undefined;
    if (this.started && !this.ended) this.stop();
    this.ended = true;
    for (const w of this.waiting.splice(0)) w.resolve({ value: undefined, done: true });
  }

  private shift(): NodeResult {
    const item = this.items[this.head]!;
    (this.items as (NodeResult | undefined)[])[this.head] = undefined;
    this.head++;
    if (this.head === this.items.length) {
      this.items = [];
      this.head = 0;
    } else if (this.head >= 1024 && this.head * 2 >= this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return item;
  }
}
