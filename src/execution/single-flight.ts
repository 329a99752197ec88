import { NodeExecutionError } from "../errors/node-execution-error";
import { checkData } from "../validation/validate-data";

/**
 * One execution per topological hash within a run: the first node with a hash to start leads, later ones with the
 * same hash follow it and take a copy of its output (or its failure) when it ends.
 */
export class SingleFlight {
  /** Hash → the node currently computing it. */
  private readonly leaders = new Map<string, number>();
  private followers: Map<number, number[]> | undefined;

  /**
   * Node `i` is about to run `hash`: returns true when it leads (nobody runs the hash now); otherwise it has
   * become a follower of the node that does.
   */
  lead(hash: string, i: number): boolean {
    const leader = this.leaders.get(hash);
    if (leader === undefined) {
      this.leaders.set(hash, i);
      return true;
    }
    this.followers ??= new Map();
    const list = this.followers.get(leader);
    if (list) list.push(i);
    else this.followers.set(leader, [i]);
    return false;
  }

  /** Node `i` stopped running `hash` (it ended, or the run did). */
  land(hash: string, i: number): void {
    if (this.leaders.get(hash) === i) this.leaders.delete(hash);
  }

  /** The followers of leader `i`, handed out once. */
  takeFollowers(i: number): readonly number[] | undefined {
    const list = this.followers?.get(i);
    if (list) this.followers!.delete(i);
    return list;
  }
}

/** A copy of a leader's validated output for a follower (each node's output is its own). */
export function copyOutput(cls: new () => object, output: object): object {
  const copy = checkData(cls, output);
  return copy.ok ? copy.value : output;
}

/** The failure of follower `node` when its leader failed with `error`. */
export function followerError(node: string, leader: string, error: NodeExecutionError): NodeExecutionError {
  const message = `Node "${node}" has the same hash as "${leader}", which failed: ${error.message}`;
  return new NodeExecutionError(node, 0, error, message);
}
