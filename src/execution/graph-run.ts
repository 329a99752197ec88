import type { DependencyContainer } from "tsyringe";
import { DataValidationError } from "../errors/data-validation-error";
import { ExecutionAbortedError } from "../errors/execution-aborted-error";
import { NodeArgumentsError } from "../errors/node-arguments-error";
import { NodeDefinitionError } from "../errors/node-definition-error";
import { NodeExecutionError } from "../errors/node-execution-error";
import { NodeOutputError } from "../errors/node-output-error";
import { NodeSkippedError } from "../errors/node-skipped-error";
import { normalizeRetries } from "../metadata/retry-policy";
import { checkData } from "../validation/validate-data";
import { watchAbort } from "./abort-watch";
import { abortableDelay } from "./abortable-delay";
import type { TargetPrefetch } from "./cached-targets-run";
import { remainingPathLengths } from "./critical-path";
import type { RunSettings } from "./execute-options";
import type { ExecutionEvent, ExecutionEventType } from "./execution-event";
import type { ExecutionPlan } from "./execution-plan";
import { assembleInput } from "./input-plan";
import type { DispatchNote, NodeDispatcher } from "./node-dispatcher";
import type { NodeResult, NodeResultStatus } from "./node-result";
import type { CacheSubject, OutputCache } from "./output-cache";
import { ReadyQueue } from "./ready-queue";
import { RunTask, type SignalSource } from "./run-task";

// Node states.
const WAITING = 0; // some input missing
const QUEUED = 1; // ready, waiting for a concurrency slot
const RUNNING = 2;
const FOLLOWING = 3; // waiting for a running node with the same hash
const DONE = 4;
const FAILED = 5;
const SKIPPED = 6;
const UNSELECTED = 7; // not a target nor an ancestor of one

/** How many nodes without inputs start in one go (see `startRoots`). */
const ROOT_BATCH = 1024;

/** What a run reports to its owner (the stream or `Executor.run`). */
export interface RunListener {
  /** Whether the caller wants outputs back at the end (`run`); a stream hands each output out as it comes. */
  readonly returnsOutputs: boolean;
  /** Each node's result, in completion order (streams only: `run` passes none and no results are built). */
  readonly onResult?: (result: NodeResult) => void;
  /**
   * Called once when the run is over: with the fail-fast error, the abort, or a listener's error; without one
   * when every selected node has a result (in `"continue"` mode `errors` then says what failed).
   */
  readonly onSettled: (error: Error | undefined) => void;
}

/**
 * One execution of a graph: an event-driven scheduler. A node is dispatched the moment its last parent's output
 * arrives (or, with a concurrency limit, when a slot frees and it has the longest remaining path among the ready
 * ones). Outputs are kept only while a dependent still needs them, unless `run` returns them.
 */
export class GraphRun implements SignalSource {
  /** Failures and skips by node name (`onError: "continue"`). */
  readonly errors: Record<string, Error> = {};
  private readonly size: number;
  private readonly state: Uint8Array;
  /** Parents whose output has not arrived yet. */
  private readonly pending: Int32Array;
  /** Selected children that still need the output. */
  private readonly uses: Int32Array;
  /** Whether `run` returns the output. */
  private readonly keep: Uint8Array;
  /** Whether the node gave its parents' outputs back (`uses` decremented). */
  private readonly released: Uint8Array;
  private readonly outputs: (object | undefined)[];
  /** Start times (streams only: results carry durations). */
  private readonly startedAt: Float64Array;
  private readonly timed: boolean;
  /** In-flight nodes' signals: aborting the run aborts them. */
  private readonly controllers: (AbortController | undefined)[];
  private readonly queue: ReadyQueue | undefined;
  private readonly concurrency: number;
  /** Hash → the node currently computing it (single-flight). */
  private readonly flights = new Map<string, number>();
  private followers: Map<number, number[]> | undefined;
  private readonly writes: Promise<void>[] = [];
  private running = 0;
  private unsettled = 0;
  private finished = false;
  private abortReason: ExecutionAbortedError | undefined;
  private unwatch: (() => void) | undefined;
  private readonly defaultRetries;
  /** Cache-aware planning: outputs found for targets (and nodes reached from them), by index. */
  private preloaded: (object | undefined)[] | undefined;
  /** Cache-aware planning: nodes already looked up (no second read). */
  private lookedUp: Uint8Array | undefined;
  /** Where each node's last try ran, when its dispatcher said (remote workers only). */
  private workers: (string | undefined)[] | undefined;

