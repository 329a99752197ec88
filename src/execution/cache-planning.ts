import { ExecutionAbortedError } from "../errors/execution-aborted-error";
import type { Graph } from "../graph/graph";
import { toError } from "../util/error-text";
import { watchAbort } from "./abort-watch";
import type { RunSettings } from "./execute-options";
import type { ExecutionEvent } from "./execution-event";
import type { ExecutionPlan } from "./execution-plan";
import type { GraphRun } from "./graph-run";
import type { OutputCache } from "./output-cache";
import { cacheSink, RunEvents } from "./run-events";
import type { RunListener } from "./run-results";

/** Cache lookups of the targets made before the run's plan exists, handed to the `GraphRun` when one is needed. */
export interface TargetPrefetch {
  /** Target name → its cached output, or undefined on a miss. */
  readonly found: ReadonlyMap<string, object | undefined>;
  /** The cache events of those lookups, replayed after `run:start`. */
  readonly events: readonly ExecutionEvent[];
}

/** `CachePlan.reached` of a node looked up and missed (or not looked up yet: it is run). */
export const MISS = 1;
/** `CachePlan.reached` of a node found in the cache. */
export const HIT = 2;

/** Which nodes a run with targets needs, given what the cache holds. */
export interface CachePlan {
  /** By node index: 0 (not needed), `MISS` (runs) or `HIT` (its output is `found[i]`). */
  readonly reached: Uint8Array;
  readonly found: (object | undefined)[];
}

/**
 * Cache-aware planning for `targets`: walks back from the targets one level at a time, looking each node up
 * with `lookup`; a hit stops the walk there, so the ancestors of a cached node are neither run nor read. Nodes
 * the walk does not reach are not needed. Resolves to undefined if `stopped()` says the run ended meanwhile.
 */
export async function planFromCache(
  plan: ExecutionPlan,
  targets: readonly string[],
  lookup: (i: number) => Promise<object | undefined> | object | undefined,
  stopped: () => boolean,
): Promise<CachePlan | undefined> {
  const { parents, index } = plan;
  const reached = new Uint8Array(plan.size);
  const found: (object | undefined)[] = new Array(plan.size);
  let frontier = [...new Set(targets.map((t) => index.get(t)!))];
  while (frontier.length > 0) {
    const outputs = await Promise.all(frontier.map(lookup));
    if (stopped()) return undefined;
    const next: number[] = [];
    for (let k = 0; k < frontier.length; k++) {
      const i = frontier[k]!;
      if (outputs[k] !== undefined) {
        reached[i] = HIT;
        found[i] = outputs[k];
        continue;
      }
      reached[i] = MISS;
      for (let k2 = parents.start[i]!; k2 < parents.start[i + 1]!; k2++) {
        const p = parents.list[k2]!;
        if (reached[p] === 0) {
          reached[p] = MISS; // reserved; decided when its level is looked up
          next.push(p);
        }
      }
    }
    frontier = next;
  }
  return { reached, found };
}

/**
 * A run with `targets` and a cache: it looks the targets up first, straight from the `Graph`. When every target
 * is cached the run ends there — no execution plan is compiled, nothing else is read — so a cached target of a
 * large graph costs one cache read. Otherwise a `GraphRun` takes over with those lookups and walks back from the
 * targets as usual.
 */
export class CachedTargetsRun {
  private inner: GraphRun | undefined;
  private settled = false;
  private readonly outputs: Record<string, object> = {};
  private stopWatching: (() => void) | undefined;
  /** Aborted when the run ends before the lookups do: they are not waited for. */
  private readonly stopper = new AbortController();

  constructor(
    private readonly graph: Graph,
    private readonly settings: RunSettings,
    private readonly targets: readonly string[],
    private readonly cache: OutputCache,
    private readonly listener: RunListener,
    private readonly graphRun: (prefetch: TargetPrefetch) => GraphRun,
  ) {}

  get errors(): Record<string, Error> {
    return this.inner?.errors ?? {};
  }

  start(): void {
    const signal = this.settings.signal;
    if (signal?.aborted) {
      this.delegate({ found: new Map(), events: [] });
      return;
    }
    if (signal) {
      this.stopWatching = watchAbort(signal, () => this.cancel(ExecutionAbortedError.of(signal.reason)));
    }
    const events: ExecutionEvent[] = [];
    const record = (event: ExecutionEvent) => events.push(event);
    const lookups = this.targets.map((name) => {
      const plan = this.graph.plans.get(name)!;
      const hash = plan.node.hash;
      return this.cache.lookup(
        { name, hash, meta: plan.meta },
        cacheSink(name, hash, record),
        this.stopper.signal,
      );
    });
    Promise.all(lookups).then(
      (found) => {
        this.stopWatching?.();
        if (this.settled) return;
        if (found.every((output) => output !== undefined)) this.complete(found as object[], events);
        else this.delegate({ found: new Map(this.targets.map((t, k) => [t, found[k]])), events });
      },
      (error) => this.settle(toError(error)),
    );
  }

  cancel(reason: Error): void {
    if (this.inner) this.inner.cancel(reason);
    else this.settle(reason);
  }

  retainedOutputs(): Record<string, object> {
    return this.inner ? this.inner.retainedOutputs() : this.outputs;
  }

  private delegate(prefetch: TargetPrefetch): void {
    this.stopWatching?.();
    this.inner = this.graphRun(prefetch);
    this.inner.start();
  }

  /** Every target was cached: report them as cached results and end the run. */
  private complete(found: readonly object[], recorded: readonly ExecutionEvent[]): void {
    let failure: Error | undefined;
    const events = new RunEvents(this.settings.onEvent, (error) => {
      failure ??= error;
    });
    events.emit("run:start");
    for (const event of recorded) if (!failure) events.deliver(event);
    for (let k = 0; k < this.targets.length && !failure; k++) {
      const node = this.targets[k]!;
      const hash = this.graph.hashOf(node);
      const output = found[k]!;
      events.emit("node:start", node, hash, 1);
      if (failure) break;
      this.outputs[node] = output;
      try {
        this.listener.onResult?.({ node, status: "cached", output, hash, durationMs: 0, attempts: 0 });
      } catch (error) {
        failure = toError(error);
        break;
      }
      events.emit("node:done", node, hash, 0);
    }
    events.emit("run:done", undefined, undefined, undefined, failure);
    this.settle(failure);
  }

  private settle(error: Error | undefined): void {
    if (this.settled) return;
    this.settled = true;
    this.stopWatching?.();
    if (error) this.stopper.abort();
    this.listener.onSettled(error);
  }
}
