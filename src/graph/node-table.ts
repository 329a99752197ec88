import type { NodeMetadata } from "../metadata/types";
import type { GraphNode } from "./graph-node";
import { NameIndex } from "./name-index";

/**
 * Distinct parents by node id in compressed rows: `list[start[id] .. start[id + 1])`. What `Graph` keeps of the
 * ordering, for code that works on ids (`GraphTable.parents`).
 */
export interface ParentRows {
  readonly start: Int32Array;
  readonly list: Int32Array;
}

/**
 * The nodes of one build by integer id (their position in the spec): names, the class each entry resolved to,
 * the distinct parents of each node, and each node once it is hashed. Parents are added one node at a
 * time, in any order of nodes: each node's parents are one slice of `pool`.
 */
export class NodeTable {
  readonly size: number;
  /** Node name → id. */
  readonly ids: NameIndex;
  /** The node class of each node whose entry passed the entry checks (undefined otherwise). */
  readonly metas: (NodeMetadata | undefined)[];
  /** Each node once it is hashed, and its hash. */
  readonly nodes: (GraphNode | undefined)[];
  readonly hashes: (string | undefined)[];
  /** A node's distinct parents are `pool[parentStart[id] .. parentStart[id] + parentCount[id])`. */
  readonly parentStart: Int32Array;
  readonly parentCount: Int32Array;
  pool = new Int32Array(1024);
  private used = 0;

  constructor(readonly names: readonly string[]) {
    const size = names.length;
    this.size = size;
    this.ids = new NameIndex(names);
    this.metas = new Array(size);
    this.nodes = new Array(size);
    this.hashes = new Array(size);
    this.parentStart = new Int32Array(size);
    this.parentCount = new Int32Array(size);
  }

  /** Starts the parents of node `id` (a node's parents are added together, after this call). */
  beginParents(id: number): void {
    this.parentStart[id] = this.used;
    this.parentCount[id] = 0;
  }

  /** Adds `parent` to the parents of node `id` (the last one begun) unless it is there already. */
  addParent(id: number, parent: number): void {
    const start = this.parentStart[id]!;
    for (let k = start; k < this.used; k++) if (this.pool[k] === parent) return;
    if (this.used === this.pool.length) {
      const grown = new Int32Array(this.pool.length * 2);
      grown.set(this.pool);
      this.pool = grown;
    }
    this.pool[this.used++] = parent;
    this.parentCount[id]!++;
  }

  /** The parents of every node as compressed rows in id order. */
  parentRows(): ParentRows {
    const { size, parentStart, parentCount, pool } = this;
    const start = new Int32Array(size + 1);
    for (let id = 0; id < size; id++) start[id + 1] = start[id]! + parentCount[id]!;
    const list = new Int32Array(start[size]!);
    for (let id = 0; id < size; id++) {
      const from = parentStart[id]!;
      const to = start[id]!;
      for (let k = 0; k < parentCount[id]!; k++) list[to + k] = pool[from + k]!;
    }
    return { start, list };
  }
}