  constructor(
    private readonly plan: ExecutionPlan,
    private readonly settings: RunSettings,
    private readonly container: DependencyContainer,
    private readonly dispatcher: NodeDispatcher,
    private readonly cache: OutputCache,
    private readonly listener: RunListener,
    /** Cache lookups of the targets made before this run (see `CachedTargetsRun`). */
    private readonly prefetch?: TargetPrefetch,
  ) {
    const size = plan.size;
    this.size = size;
    this.state = new Uint8Array(size);
    this.pending = new Int32Array(size);
    this.uses = new Int32Array(size);
    this.keep = new Uint8Array(size);
    this.released = new Uint8Array(size);
    this.outputs = new Array(size);
    this.timed = listener.onResult !== undefined;
    this.startedAt = new Float64Array(this.timed ? size : 0);
    this.controllers = new Array(size);
    this.defaultRetries = normalizeRetries(settings.retries);
    this.concurrency = settings.concurrency;

    let selected: Uint8Array | undefined;
    if (settings.targets) selected = plan.selection(settings.targets);
    const { parents, children } = plan;
    for (let i = 0; i < size; i++) {
      if (selected && !selected[i]) {
        this.state[i] = UNSELECTED;
        continue;
      }
      this.unsettled++;
      this.pending[i] = parents.count(i);
      let uses = 0;
      for (let k = children.start[i]!; k < children.start[i + 1]!; k++) {
        if (!selected || selected[children.list[k]!]) uses++;
      }
      this.uses[i] = uses;
    }
    if (!listener.returnsOutputs) {
      // a stream hands each output out with its result: keep nothing beyond what dependents need
    } else if (!settings.retainTargets) {
      for (let i = 0; i < size; i++) if (this.state[i] !== UNSELECTED) this.keep[i] = 1;
    } else if (settings.targets) {
      for (const name of settings.targets) this.keep[plan.index.get(name)!] = 1;
    } else {
      for (let i = 0; i < size; i++) if (children.count(i) === 0) this.keep[i] = 1;
    }
    if (this.concurrency !== Infinity) {
      this.queue = new ReadyQueue(remainingPathLengths(children, selected), Math.min(size, 1024));
    }
  }

