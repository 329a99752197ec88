import { HIT } from "./cache-planning";
import type { ExecutionPlan } from "./execution-plan";

// Node states (`NodeStates.state`).
export const WAITING = 0; // some input missing
export const QUEUED = 1; // ready, waiting for a concurrency slot
export const RUNNING = 2;
export const FOLLOWING = 3; // waiting for a running node with the same hash
export const DONE = 4;
export const FAILED = 5;
export const SKIPPED = 6;
export const UNSELECTED = 7; // not a target nor an ancestor of one

/**
 * The scheduling table of one run: each node's state, how many parents' outputs it still waits for, and how many
 * nodes have yet to settle. `GraphRun` moves the nodes from state to state; this sets the table up and narrows it.
 */
export class NodeStates {
  readonly state: Uint8Array;
  /** Parents whose output has not arrived yet. */
  readonly pending: Int32Array;
  /** Nodes of the run that are not done, failed or skipped yet. */
  unsettled = 0;

  /** @param selected the nodes the run needs (undefined: all); the others are `UNSELECTED` */
  constructor(
    private readonly plan: ExecutionPlan,
    selected: Uint8Array | undefined,
  ) {
    const size = plan.size;
    const parents = plan.parents;
    this.state = new Uint8Array(size);
    this.pending = new Int32Array(size);
    for (let i = 0; i < size; i++) {
      if (selected && !selected[i]) {
        this.state[i] = UNSELECTED;
        continue;
      }
      this.unsettled++;
      this.pending[i] = parents.count(i);
    }
  }

  /** Drops the nodes cache-aware planning did not reach; cached ones take no inputs. */
  restrictTo(reached: Uint8Array): void {
    const parents = this.plan.parents;
    for (let i = 0; i < this.plan.size; i++) {
      if (this.state[i] === UNSELECTED) continue;
      if (reached[i] === 0) {
        this.state[i] = UNSELECTED;
        this.unsettled--;
      } else this.pending[i] = reached[i] === HIT ? 0 : parents.count(i);
    }
  }

  /**
   * Marks every waiting descendant of the failed node `i` skipped, handing each to `skip`, which returns false
   * once the run is over (then the walk stops).
   */
  skipDescendants(i: number, skip: (c: number) => boolean): void {
    const children = this.plan.children;
    const stack = children.of(i);
    while (stack.length > 0) {
      const c = stack.pop()!;
      if (this.state[c] !== WAITING) continue;
      this.state[c] = SKIPPED;
      this.unsettled--;
      if (!skip(c)) return;
      for (let k = children.start[c]!; k < children.start[c + 1]!; k++) stack.push(children.list[k]!);
    }
  }
}
