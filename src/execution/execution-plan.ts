import type { Graph } from "../graph/graph";
import type { NodeMetadata } from "../metadata/types";
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
  readonly parents: readonly (readonly number[])[];
  /** Distinct children of each node. */
  readonly children: readonly (readonly number[])[];
  readonly index: ReadonlyMap<string, number>;
  /** Resolved arguments of each node. */
  readonly arguments: readonly Readonly<Record<string, unknown>>[];
  private readonly inputs: (InputPlan | undefined)[];
  private readonly verdicts: LiteralVerdicts = new Map();

  private constructor(readonly graph: Graph) {
    const names = graph.order;
    const size = names.length;
    const index = new Map<string, number>();
    for (let i = 0; i < size; i++) index.set(names[i]!, i);
    const hashes: string[] = new Array(size);
    const metas: NodeMetadata[] = new Array(size);
    const args: Readonly<Record<string, unknown>>[] = new Array(size);
    const parents: number[][] = new Array(size);
    const children: number[][] = new Array(size);
    for (let i = 0; i < size; i++) children[i] = [];
    for (let i = 0; i < size; i++) {
      const plan = graph.plans.get(names[i]!)!;
      hashes[i] = plan.node.hash;
      metas[i] = plan.meta;
      args[i] = plan.node.arguments;
      const mine: number[] = [];
      for (const parentName of graph.dependenciesOf(names[i]!)) {
        const p = index.get(parentName)!;
        mine.push(p);
        children[p]!.push(i);
      }
      parents[i] = mine;
    }
    this.size = size;
    this.names = names;
    this.hashes = hashes;
    this.metas = metas;
    this.parents = parents;
    this.children = children;
    this.index = index;
    this.arguments = args;
    this.inputs = new Array(size);
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

  /** The input plan of node `i`. */
  input(i: number): InputPlan {
    const known = this.inputs[i];
    if (known) return known;
    const name = this.names[i]!;
    const { node, meta } = this.graph.plans.get(name)!;
    const sources: InputSource[] = [];
    for (const field of Object.keys(node.references)) {
      const ref = node.references[field]!;
      const parent = this.index.get(ref.node)!;
      sources.push({ field, parent, outputClass: this.metas[parent]!.output, outputField: ref.field });
    }
    const plan = planInput(name, meta.input, node.inputs, sources, this.verdicts);
    this.inputs[i] = plan;
    return plan;
  }
}

const compiled = new WeakMap<Graph, ExecutionPlan>();