  /** Starts every node without inputs. */
  start(): void {
    this.emit("run:start", -1);
    for (const event of this.prefetch?.events ?? []) {
      if (this.finished) return;
      this.emitEvent(event);
    }
    if (this.finished) return;
    const signal = this.settings.signal;
    if (signal) {
      if (signal.aborted) {
        this.finish(new ExecutionAbortedError(signal.reason));
        return;
      }
      this.unwatch = watchAbort(signal, this.onAbort);
    }
    if (this.settings.targets && this.cache.enabled) {
      this.planFromCache(this.settings.targets).then(
        () => this.startRoots(0),
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
    let started = 0;
    for (let i = from; i < this.size && !this.finished; i++) {
      if (this.state[i] !== WAITING || this.pending[i] !== 0) continue;
      this.ready(i);
      if (!this.queue && ++started === ROOT_BATCH && i + 1 < this.size) {
        setImmediate(() => this.startRoots(i + 1));
        return;
      }
    }
    this.pump();
    this.checkEnd();
  }

  /**
   * Cache-aware planning for `targets`: walks back from the targets one level at a time, looking each node up;
   * a hit stops the walk there, so the ancestors of a cached node are neither run nor read. Nodes the walk
   * does not reach are dropped from the run.
   */
  private async planFromCache(targets: readonly string[]): Promise<void> {
    const { parents, children, index } = this.plan;
    const MISS = 1;
    const HIT = 2;
    const seen = new Uint8Array(this.size);
    const preloaded: (object | undefined)[] = new Array(this.size);
    let frontier = [...new Set(targets.map((t) => index.get(t)!))];
    while (frontier.length > 0) {
      const prefetched = this.prefetch?.found;
      const found = await Promise.all(
        frontier.map((i) => {
          const name = this.plan.names[i]!;
          if (prefetched?.has(name)) return prefetched.get(name);
          return this.cache.lookup(this.subject(i), this.cacheSink(i));
        }),
      );
      if (this.finished) return;
      const next: number[] = [];
      for (let k = 0; k < frontier.length; k++) {
        const i = frontier[k]!;
        if (found[k] !== undefined) {
          seen[i] = HIT;
          preloaded[i] = found[k];
          continue;
        }
        seen[i] = MISS;
        for (let k2 = parents.start[i]!; k2 < parents.start[i + 1]!; k2++) {
          const p = parents.list[k2]!;
          if (seen[p] === 0) {
            seen[p] = MISS; // reserved; decided when its level is looked up
            next.push(p);
          }
        }
      }
      frontier = next;
    }
    for (let i = 0; i < this.size; i++) {
      if (this.state[i] === UNSELECTED) continue;
      if (seen[i] === 0) {
        this.state[i] = UNSELECTED;
        this.unsettled--;
        continue;
      }
      this.pending[i] = seen[i] === HIT ? 0 : parents.count(i);
      if (seen[i] === HIT) this.released[i] = 1; // a cached node takes no inputs
      let uses = 0;
      for (let k = children.start[i]!; k < children.start[i + 1]!; k++) {
        const c = children.list[k]!;
        if (seen[c] === MISS && this.state[c] !== UNSELECTED) uses++;
      }
      this.uses[i] = uses;
    }
    this.preloaded = preloaded;
    this.lookedUp = seen;
  }

  /** Stops the run (the consumer left): nothing more starts, in-flight nodes are aborted. */
  cancel(reason: Error): void {
    this.finish(reason);
  }

  /** The outputs `run` returns, by node name in topological order. */
  retainedOutputs(): Record<string, object> {
    const outputs: Record<string, object> = {};
    const names = this.plan.names;
    for (let i = 0; i < this.size; i++) {
      if (this.keep[i] && this.state[i] === DONE) outputs[names[i]!] = this.outputs[i]!;
    }
    return outputs;
  }

  /** The abort signal of node `i`'s tries, made on first use (most nodes never look at it). */
  signalOf(i: number): AbortSignal {
    if (this.finished) {
      return this.abortReason ? AbortSignal.abort(this.abortReason) : new AbortController().signal;
    }
    let controller = this.controllers[i];
    if (!controller) {
      controller = new AbortController();
      this.controllers[i] = controller;
    }
    return controller.signal;
  }

  /** A dispatcher's note about node `i`'s current try. */
  noteOf(i: number, note: DispatchNote): void {
    if (this.finished || this.state[i] !== RUNNING) return;
    if (note.worker !== undefined) {
      this.workers ??= new Array(this.size);
      this.workers[i] = note.worker;
    }
    if (note.waiting !== undefined)
      this.emitEvent(this.event("node:waiting", i, undefined, undefined, note.waiting));
  }

  private readonly onAbort = (): void => {
    this.finish(new ExecutionAbortedError(this.settings.signal!.reason));
  };

  private ready(i: number): void {
    if (this.queue) {
      this.state[i] = QUEUED;
      this.queue.push(i);
    } else {
      this.launch(i);
    }
  }

  private pump(): void {
    const queue = this.queue;
    if (!queue) return;
    while (!this.finished && this.running < this.concurrency && queue.size > 0) this.launch(queue.pop());
  }

  private launch(i: number): void {
    if (this.timed) this.startedAt[i] = performance.now();
    if (!this.plan.sharedHashes?.[i]) {
      this.state[i] = RUNNING;
      this.running++;
      void this.execute(i);
      return;
    }
    const hash = this.plan.hashes[i]!;
    const leader = this.flights.get(hash);
    if (leader !== undefined) {
      this.state[i] = FOLLOWING;
      this.release(i);
      this.followers ??= new Map();
      const list = this.followers.get(leader);
      if (list) list.push(i);
      else this.followers.set(leader, [i]);
      return;
    }
    this.flights.set(hash, i);
    this.state[i] = RUNNING;
    this.running++;
    void this.execute(i);
  }

  /** The per-node pipeline: cache lookup → assemble input → dispatch (with retries) → cache store. */
  private async execute(i: number): Promise<void> {
    const plan = this.plan;
    try {
      this.emit("node:start", i, 1);
      if (this.finished) return;
      const preloaded = this.preloaded?.[i];
      if (preloaded !== undefined) {
        this.preloaded![i] = undefined;
        this.complete(i, preloaded, "cached", 0);
        return;
      }
      const cache = this.cache;
      if (cache.enabled && !this.lookedUp?.[i]) {
        const hit = await cache.lookup(this.subject(i), this.cacheSink(i));
        if (this.finished) return;
        if (hit !== undefined) {
          this.complete(i, hit, "cached", 0);
          return;
        }
      }
      const input = plan.input(i);
      const meta = plan.metas[i]!;
      const policy = meta.retries === undefined ? this.defaultRetries : normalizeRetries(meta.retries);
      const timeoutMs = meta.timeoutMs ?? this.settings.timeoutMs;
      for (let attempt = 1; ; attempt++) {
        let value: object;
        try {
          value = assembleInput(input, this.outputs);
        } catch (error) {
          this.fail(i, new NodeExecutionError(plan.names[i]!, attempt, error));
          return;
        }
        if (policy.retries === 0) this.release(i);
        try {
          const output = await this.dispatcher.dispatch(
            new RunTask(
              plan.names[i]!,
              plan.hashes[i]!,
              meta,
              plan.arguments[i]!,
              value,
              attempt,
              timeoutMs,
              this.container,
              this,
              i,
            ),
          );
          if (this.finished) return;
          if (cache.enabled) this.writes.push(cache.store(this.subject(i), output, this.cacheSink(i)));
          this.complete(i, output, "done", attempt);
          return;
        } catch (error) {
          if (this.finished) return;
          if (attempt > policy.retries || !isRetryable(error)) {
            this.fail(i, asNodeError(plan.names[i]!, attempt, error));
            return;
          }
          this.emit("node:retry", i, attempt + 1, error as Error);
          if (this.finished) return;
          const delay = policy.backoffMs * policy.factor ** (attempt - 1);
          if (delay > 0 && !(await abortableDelay(delay, this.signalOf(i)))) return;
          if (this.finished) return;
        }
      }
    } catch (internal) {
      this.finish(internal instanceof Error ? internal : new Error(String(internal)));
    }
  }

  private complete(i: number, output: object, status: NodeResultStatus, attempts: number): void {
    if (this.finished) return;
    this.settle(i, DONE);
    if (this.uses[i]! > 0 || this.keep[i]) this.outputs[i] = output;
    const onResult = this.listener.onResult;
    if (onResult) {
      const worker = status === "done" ? this.workers?.[i] : undefined;
      const result: NodeResult = {
        node: this.plan.names[i]!,
        status,
        output,
        hash: this.plan.hashes[i]!,
        durationMs: performance.now() - this.startedAt[i]!,
        attempts,
      };
      onResult(worker === undefined ? result : { ...result, worker });
    }
    this.emit("node:done", i, attempts);
    if (this.finished) return;
    const followers = this.followers?.get(i);
    if (followers) {
      this.followers!.delete(i);
      for (const f of followers)
        this.complete(f, copyOutput(this.plan.metas[f]!.output, output), "cached", 0);
    }
    const { start, list } = this.plan.children;
    for (let k = start[i]!; k < start[i + 1]!; k++) {
      const c = list[k]!;
      if (this.state[c] === WAITING && --this.pending[c]! === 0) {
        this.ready(c);
        if (this.finished) return;
      }
    }
    this.pump();
    this.checkEnd();
  }

  private fail(i: number, error: NodeExecutionError): void {
    if (this.finished) return;
    this.settle(i, FAILED);
    if (!this.settings.continueOnError) {
      this.emit("node:failed", i, error.attempts, error);
      this.finish(error);
      return;
    }
    const names = this.plan.names;
    this.errors[names[i]!] = error;
    this.listener.onResult?.({
      node: names[i]!,
      status: "failed",
      error,
      hash: this.plan.hashes[i]!,
      durationMs: performance.now() - this.startedAt[i]!,
      attempts: error.attempts,
    });
    this.emit("node:failed", i, error.attempts, error);
    if (this.finished) return;
    const followers = this.followers?.get(i);
    if (followers) {
      this.followers!.delete(i);
      for (const f of followers) {
        this.fail(
          f,
          new NodeExecutionError(
            names[f]!,
            0,
            error,
            `Node "${names[f]}" has the same hash as "${names[i]}", which failed: ${error.message}`,
          ),
        );
      }
    }
    this.skipDescendants(i);
    this.pump();
    this.checkEnd();
  }

  /** Marks every waiting descendant of the failed node `i` skipped. */
  private skipDescendants(i: number): void {
    const { names, hashes, children } = this.plan;
    const failed = names[i]!;
    const stack = children.of(i);
    while (stack.length > 0 && !this.finished) {
      const c = stack.pop()!;
      if (this.state[c] !== WAITING) continue;
      this.state[c] = SKIPPED;
      this.unsettled--;
      this.release(c);
      const error = new NodeSkippedError(names[c]!, failed);
      this.errors[names[c]!] = error;
      this.listener.onResult?.({
        node: names[c]!,
        status: "skipped",
        error,
        hash: hashes[c]!,
        durationMs: 0,
        attempts: 0,
      });
      this.emit("node:skipped", c, undefined, error);
      for (let k = children.start[c]!; k < children.start[c + 1]!; k++) stack.push(children.list[k]!);
    }
  }

  /** Bookkeeping shared by every end of a node. */
  private settle(i: number, state: number): void {
    if (this.state[i] === RUNNING) {
      this.running--;
      if (this.plan.sharedHashes?.[i]) {
        const hash = this.plan.hashes[i]!;
        if (this.flights.get(hash) === i) this.flights.delete(hash);
      }
    }
    this.state[i] = state;
    this.controllers[i] = undefined;
    this.unsettled--;
    this.release(i);
  }

  /** Node `i` no longer needs its parents' outputs: drop each one no other node needs. */
  private release(i: number): void {
    if (this.released[i]) return;
    this.released[i] = 1;
    const { start, list } = this.plan.parents;
    for (let k = start[i]!; k < start[i + 1]!; k++) {
      const p = list[k]!;
      if (--this.uses[p]! === 0 && !this.keep[p]) this.outputs[p] = undefined;
    }
  }

  private checkEnd(): void {
    if (!this.finished && this.unsettled === 0) this.finish(undefined);
  }

  private finish(error: Error | undefined): void {
    if (this.finished) return;
    this.finished = true;
    if (error) {
      const reason = error instanceof ExecutionAbortedError ? error : new ExecutionAbortedError(error);
      this.abortReason = reason;
      for (let i = 0; i < this.size; i++) {
        const controller = this.controllers[i];
        if (controller) {
          this.controllers[i] = undefined;
          controller.abort(reason);
        }
      }
    }
    this.unwatch?.();
    let final = error;
    const onEvent = this.settings.onEvent;
    if (onEvent) {
      try {
        onEvent(
          error ? { type: "run:done", time: Date.now(), error } : { type: "run:done", time: Date.now() },
        );
      } catch (listenerError) {
        final ??= toError(listenerError);
      }
    }
    if (this.writes.length === 0) this.listener.onSettled(final);
    else void Promise.allSettled(this.writes).then(() => this.listener.onSettled(final));
  }

  private emit(type: ExecutionEventType, i: number, attempt?: number, error?: Error): void {
    if (this.settings.onEvent) this.emitEvent(this.event(type, i, attempt, error));
  }

  private event(
    type: ExecutionEventType,
    i: number,
    attempt?: number,
    error?: Error,
    message?: string,
  ): ExecutionEvent {
    const event: { -readonly [K in keyof ExecutionEvent]: ExecutionEvent[K] } = { type, time: Date.now() };
    if (i >= 0) {
      event.node = this.plan.names[i];
      event.hash = this.plan.hashes[i];
    }
    if (attempt !== undefined) event.attempt = attempt;
    if (error !== undefined) event.error = error;
    if (message !== undefined) event.message = message;
    return event;
  }

  /** Hands one event to `onEvent`; an exception it throws fails the run. */
  private emitEvent(event: ExecutionEvent): void {
    const onEvent = this.settings.onEvent;
    if (!onEvent) return;
    try {
      onEvent(event);
    } catch (listenerError) {
      this.finish(toError(listenerError));
    }
  }

  private subject(i: number): CacheSubject {
    return { name: this.plan.names[i]!, hash: this.plan.hashes[i]!, meta: this.plan.metas[i]! };
  }

  private cacheSink(i: number) {
    return (type: ExecutionEventType, error?: Error) => {
      if (!this.finished) this.emit(type, i, undefined, error);
    };
  }
}

/** Invalid data and definitions fail the same way every time: they are not retried. */
function isRetryable(error: unknown): boolean {
  return !(
    error instanceof NodeOutputError ||
    error instanceof DataValidationError ||
    error instanceof NodeArgumentsError ||
    error instanceof NodeDefinitionError
  );
}

/** The `NodeExecutionError` a node's final failure is reported as (timeouts stay `NodeTimeoutError`). */
function asNodeError(node: string, attempts: number, error: unknown): NodeExecutionError {
  if (error instanceof NodeExecutionError && error.node === node) return error;
  return new NodeExecutionError(node, attempts, error);
}

/** A copy of a validated output for another node with the same hash. */
function copyOutput(cls: new () => object, output: object): object {
  const copy = checkData(cls, output);
  return copy.ok ? copy.value : output;
}

function toError(value: unknown): Error {
  return value instanceof Error ? value : new Error(String(value));
}
