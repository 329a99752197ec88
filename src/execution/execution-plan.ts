import type { Graph } from "../graph/graph";
import type { GraphNode } from "../graph/graph-node";
import type { NodeMetadata } from "../metadata/types";
import { Adjacency } from "./adjacency";
import { classId, type InputLayout, type InputPlan, inputLayout } from "./input-plan";

/**
 * A graph compiled for the scheduler: nodes numbered in topological order, neighbours as index lists, input
 * plans made on first use. Compiled once per `Graph` (graphs are immutable) and shared by every run of it.
 */
export class ExecutionPlan {
  readonly size: number;
  readonly names: readonly string[];
  readonly hashes: readonly string[];
  readonly metas: readonly NodeMetadata[];
  /** Distinct parents of each node. */
  readonly parents: Adjacency;
  /** Distinct children of each node, in topological order. */
  readonly children: Adjacency;
  readonly index: ReadonlyMap<string, number>;
  /** Flags of nodes whose hash another node of the graph has too (they share one execution), if any. */
  readonly sharedHashes: Uint8Array | undefined;
  /** Resolved arguments of each node. */
  readonly arguments: readonly Readonly<Record<string, unknown>>[];
  private readonly inputs: (InputPlan | undefined)[];
  private readonly nodes: readonly GraphNode[];
  /** Parent index of every reference, node by node in the order of `GraphNode.references`. */
  private readonly refParent: Int32Array;
  private readonly refStart: Int32Array;
  private readonly layouts = new Map<string, InputLayout>();
  private lastLayout: InputLayout | undefined;

  private constructor(readonly graph: Graph) {
    const names = graph.order;
    const size = names.length;
    const index = new Map<string, number>();
    for (let i = 0; i < size; i++) index.set(names[i]!, i);
    const hashes: string[] = new Array(size);
    const metas: NodeMetadata[] = new Array(size);
    const args: Readonly<Record<string, unknown>>[] = new Array(size);
    const nodes: GraphNode[] = new Array(size);
    // the builder inserts plans in topological order: read them in one pass (a lookup by name where not)
    let i = 0;
    for (const plan of graph.plans.values()) {
      const node = plan.node.name === names[i] ? plan : graph.plans.get(names[i]!)!;
      nodes[i] = node.node;
      hashes[i] = node.node.hash;
      metas[i] = node.meta;
      args[i] = node.node.arguments;
      if (++i === size) break;
    }
    const shared = sharedHashes(hashes);
    this.sharedHashes = shared;
    const refStart = new Int32Array(size + 1);
    const refParent: number[] = [];
    for (let i = 0; i < size; i++) {
      const references = nodes[i]!.references;
      for (const field in references) refParent.push(index.get(references[field]!.node)!);
      refStart[i + 1] = refParent.length;
    }
    this.refStart = refStart;
    this.refParent = Int32Array.from(refParent);
    const parents = Adjacency.build(size, (i, add) => {
      for (let k = refStart[i]!; k < refStart[i + 1]!; k++) {
        const p = refParent[k]!;
        let seen = false;
        for (let j = refStart[i]!; j < k; j++) if (refParent[j] === p) seen = true;
        if (!seen) add(p);
      }
    });
    this.size = size;
    this.names = names;
    this.hashes = hashes;
    this.metas = metas;
    this.parents = parents;
    this.children = parents.reversed();
    this.index = index;
    this.arguments = args;
    this.inputs = new Array(size);
    this.nodes = nodes;
  }

  /** The plan of `graph`, compiled on first use. */
  static of(graph: Graph): ExecutionPlan {
    let plan = compiled.get(graph);
    if (!plan) {
      plan = new ExecutionPlan(graph);
      compiled.set(graph, plan);
    }
    return plan;
  }

  /** `targets` and all their ancestors, as flags by node index (unknown targets throw `GraphValidationError`). */
  selection(targets: readonly string[]): Uint8Array {
    const selected = new Uint8Array(this.size);
    const stack: number[] = [];
    for (const name of targets) {
      const i = this.index.get(name);
      if (i === undefined) this.graph.ancestorsWith(targets); // throws GraphValidationError naming it
      stack.push(i!);
    }
    while (stack.length > 0) {
      const i = stack.pop()!;
      if (selected[i]) continue;
      selected[i] = 1;
      const { start, list } = this.parents;
      for (let k = start[i]!; k < start[i + 1]!; k++) if (!selected[list[k]!]) stack.push(list[k]!);
    }
    return selected;
  }

