import type { Graph } from "../graph/graph";
import type { GraphNode } from "../graph/graph-node";
import type { NodeMetadata } from "../metadata/types";
import { Adjacency } from "./adjacency";
import { type InputPlan, type InputSource, type LiteralVerdicts, planInput } from "./input-plan";

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
  /** Resolved arguments of each node. */
  readonly arguments: readonly Readonly<Record<string, unknown>>[];
  private readonly inputs: (InputPlan | undefined)[];
  private readonly nodes: readonly GraphNode[];
  private readonly verdicts: LiteralVerdicts = new Map();
  /** Equal small arrays of input plans, shared (field lists repeat across nodes). */
  private readonly interned = new Map<string, readonly unknown[]>();

  private constructor(readonly graph: Graph) {
    const names = graph.order;
    const size = names.length;
    const index = new Map<string, number>();
    for (let i = 0; i < size; i++) index.set(names[i]!, i);
    const hashes: string[] = new Array(size);
    const metas: NodeMetadata[] = new Array(size);
    const args: Readonly<Record<string, unknown>>[] = new Array(size);
    const nodes: GraphNode[] = new Array(size);
    for (let i = 0; i < size; i++) {
      const plan = graph.plans.get(names[i]!)!;
      nodes[i] = plan.node;
      hashes[i] = plan.node.hash;
      metas[i] = plan.meta;
      args[i] = plan.node.arguments;
    }
    const parents = Adjacency.build(size, (i, add) => {
      const references = nodes[i]!.references;
      const seen: number[] = [];
      for (const field in references) {
        const p = index.get(references[field]!.node)!;
        if (seen.includes(p)) continue;
        seen.push(p);
        add(p);
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

  /** Node `i`'s parents and ancestors together with `targets`, as flags by node index. */
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

  private readonly intern = <T>(values: readonly T[]): readonly T[] => {
    if (values.length === 0) return EMPTY as readonly T[];
    let key = "";
    for (const v of values) {
      const type = typeof v;
      if (type !== "string" && type !== "number" && type !== "boolean") return values;
      key += `${type[0]}${String(v).length}:${String(v)}`;
    }
    const known = this.interned.get(key);
    if (known) return known as readonly T[];
    this.interned.set(key, values);
    return values;
  };

  /** The input plan of node `i`. */
  input(i: number): InputPlan {
    const known = this.inputs[i];
    if (known) return known;
    const name = this.names[i]!;
    const node = this.nodes[i]!;
    const meta = this.metas[i]!;
    const sources: InputSource[] = [];
    for (const field of Object.keys(node.references)) {
      const ref = node.references[field]!;
      const parent = this.index.get(ref.node)!;
      sources.push({ field, parent, outputClass: this.metas[parent]!.output, outputField: ref.field });
    }
    const plan = planInput(name, meta.input, node.inputs, sources, this.verdicts, this.intern);
    this.inputs[i] = plan;
    return plan;
  }
}

const compiled = new WeakMap<Graph, ExecutionPlan>();
const EMPTY: readonly unknown[] = Object.freeze([]);
