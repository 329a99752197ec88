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

  /**
   * The distinct neighbours of each node, from lists that may repeat one (node `i`'s are `list[start[i]]` …
   * `list[start[i + 1] − 1]`). Without repeats (the usual case) the given arrays are used as they are.
   */
  static distinct(start: Int32Array, list: Int32Array): Adjacency {
    const size = start.length - 1;
    let repeats = false;
    for (let i = 0; i < size && !repeats; i++) {
      const end = start[i + 1]!;
      for (let k = start[i]! + 1; k < end; k++) {
        for (let j = start[i]!; j < k; j++) if (list[j] === list[k]) repeats = true;
      }
    }
    if (!repeats) return new Adjacency(start, list);
    const distinctStart = new Int32Array(size + 1);
    const distinctList = new Int32Array(list.length);
    let n = 0;
    for (let i = 0; i < size; i++) {
      const first = n;
      for (let k = start[i]!; k < start[i + 1]!; k++) {
        const p = list[k]!;
        let seen = false;
        for (let j = first; j < n; j++) if (distinctList[j] === p) seen = true;
        if (!seen) distinctList[n++] = p;
      }
      distinctStart[i + 1] = n;
    }
    return new Adjacency(distinctStart, distinctList.slice(0, n));
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
