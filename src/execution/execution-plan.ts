import type { Graph } from "../graph/graph";
import type { GraphNode } from "../graph/graph-node";
import type { NodeMetadata } from "../metadata/types";
import { Adjacency } from "./adjacency";
import { classId, type InputLayout, type InputPlan, inputLayout } from "./input-plan";

/**
 * A graph compiled for the scheduler: nodes numbered in topological order, neighbours as index lists, input
 * plans made on first use. Compiled once per `Graph` (graphs are immutable) and shared by every run of it. It
 * starts from the builder's numbering (`Graph.table`): no node name is looked up.
 */
export class ExecutionPlan {
  readonly size: number;
  readonly names: readonly string[];
  readonly hashes: readonly string[];
  /** Each node's `GraphNode` and metadata. */
  readonly nodes: readonly GraphNode[];
  readonly metas: readonly NodeMetadata[];
  /** Distinct parents of each node, in the order of its references. */
  readonly parents: Adjacency;
  /** Distinct children of each node, in topological order. */
  readonly children: Adjacency;
  /** Flags of nodes whose hash another node of the graph has too (they share one execution), if any. */
  readonly sharedHashes: Uint8Array | undefined;
  private readonly inputs: (InputPlan | undefined)[];
  /** Parent index of every reference, node by node in the order of `GraphNode.references`. */
  private readonly refParent: Int32Array;
  private readonly refStart: Int32Array;
  private readonly layouts = new Map<string, InputLayout>();
  private lastLayout: InputLayout | undefined;
  private byName: Map<string, number> | undefined;

  private constructor(readonly graph: Graph) {
    const table = graph.table;
    const order = table.order;
    const size = order.length;
    const position = new Int32Array(size);
    for (let i = 0; i < size; i++) position[order[i]!] = i;
    const hashes: string[] = new Array(size);
    const nodes: GraphNode[] = new Array(size);
    const metas: NodeMetadata[] = new Array(size);
    const refStart = new Int32Array(size + 1);
    const refParent: number[] = [];
    const { start, list } = table.parents;
    for (let i = 0; i < size; i++) {
      const id = order[i]!;
      const node = table.nodes[id]!;
      nodes[i] = node;
      metas[i] = table.metas[id]!;
      hashes[i] = node.hash;
      const references = node.references;
      const first = start[id]!;
      const last = start[id + 1]! - 1;
      for (const field in references) {
        // the parent among the node's few distinct ones whose name the reference gives (no name lookup)
        let k = first;
        if (k < last) {
          const name = references[field]!.node;
          while (k < last && table.names[list[k]!] !== name) k++;
        }
        refParent.push(position[list[k]!]!);
      }
      refStart[i + 1] = refParent.length;
    }
    this.size = size;
    this.names = graph.order;
    this.hashes = hashes;
    this.nodes = nodes;
    this.metas = metas;
    this.refStart = refStart;
    this.refParent = Int32Array.from(refParent);
    this.inputs = new Array(size);
    this.parents = Adjacency.distinct(refStart, this.refParent);
    this.children = this.parents.reversed();
    this.sharedHashes = sharedHashes(hashes);
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

  /** Node index by name (made on first use: runs without targets never need it). */
  get index(): ReadonlyMap<string, number> {
    if (!this.byName) {
      const index = new Map<string, number>();
      for (let i = 0; i < this.size; i++) index.set(this.names[i]!, i);
      this.byName = index;
    }
    return this.byName;
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
    const layout = this.matches(this.lastLayout, i) ? this.lastLayout! : this.layoutOf(i);
    this.lastLayout = layout;
    const fields = layout.literalFields;
    let literalValues: readonly unknown[] = EMPTY;
    if (fields.length > 0) {
      const literals = this.nodes[i]!.inputs;
      const values: unknown[] = new Array(fields.length);
      for (let k = 0; k < fields.length; k++) values[k] = literals[fields[k]!];
      literalValues = values;
    }
    const plan: InputPlan = {
      node: this.names[i]!,
      layout,
      literalValues,
      refParents: this.refParent,
      refOffset: this.refStart[i]!,
      literalsAccepted: false,
    };
    this.inputs[i] = plan;
    return plan;
  }

  /** Whether node `i` has `layout` (checked field by field: consecutive nodes often share one). */
  private matches(layout: InputLayout | undefined, i: number): boolean {
    const metas = this.metas;
    if (!layout || layout.cls !== metas[i]!.input) return false;
    const { inputs: literals, references } = this.nodes[i]!;
    let k = 0;
    for (const field in literals) if (layout.literalFields[k++] !== field) return false;
    if (k !== layout.literalFields.length) return false;
    const start = this.refStart[i]!;
    k = 0;
    for (const field in references) {
      if (layout.refFields[k] !== field || layout.refOutputs[k] !== references[field]!.field) return false;
      if (layout.refOutputClasses[k] !== metas[this.refParent[start + k]!]!.output) return false;
      k++;
    }
    return k === layout.refFields.length;
  }

  /** The layout of node `i`, shared with every node of the same structure. */
  private layoutOf(i: number): InputLayout {
    const metas = this.metas;
    const cls = metas[i]!.input;
    const { inputs: literals, references } = this.nodes[i]!;
    const start = this.refStart[i]!;
    let key = `${classId(cls)}|`;
    for (const field in literals) key += `${field},`;
    let k = start;
    for (const field in references) {
      const output = metas[this.refParent[k++]!]!.output;
      key += `|${field}=${classId(output)}.${references[field]!.field}`;
    }
    let layout = this.layouts.get(key);
    if (!layout) {
      k = start;
      const sources = Object.keys(references).map((field) => ({
        field,
        outputClass: metas[this.refParent[k++]!]!.output,
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
 * Flags of the nodes whose hash another node has too, or undefined when all differ (the usual case, told by one
 * `Set` of the hashes: built-in code, as quick on a cold start as later).
 */
function sharedHashes(hashes: readonly string[]): Uint8Array | undefined {
  const size = hashes.length;
  if (new Set(hashes).size === size) return undefined;
  const shared = new Uint8Array(size);
  const first = new Map<string, number>();
  for (let i = 0; i < size; i++) {
    const other = first.get(hashes[i]!);
    if (other === undefined) first.set(hashes[i]!, i);
    else {
      shared[other] = 1;
      shared[i] = 1;
    }
  }
  return shared;
}
