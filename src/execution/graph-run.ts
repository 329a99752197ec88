import type { NodeExecutionError } from "../errors/node-execution-error";
import { NodeSkippedError } from "../errors/node-skipped-error";
import type { NodeContainer } from "../metadata/node-container";
import { toError } from "../util/error-text";
import { type AttemptHost, Attempts } from "./attempts";
import type { TargetPrefetch } from "./cache-planning";
import { remainingPathLengths } from "./critical-path";
import type { RunSettings } from "./execute-options";
import type { ExecutionEventType } from "./execution-event";
import type { ExecutionPlan } from "./execution-plan";
import { assembleInput } from "./input-plan";
import type { DispatchNote, NodeDispatcher } from "./node-dispatcher";
import type { NodeResultStatus } from "./node-result";
import { NodeSignals } from "./node-signals";
import { DONE, FAILED, FOLLOWING, NodeStates, QUEUED, RUNNING, WAITING } from "./node-states";
import type { OutputCache } from "./output-cache";
import { ReadyQueue } from "./ready-queue";
import { RunCache } from "./run-cache";
import { RunEnding } from "./run-ending";
import { eventOf, RunEvents } from "./run-events";
import { RunOutputs } from "./run-outputs";
import { type RunListener, RunResults } from "./run-results";
import { copyOutput, followerError, SingleFlight } from "./single-flight";

/** How many nodes without inputs start in one go (see `startRoots`). */
const ROOT_BATCH = 1024;

/**
 * One execution of a graph: an event-driven scheduler. A node is dispatched the moment its last parent's output
 * arrives (or, with a concurrency limit, when a slot frees and it has the longest remaining path among the ready
 * ones). Outputs are kept only while a dependent still needs them, unless `run` returns them.
 */
export class GraphRun implements AttemptHost {
  /** Failures and skips by node name (`onError: "continue"`). */
  readonly errors: Record<string, Error> = {};
  /** True once the run is over: nothing starts or reports any more. */
  finished = false;
  private readonly size: number;
  private readonly nodes: NodeStates;
  private readonly outputs: RunOutputs;
  private readonly results: RunResults;
  private readonly signals: NodeSignals;
  private readonly queue: ReadyQueue | undefined;
  private readonly concurrency: number;
  private readonly flights = new SingleFlight();
  private readonly attempts: Attempts;
  private readonly events: RunEvents;
  private readonly cache: RunCache;
  /** Whether anyone takes events (`onEvent`) or results (a stream): without, none is built. */
  private readonly listening: boolean;
  private readonly streaming: boolean;
  private readonly children: ExecutionPlan["children"];
  private running = 0;
  private readonly ending: RunEnding;

  constructor(
    private readonly plan: ExecutionPlan,
    private readonly settings: RunSettings,
    container: NodeContainer,
    dispatcher: NodeDispatcher,
    cache: OutputCache,
    listener: RunListener,
    /** Cache lookups of the targets made before this run (see `CachedTargetsRun`). */
    private readonly prefetch?: TargetPrefetch,
  ) {
    const size = plan.size;
    this.size = size;
    this.results = new RunResults(plan, listener);
    this.listening = settings.onEvent !== undefined;
    this.streaming = listener.onResult !== undefined;
    this.children = plan.children;
    this.signals = new NodeSignals(size);
    this.concurrency = settings.concurrency;
    this.attempts = new Attempts(this, plan, settings, container, dispatcher);
    this.events = new RunEvents(settings.onEvent, (error) => {
      // a listener's exception on a late cache event (after the last node) still fails the run
      if (this.finished) this.ending.late(error, false);
      else this.finish(error);
    });
    this.cache = new RunCache(plan, cache, (event) => {
      if (!this.ending.closed) this.events.deliver(event);
    });
    this.ending = new RunEnding(settings.onEvent, listener, this.signals, this.cache);

    const selected = settings.targets ? plan.selection(settings.targets) : undefined;
    this.nodes = new NodeStates(plan, selected);
    // a stream hands each output out with its result: it keeps nothing beyond what dependents need
    const keep = !listener.returnsOutputs ? "none" : settings.retainTargets ? "targets" : "all";
    this.outputs = new RunOutputs(plan, selected, keep, settings.targets);
    if (this.concurrency !== Infinity) {
      this.queue = new ReadyQueue(remainingPathLengths(plan.children, selected), Math.min(size, 1024));
    }
  }

