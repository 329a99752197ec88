import { MISS } from "./cache-planning";
import type { ExecutionPlan } from "./execution-plan";

/**
 * The outputs a run holds: each one only while a selected child still needs it, unless the run returns it
 * (`keep`).
 */
export class RunOutputs {
  private readonly values: (object | undefined)[];
  /** Selected children that still need the output. */
  private readonly uses: Int32Array;
  /** Whether `run` returns the output. */
  private readonly keep: Uint8Array;
  /** Whether the node gave its parents' outputs back (`uses` decremented). */
  private readonly released: Uint8Array;

  /**
   * @param selected the nodes the run needs (undefined: all)
   * @param keep which outputs the run returns: none (a stream), every selected one, the targets', or the sinks'
   */
  constructor(
    private readonly plan: ExecutionPlan,
    selected: Uint8Array | undefined,
    keep: "none" | "all" | "targets",
    targets: readonly string[] | undefined,
  ) {
    const size = plan.size;
    const children = plan.children;
    this.values = new Array(size);
    this.uses = new Int32Array(size);
    this.keep = new Uint8Array(size);
    this.released = new Uint8Array(size);
    for (let i = 0; i < size; i++) {
      if (selected && !selected[i]) continue;
      let uses = 0;
      for (let k = children.start[i]!; k < children.start[i + 1]!; k++) {
        if (!selected || selected[children.list[k]!]) uses++;
      }
      this.uses[i] = uses;
    }
    if (keep === "all") {
      for (let i = 0; i < size; i++) if (!selected || selected[i]) this.keep[i] = 1;
    } else if (keep === "targets" && targets) {
      for (const name of targets) this.keep[plan.index.get(name)!] = 1;
    } else if (keep === "targets") {
      for (let i = 0; i < size; i++) if (children.count(i) === 0) this.keep[i] = 1;
    }
  }

  /**
   * After cache-aware planning: only the nodes that run (`MISS`) use their parents' outputs, and a node found
   * in the cache (`HIT`) takes no inputs.
   */
  restrictTo(reached: Uint8Array): void {
    const children = this.plan.children;
    for (let i = 0; i < this.plan.size; i++) {
      if (reached[i] === 0) continue;
      if (reached[i] !== MISS) this.released[i] = 1;
      let uses = 0;
      for (let k = children.start[i]!; k < children.start[i + 1]!; k++) {
        if (reached[children.list[k]!] === MISS) uses++;
      }
      this.uses[i] = uses;
    }
  }

  /** Node `i`'s output arrived: held if a child needs it or the run returns it. */
  put(i: number, output: object): void {
    if (this.uses[i]! > 0 || this.keep[i]) this.values[i] = output;
  }

  /** Every output held so far, by index (inputs are assembled from it). */
  get all(): readonly (object | undefined)[] {
    return this.values;
  }

  /** Node `i` no longer needs its parents' outputs: drop each one no other node needs. */
  release(i: number): void {
    if (this.released[i]) return;
    this.released[i] = 1;
    const { start, list } = this.plan.parents;
    for (let k = start[i]!; k < start[i + 1]!; k++) {
      const p = list[k]!;
      if (--this.uses[p]! === 0 && !this.keep[p]) this.values[p] = undefined;
    }
  }

  /** The outputs the run returns, by node name in topological order, of the nodes `done` says completed. */
  retained(done: (i: number) => boolean): Record<string, object> {
    const outputs: Record<string, object> = {};
    const names = this.plan.names;
    for (let i = 0; i < this.plan.size; i++) {
      if (this.keep[i] && done(i)) outputs[names[i]!] = this.values[i]!;
    }
    return outputs;
  }
}
