import type { DependencyContainer } from "tsyringe";
import type { NodeClass, NodeMetadata } from "../metadata/types";
import type { Invocation } from "./invoke-node";
import type { DispatchNote, NodeTask } from "./node-dispatcher";

/** Where a task's abort signal comes from (made on demand: most nodes never look at it), and where notes go. */
export interface SignalSource {
  signalOf(index: number): AbortSignal;
  noteOf(index: number, note: DispatchNote): void;
}

/**
 * One try of one node as the scheduler dispatches it. It is also an `Invocation`, so the in-process dispatcher
 * runs it without copying; `signal` is made only if someone reads it.
 */
export class RunTask implements NodeTask, Invocation {
  readonly nodeName: string;
  readonly nodeClass: NodeClass;
  readonly settleOnAbort = false;
  readonly #source: SignalSource;
  readonly #index: number;

  constructor(
    readonly name: string,
    readonly hash: string,
    readonly meta: NodeMetadata,
    readonly args: Readonly<Record<string, unknown>>,
    readonly input: object,
    readonly attempt: number,
    readonly timeoutMs: number | undefined,
    readonly container: DependencyContainer,
    source: SignalSource,
    index: number,
  ) {
    this.nodeName = meta.name;
    this.nodeClass = meta.target as NodeClass;
    this.#source = source;
    this.#index = index;
  }

  get signal(): AbortSignal {
    return this.#source.signalOf(this.#index);
  }

  report(note: DispatchNote): void {
    this.#source.noteOf(this.#index, note);
  }
}