  /** Starts every node without inputs. */
  start(): void {
    this.emit("run:start", -1);
    for (const event of this.prefetch?.events ?? []) {
      if (this.finished) return;
      this.events.deliver(event);
    }
    if (this.finished) return;
    const signal = this.settings.signal;
    if (signal && !this.ending.watch(signal, (error) => this.finish(error))) return;
    const targets = this.settings.targets;
    if (targets && this.cache.enabled) {
      this.cache
        .planFor(targets, this.prefetch, () => this.finished)
        .then(
          (reached) => {
            if (!reached) return;
            this.nodes.restrictTo(reached);
            this.outputs.restrictTo(reached);
            this.startRoots(0);
          },
          (error) => this.finish(toError(error)),
        );
    } else this.startRoots(0);
  }

  /**
   * Starts the nodes without inputs from index `from` on. Without a concurrency limit, after every
   * `ROOT_BATCH` of them the rest wait for the next event-loop turn, so that nodes that complete at once do so
   * before more start: a graph of 100k independent nodes then does not hold 100k tries in flight.
   */
  private startRoots(from: number): void {
    const { state, pending } = this.nodes;
    let started = 0;
    for (let i = from; i < this.size && !this.finished; i++) {
      if (state[i] !== WAITING || pending[i] !== 0) continue;
      this.ready(i);
      if (!this.queue && ++started === ROOT_BATCH && i + 1 < this.size) {
        setImmediate(() => this.startRoots(i + 1));
        return;
      }
    }
    this.pump();
    this.checkEnd();
  }

  /** Stops the run (the consumer left): nothing more starts, in-flight nodes are aborted. */
  cancel(reason: Error): void {
    if (!this.finished) this.finish(reason);
    else this.ending.late(reason, true);
  }

  /** The outputs `run` returns, by node name in topological order. */
  retainedOutputs(): Record<string, object> {
    return this.outputs.retained((i) => this.nodes.state[i] === DONE);
  }

  /** The abort signal of node `i`'s tries, made on first use (most nodes never look at it). */
  signalOf(i: number): AbortSignal {
    return this.signals.signalOf(i);
  }

  /** The run's one signal, aborted with every node's (see `NodeTask.runSignal`). */
  runSignal(): AbortSignal {
    return this.signals.runSignal();
  }

  /** A dispatcher's note about node `i`'s current try: where it runs, or why it waits. */
  noteOf(i: number, note: DispatchNote): void {
    if (this.finished || this.nodes.state[i] !== RUNNING) return;
    if (note.worker !== undefined) this.results.ranOn(i, note.worker);
    if (note.waiting !== undefined && this.events.listener) {
      this.events.deliver({
        ...eventOf("node:waiting", this.plan.names[i], this.plan.hashes[i]),
        message: note.waiting,
      });
    }
  }

  inputOf(i: number): object {
    return assembleInput(this.plan.input(i), this.outputs.all);
  }

  retrying(i: number, attempt: number, error: Error): void {
    this.emit("node:retry", i, attempt, error);
  }

  succeeded(i: number, output: object, attempts: number): void {
    if (this.cache.enabled) this.cache.store(i, output);
    this.complete(i, output, "done", attempts);
  }

  private ready(i: number): void {
    if (!this.queue) this.launch(i);
    else {
      this.nodes.state[i] = QUEUED;
      this.queue.push(i);
    }
  }

  private pump(): void {
    const queue = this.queue;
    if (!queue) return;
    while (!this.finished && this.running < this.concurrency && queue.size > 0) this.launch(queue.pop());
  }

  private launch(i: number): void {
    if (this.streaming) this.results.started(i);
    if (this.plan.sharedHashes?.[i] && !this.flights.lead(this.plan.hashes[i]!, i)) {
      this.nodes.state[i] = FOLLOWING;
      this.outputs.release(i);
      return;
    }
    this.nodes.state[i] = RUNNING;
    this.running++;
    void this.execute(i);
  }

