import type { Graph } from "../graph/graph";
import type { GraphTopology, NodePlan } from "../graph/graph-node";
import { Adjacency } from "./adjacency";
import { classId, type InputLayout, type InputPlan, inputLayout } from "./input-plan";

/**
 * A graph compiled for the scheduler: nodes numbered in topological order, neighbours as index lists, input
 * plans made on first use. Compiled once per `Graph` (graphs are immutable) and shared by every run of it. The
 * builder hands over the references as node positions already (`Graph.topology`), so no name is looked up.
 */
export class ExecutionPlan {
  readonly size: number;
  readonly names: readonly string[];
  readonly hashes: readonly string[];
  /** Each node's plan (its `GraphNode` and metadata). */
  readonly nodes: readonly NodePlan[];
  /** Distinct parents of each node. */
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
    const names = graph.order;
    this.size = names.length;
    this.names = names;
    const topology = graph.topology ?? this.topologyOf(graph);
    this.nodes = topology.plans;
    this.hashes = topology.hashes;
    this.refStart = topology.refStart;
    this.refParent = topology.refParent;
    this.inputs = new Array(this.size);
    this.parents = Adjacency.distinct(topology.refStart, topology.refParent);
    this.children = this.parents.reversed();
    this.sharedHashes = sharedHashes(topology.hashes);
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
      const literals = this.nodes[i]!.node.inputs;
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
    const nodes = this.nodes;
    if (!layout || layout.cls !== nodes[i]!.meta.input) return false;
    const { inputs: literals, references } = nodes[i]!.node;
    let k = 0;
    for (const field in literals) if (layout.literalFields[k++] !== field) return false;
    if (k !== layout.literalFields.length) return false;
    const start = this.refStart[i]!;
    k = 0;
    for (const field in references) {
      if (layout.refFields[k] !== field || layout.refOutputs[k] !== references[field]!.field) return false;
      if (layout.refOutputClasses[k] !== nodes[this.refParent[start + k]!]!.meta.output) return false;
      k++;
    }
    return k === layout.refFields.length;
  }

  /** The layout of node `i`, shared with every node of the same structure. */
  private layoutOf(i: number): InputLayout {
    const nodes = this.nodes;
    const cls = nodes[i]!.meta.input;
    const { inputs: literals, references } = nodes[i]!.node;
    const start = this.refStart[i]!;
    let key = `${classId(cls)}|`;
    for (const field in literals) key += `${field},`;
    let k = start;
    for (const field in references) {
      const output = nodes[this.refParent[k++]!]!.meta.output;
      key += `|${field}=${classId(output)}.${references[field]!.field}`;
    }
    let layout = this.layouts.get(key);
    if (!layout) {
      k = start;
      const sources = Object.keys(references).map((field) => ({
        field,
        outputClass: nodes[this.refParent[k++]!]!.meta.output,
        outputField: references[field]!.field,
      }));
      layout = inputLayout(cls, Object.keys(literals), sources);
      this.layouts.set(key, layout);
    }
    return layout;
  }

  /** The graph by node position, for a graph the builder did not give it for (a subgraph). */
  private topologyOf(graph: Graph): GraphTopology {
    const size = this.size;
    const index = this.index;
    const plans: NodePlan[] = new Array(size);
    const hashes: string[] = new Array(size);
    const refStart = new Int32Array(size + 1);
    const refParent: number[] = [];
    for (let i = 0; i < size; i++) {
      const plan = graph.plans.get(this.names[i]!)!;
      plans[i] = plan;
      hashes[i] = plan.node.hash;
      const references = plan.node.references;
      for (const field in references) refParent.push(index.get(references[field]!.node)!);
      refStart[i + 1] = refParent.length;
    }
    return { plans, hashes, refStart, refParent: Int32Array.from(refParent) };
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
