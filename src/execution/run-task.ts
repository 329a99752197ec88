import type { NodeContainer } from "../metadata/node-container";
import type { NodeClass, NodeMetadata } from "../metadata/types";
import type { Invocation } from "./invoke-node";
import type { DispatchNote, NodeTask } from "./node-dispatcher";

/** Where a task's abort signal comes from (made on demand: most nodes never look at it), and where notes go. */
export interface SignalSource {
  signalOf(index: number): AbortSignal;
  /** The run's one signal, aborted with every node's. */
  runSignal(): AbortSignal;
  noteOf(index: number, note: DispatchNote): void;
}

/** What the scheduler knows about one try of one node. */
export interface RunTaskOptions {
  readonly name: string;
  readonly hash: string;
  readonly meta: NodeMetadata;
  readonly args: Readonly<Record<string, unknown>>;
  readonly input: object;
  readonly attempt: number;
  readonly timeoutMs: number | undefined;
  readonly container: NodeContainer;
  /** The run, which makes the try's signal when someone reads it. */
  readonly signals: SignalSource;
  /** The node's index in the run. */
  readonly index: number;
}

/**
 * One try of one node as the scheduler dispatches it: a `NodeTask` and an `Invocation` at once, so the
 * in-process dispatcher runs it without copying; `signal` is made only if someone reads it.
 */
export class RunTask implements NodeTask, Invocation {
  readonly name: string;
  readonly hash: string;
  readonly meta: NodeMetadata;
  readonly nodeName: string;
  readonly nodeClass: NodeClass;
  readonly args: Readonly<Record<string, unknown>>;
  readonly input: object;
  readonly attempt: number;
  readonly timeoutMs: number | undefined;
  readonly container: NodeContainer;
  readonly settleOnAbort = false;
  readonly #signals: SignalSource;
  readonly #index: number;

  constructor(options: RunTaskOptions) {
    this.name = options.name;
    this.hash = options.hash;
    this.meta = options.meta;
    this.nodeName = options.meta.name;
    this.nodeClass = options.meta.target as NodeClass;
    this.args = options.args;
    this.input = options.input;
    this.attempt = options.attempt;
    this.timeoutMs = options.timeoutMs;
    this.container = options.container;
    this.#signals = options.signals;
    this.#index = options.index;
  }

  get signal(): AbortSignal {
    return this.#signals.signalOf(this.#index);
  }

  get runSignal(): AbortSignal {
    return this.#signals.runSignal();
  }

  report(note: DispatchNote): void {
    this.#signals.noteOf(this.#index, note);
  }
}