  /** The per-node pipeline: cache lookup → tries (see `Attempts`) → cache store. */
  private execute(i: number): void {
    try {
      if (this.listening) {
        this.emit("node:start", i, 1);
        if (this.finished) return;
      }
      if (this.cache.enabled) void this.lookUpThenRun(i);
      else this.attempts.run(i);
    } catch (internal) {
      this.finish(toError(internal));
    }
  }

  private async lookUpThenRun(i: number): Promise<void> {
    try {
      const hit = await this.cache.find(i);
      if (this.finished) return;
      if (hit !== undefined) {
        this.complete(i, hit, "cached", 0);
        return;
      }
    } catch (internal) {
      this.finish(toError(internal));
      return;
    }
    this.attempts.run(i);
  }

  crashed(error: Error): void {
    this.finish(error);
  }

  private complete(i: number, output: object, status: NodeResultStatus, attempts: number): void {
    if (this.finished) return;
    this.settle(i, DONE);
    this.outputs.put(i, output);
    if (this.streaming) this.results.output(i, output, status, attempts);
    if (this.listening) {
      this.emit("node:done", i, attempts);
      if (this.finished) return;
    }
    if (this.plan.sharedHashes) {
      const followers = this.flights.takeFollowers(i);
      if (followers) {
        for (const f of followers)
          this.complete(f, copyOutput(this.plan.metas[f]!.output, output), "cached", 0);
      }
    }
    const { start, list } = this.children;
    const { state, pending } = this.nodes;
    for (let k = start[i]!, end = start[i + 1]!; k < end; k++) {
      const c = list[k]!;
      if (state[c] === WAITING && --pending[c]! === 0) {
        this.ready(c);
        if (this.finished) return;
      }
    }
    if (this.queue) this.pump();
    if (this.nodes.unsettled === 0) this.checkEnd();
  }

  failed(i: number, error: NodeExecutionError): void {
    if (this.finished) return;
    this.settle(i, FAILED);
    if (!this.settings.continueOnError) {
      this.emit("node:failed", i, error.attempts, error);
      this.finish(error);
      return;
    }
    const names = this.plan.names;
    this.errors[names[i]!] = error;
    this.results.failed(i, error, error.attempts);
    this.emit("node:failed", i, error.attempts, error);
    if (this.finished) return;
    const followers = this.flights.takeFollowers(i);
    if (followers) {
      for (const f of followers) this.failed(f, followerError(names[f]!, names[i]!, error));
    }
    if (this.finished) return;
    this.nodes.skipDescendants(i, (c) => {
      this.outputs.release(c);
      const skipped = new NodeSkippedError(names[c]!, names[i]!);
      this.errors[names[c]!] = skipped;
      this.results.skipped(c, skipped);
      this.emit("node:skipped", c, undefined, skipped);
      return !this.finished;
    });
    this.pump();
    this.checkEnd();
  }

  /** Bookkeeping shared by every end of a node. */
  private settle(i: number, state: number): void {
    const nodes = this.nodes;
    if (nodes.state[i] === RUNNING) {
      this.running--;
      if (this.plan.sharedHashes?.[i]) this.flights.land(this.plan.hashes[i]!, i);
    }
    nodes.state[i] = state;
    this.signals.drop(i);
    nodes.unsettled--;
    this.outputs.release(i);
  }

  release(i: number): void {
    this.outputs.release(i);
  }

  private checkEnd(): void {
    if (!this.finished && this.nodes.unsettled === 0) this.finish(undefined);
  }

  /** Ends the run: nothing starts any more (see `RunEnding`). */
  private finish(error: Error | undefined): void {
    if (this.finished) return;
    this.finished = true;
    this.ending.end(error);
  }

  /** Emits an event about node `i` (none when `i` < 0). */
  private emit(type: ExecutionEventType, i: number, attempt?: number, error?: Error): void {
    if (!this.events.listener) return;
    if (i < 0) this.events.emit(type, undefined, undefined, attempt, error);
    else this.events.emit(type, this.plan.names[i], this.plan.hashes[i], attempt, error);
  }
}
