/**
 * Neighbour lists of every node in two flat arrays (compressed sparse rows): the neighbours of node `i` are
 * `list[start[i]]` … `list[start[i + 1] − 1]`. About 8 bytes per edge instead of a small array per node.
 */
export class Adjacency {
  constructor(
    readonly start: Int32Array,
    readonly list: Int32Array,
  ) {}

  /** Builds the lists: `lists(i, add)` adds node `i`'s neighbours, for each node in turn. */
  static build(size: number, lists: (i: number, add: (neighbour: number) => void) => void): Adjacency {
    const start = new Int32Array(size + 1);
    const pending: number[] = [];
    for (let i = 0; i < size; i++) {
      lists(i, (n) => pending.push(n));
      start[i + 1] = pending.length;
    }
    return new Adjacency(start, Int32Array.from(pending));
  }

  /** The lists reversed: for each node, the nodes that list it. */
  reversed(): Adjacency {
    const size = this.start.length - 1;
    const counts = new Int32Array(size + 1);
    for (let k = 0; k < this.list.length; k++) counts[this.list[k]! + 1]!++;
    for (let i = 0; i < size; i++) counts[i + 1]! += counts[i]!;
    const start = counts.slice();
    const next = counts.slice(0, size);
    const list = new Int32Array(this.list.length);
    for (let i = 0; i < size; i++) {
      for (let k = this.start[i]!; k < this.start[i + 1]!; k++) list[next[this.list[k]!]!++] = i;
    }
    return new Adjacency(start, list);
  }

  /** How many neighbours node `i` has. */
  count(i: number): number {
    return this.start[i + 1]! - this.start[i]!;
  }

  /** The neighbours of node `i`, as a new array (for cold paths). */
  of(i: number): number[] {
    return Array.from(this.list.subarray(this.start[i]!, this.start[i + 1]!));
  }
}
