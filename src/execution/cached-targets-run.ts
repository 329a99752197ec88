import { ExecutionAbortedError } from "../errors/execution-aborted-error";
import type { Graph } from "../graph/graph";
import type { RunSettings } from "./execute-options";
import type { ExecutionEvent } from "./execution-event";
import type { GraphRun, RunListener } from "./graph-run";
import type { OutputCache } from "./output-cache";

/** Cache lookups of the targets made before the run's plan exists, handed to the `GraphRun` when one is needed. */
export interface TargetPrefetch {
  /** Target name → its cached output, or undefined on a miss. */
  readonly found: ReadonlyMap<string, object | undefined>;
  /** The cache events of those lookups, replayed after `run:start`. */
  readonly events: readonly ExecutionEvent[];
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
      const onAbort = () => this.cancel(new ExecutionAbortedError(signal.reason));
      signal.addEventListener("abort", onAbort, { once: true });
      this.stopWatching = () => signal.removeEventListener("abort", onAbort);
    }
    const events: ExecutionEvent[] = [];
    const lookups = this.targets.map((name) => {
      const plan = this.graph.plans.get(name)!;
      const hash = plan.node.hash;
      return this.cache.lookup({ name, hash, meta: plan.meta }, (type, error) => {
        events.push(
          error
            ? { type, node: name, hash, time: Date.now(), error }
            : { type, node: name, hash, time: Date.now() },
        );
      });
    });
    Promise.all(lookups).then(
      (found) => {
        this.stopWatching?.();
        if (this.settled) return;
        if (found.every((output) => output !== undefined)) this.complete(found as object[], events);
        else this.delegate({ found: new Map(this.targets.map((t, k) => [t, found[k]])), events });
      },
      (error) => this.settle(error instanceof Error ? error : new Error(String(error))),
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
  private complete(found: readonly object[], events: readonly ExecutionEvent[]): void {
    try {
      const onEvent = this.settings.onEvent;
      onEvent?.({ type: "run:start", time: Date.now() });
      for (const event of events) onEvent?.(event);
      this.targets.forEach((node, k) => {
        const hash = this.graph.hashOf(node);
        const output = found[k]!;
        onEvent?.({ type: "node:start", node, hash, time: Date.now(), attempt: 1 });
        this.outputs[node] = output;
        this.listener.onResult?.({ node, status: "cached", output, hash, durationMs: 0, attempts: 0 });
        onEvent?.({ type: "node:done", node, hash, time: Date.now(), attempt: 0 });
      });
      onEvent?.({ type: "run:done", time: Date.now() });
      this.settle(undefined);
    } catch (listenerError) {
      this.settle(listenerError instanceof Error ? listenerError : new Error(String(listenerError)));
    }
  }

  private settle(error: Error | undefined): void {
    if (this.settled) return;
    this.settled = true;
    this.stopWatching?.();
    this.listener.onSettled(error);
  }
}
