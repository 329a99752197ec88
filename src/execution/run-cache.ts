import { planFromCache, type TargetPrefetch } from "./cache-planning";
import type { ExecutionEvent } from "./execution-event";
import type { ExecutionPlan } from "./execution-plan";
import type { CacheEventSink, CacheSubject, OutputCache } from "./output-cache";
import { cacheSink } from "./run-events";

/**
 * The cache step of one run, node by node: what cache-aware planning found, lookups of the other nodes, and
 * the writes the run waits for before it settles. Cache events go to `deliver`.
 */
export class RunCache {
  readonly enabled: boolean;
  /** Outputs found while planning (by index), handed out once. */
  private found: (object | undefined)[] | undefined;
  /** Nodes looked up while planning (no second read). */
  private lookedUp: Uint8Array | undefined;
  private readonly writes: Promise<void>[] = [];
  /** Aborted when the run is abandoned: no cache operation is waited for any more. */
  private readonly stopper: AbortController | undefined;

  constructor(
    private readonly plan: ExecutionPlan,
    private readonly cache: OutputCache,
    private readonly deliver: (event: ExecutionEvent) => void,
  ) {
    this.enabled = cache.enabled;
    if (this.enabled) this.stopper = new AbortController();
  }

  /** The run ended with an error: stop waiting for every cache operation (their timers are cleared). */
  abandon(): void {
    this.stopper?.abort();
  }

  /**
   * Cache-aware planning for `targets` (see `planFromCache`), reusing the lookups of `prefetch`. Resolves to
   * which nodes are needed, or undefined if `stopped()` says the run ended meanwhile.
   */
  async planFor(
    targets: readonly string[],
    prefetch: TargetPrefetch | undefined,
    stopped: () => boolean,
  ): Promise<Uint8Array | undefined> {
    const prefetched = prefetch?.found;
    const names = this.plan.names;
    const planned = await planFromCache(
      this.plan,
      targets,
      (i) => (prefetched?.has(names[i]!) ? prefetched.get(names[i]!) : this.lookupNow(i)),
      stopped,
    );
    if (!planned) return undefined;
    this.found = planned.found;
    this.lookedUp = planned.reached;
    return planned.reached;
  }

  /** Node `i`'s cached output, or undefined on a miss. */
  async find(i: number): Promise<object | undefined> {
    const found = this.found?.[i];
    if (found !== undefined) {
      this.found![i] = undefined;
      return found;
    }
    if (this.lookedUp?.[i]) return undefined;
    return this.lookupNow(i);
  }

  /** Stores the output node `i` just produced (the run waits for it before it settles). */
  store(i: number, output: object): void {
    this.writes.push(this.cache.store(this.subject(i), output, this.sink(i), this.stopper?.signal));
  }

  /** Resolves when every write has settled (undefined when there was none). */
  writesSettled(): Promise<unknown> | undefined {
    return this.writes.length === 0 ? undefined : Promise.allSettled(this.writes);
  }

  private lookupNow(i: number): Promise<object | undefined> {
    return this.cache.lookup(this.subject(i), this.sink(i), this.stopper?.signal);
  }

  private subject(i: number): CacheSubject {
    return { name: this.plan.names[i]!, hash: this.plan.hashes[i]!, meta: this.plan.metas[i]! };
  }

  private sink(i: number): CacheEventSink {
    return cacheSink(this.plan.names[i]!, this.plan.hashes[i]!, this.deliver);
  }
}