  /** The input plan of node `i`. */
  input(i: number): InputPlan {
    const known = this.inputs[i];
    if (known) return known;
    const literals = this.nodes[i]!.inputs;
    const start = this.refStart[i]!;
    const end = this.refStart[i + 1]!;
    const layout = this.matches(this.lastLayout, i) ? this.lastLayout! : this.layoutOf(i);
    this.lastLayout = layout;
    const fields = layout.literalFields;
    const plan: InputPlan = {
      node: this.names[i]!,
      layout,
      literalValues: fields.length === 0 ? EMPTY : fields.map((f) => literals[f]),
      refParents: end === start ? EMPTY : this.parentsOf(start, end),
      literalsAccepted: false,
    };
    this.inputs[i] = plan;
    return plan;
  }

  /** The parent of each reference from `start` to `end` (copied: no typed-array view per node). */
  private parentsOf(start: number, end: number): number[] {
    const list: number[] = new Array(end - start);
    for (let k = start; k < end; k++) list[k - start] = this.refParent[k]!;
    return list;
  }

  /** Whether node `i` has `layout` (checked field by field: consecutive nodes often share one). */
  private matches(layout: InputLayout | undefined, i: number): boolean {
    if (!layout || layout.cls !== this.metas[i]!.input) return false;
    const { inputs: literals, references } = this.nodes[i]!;
    let k = 0;
    for (const field in literals) if (layout.literalFields[k++] !== field) return false;
    if (k !== layout.literalFields.length) return false;
    const start = this.refStart[i]!;
    k = 0;
    for (const field in references) {
      if (layout.refFields[k] !== field || layout.refOutputs[k] !== references[field]!.field) return false;
      if (layout.refOutputClasses[k] !== this.metas[this.refParent[start + k]!]!.output) return false;
      k++;
    }
    return k === layout.refFields.length;
  }

  /** The layout of node `i`, shared with every node of the same structure. */
  private layoutOf(i: number): InputLayout {
    const cls = this.metas[i]!.input;
    const { inputs: literals, references } = this.nodes[i]!;
    const start = this.refStart[i]!;
    let key = `${classId(cls)}|`;
    for (const field in literals) key += `${field},`;
    let k = start;
    for (const field in references) {
      const output = this.metas[this.refParent[k++]!]!.output;
      key += `|${field}=${classId(output)}.${references[field]!.field}`;
    }
    let layout = this.layouts.get(key);
    if (!layout) {
      k = start;
      const sources = Object.keys(references).map((field) => ({
        field,
        outputClass: this.metas[this.refParent[k++]!]!.output,
        outputField: references[field]!.field,
      }));
      layout = inputLayout(cls, Object.keys(literals), sources);
      this.layouts.set(key, layout);
    }
    return layout;
  }
}

const compiled = new WeakMap<Graph, ExecutionPlan>();
const EMPTY: readonly never[] = Object.freeze([]);

/**
 * Flags of the nodes whose hash another node has too, or undefined when all differ (the usual case). Hashes are
 * bucketed by their first 32 bits (hex digits read directly) in an open-addressing table, so the 64-character
 * strings are compared only on a bucket collision, never hashed.
 */
function sharedHashes(hashes: readonly string[]): Uint8Array | undefined {
  const size = hashes.length;
  let capacity = 16;
  while (capacity < size * 2) capacity *= 2;
  const table = new Int32Array(capacity).fill(-1);
  const mask = capacity - 1;
  let shared: Uint8Array | undefined;
  for (let i = 0; i < size; i++) {
    const hash = hashes[i]!;
    let slot = prefix(hash) & mask;
    for (;;) {
      const other = table[slot]!;
      if (other === -1) {
        table[slot] = i;
        break;
      }
      if (hashes[other] === hash) {
        shared ??= new Uint8Array(size);
        shared[other] = 1;
        shared[i] = 1;
        break;
      }
      slot = (slot + 1) & mask;
    }
  }
  return shared;
}

/** The first 8 hex digits of a hash as a number (any other string still gets some number). */
function prefix(hash: string): number {
  let value = 0;
  const end = Math.min(8, hash.length);
  for (let k = 0; k < end; k++) {
    const c = hash.charCodeAt(k);
    value = (value << 4) | ((c <= 57 ? c - 48 : (c | 32) - 87) & 15);
  }
  return value >>> 0;
}
