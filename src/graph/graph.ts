import { GraphValidationError } from "../errors/graph-validation-error";
import { UnknownNodeError } from "../errors/unknown-node-error";
import { didYouMean, suggestAll } from "../util/suggest";
import type { GraphEdge, GraphNode, GraphTopology, NodePlan } from "./graph-node";
import { type NodeStatus, toDot, toMermaid } from "./visualize";

/**
 * A validated, ordered and hashed static DAG, built by `GraphBuilder` / `buildGraph`. Immutable: `subgraph`
 * returns a new graph.
 */
export class Graph {
  /** Every node by name. */
  readonly nodes: ReadonlyMap<string, GraphNode>;
  /** Node names in a topological order (every node after all its dependencies). */
  readonly order: readonly string[];
  /** @internal */
  readonly plans: ReadonlyMap<string, NodePlan>;
  /** @internal The references as node positions in `order`, when the builder gave them (the executor's plan). */
  readonly topology: GraphTopology | undefined;
  /** Edges and neighbour lists, derived on first use. */
  private readonly derived: {
    edges?: readonly GraphEdge[];
    upstream?: Map<string, string[]>;
    downstream?: Map<string, string[]>;
  } = {};

  /** @internal Graphs are made by `GraphBuilder`. */
  constructor(plans: ReadonlyMap<string, NodePlan>, order: readonly string[], topology?: GraphTopology) {
    this.plans = plans;
    this.topology = topology;
    this.order = Object.freeze([...order]);
    const nodes = new Map<string, GraphNode>();
    for (const name of this.order) nodes.set(name, plans.get(name)!.node);
    this.nodes = new ReadonlyMapView(nodes);
    Object.freeze(this);
  }

  /** Every data-flow edge, in topological order of their targets. */
  get edges(): readonly GraphEdge[] {
    if (!this.derived.edges) {
      const edges: GraphEdge[] = [];
      for (const name of this.order) {
        const references = this.plans.get(name)!.node.references;
        for (const input of Object.keys(references).sort()) {
          const ref = references[input]!;
          edges.push({ from: ref.node, output: ref.field, to: name, input });
        }
      }
      this.derived.edges = Object.freeze(edges);
    }
    return this.derived.edges;
  }

  private neighbours(): { upstream: Map<string, string[]>; downstream: Map<string, string[]> } {
    if (!this.derived.upstream || !this.derived.downstream) {
      const upstream = new Map<string, string[]>();
      const downstream = new Map<string, string[]>();
      for (const name of this.order) {
        const parents: string[] = [];
        for (const ref of Object.values(this.plans.get(name)!.node.references)) {
          if (parents.includes(ref.node)) continue;
          parents.push(ref.node);
          const children = downstream.get(ref.node);
          if (children) children.push(name);
          else downstream.set(ref.node, [name]);
        }
        upstream.set(name, parents);
      }
      this.derived.upstream = upstream;
      this.derived.downstream = downstream;
    }
    return { upstream: this.derived.upstream, downstream: this.derived.downstream };
  }

  /** The topological hash of a node. */
  hashOf(name: string): string {
    return this.get(name).hash;
  }

  /** The nodes `name` takes inputs from (direct parents), without duplicates. */
  dependenciesOf(name: string): readonly string[] {
    this.get(name);
    return this.neighbours().upstream.get(name) ?? [];
  }

  /** The nodes that take inputs from `name` (direct children), without duplicates. */
  dependentsOf(name: string): readonly string[] {
    this.get(name);
    return this.neighbours().downstream.get(name) ?? [];
  }

  /**
   * The graph of `targets` and all their ancestors (transitively). Hashes are unchanged. An unknown target is a
   * `GraphValidationError`.
   */
  subgraph(targets: Iterable<string>): Graph {
    const keep = this.ancestorsWith(targets);
    const plans = new Map<string, NodePlan>();
    for (const name of this.order) if (keep.has(name)) plans.set(name, this.plans.get(name)!);
    return new Graph(
      plans,
      this.order.filter((name) => keep.has(name)),
    );
  }

  /** @internal `targets` and their ancestors; unknown targets throw `GraphValidationError`. */
  ancestorsWith(targets: Iterable<string>): Set<string> {
    const list = [...targets];
    const unknown = list.filter((t) => !this.nodes.has(t));
    if (unknown.length) {
      throw new GraphValidationError(
        unknown.map((t) => {
          return {
            node: t,
            path: "targets",
            code: "unknown-target",
            message: `"${t}" is not a node of this graph${didYouMean(t, this.nodes.keys())}`,
          };
        }),
      );
    }
    const keep = new Set<string>();
    const stack = [...list];
    while (stack.length) {
      const name = stack.pop()!;
      if (keep.has(name)) continue;
      keep.add(name);
      for (const parent of this.neighbours().upstream.get(name) ?? [])
        if (!keep.has(parent)) stack.push(parent);
    }
    return keep;
  }

  /** A JSON-friendly description: nodes (name, node class name, arguments, inputs, references, hash), edges, order. */
  toJSON(): {
    nodes: {
      name: string;
      node: string;
      arguments: object;
      inputs: object;
      references: object;
      hash: string;
    }[];
    edges: GraphEdge[];
    order: string[];
  } {
    return {
      nodes: this.order.map((name) => {
        const { node, meta } = this.plans.get(name)!;
        return {
          name,
          node: meta.name,
          arguments: node.arguments,
          inputs: node.inputs,
          references: node.references,
          hash: node.hash,
        };
      }),
      edges: [...this.edges],
      order: [...this.order],
    };
  }

  /** Mermaid flowchart text; `statuses` colours nodes (e.g. from a run's results). */
  toMermaid(statuses?: Readonly<Record<string, NodeStatus>>): string {
    return toMermaid(this, statuses);
  }

  /** Graphviz DOT text; `statuses` colours nodes. */
  toDot(statuses?: Readonly<Record<string, NodeStatus>>): string {
    return toDot(this, statuses);
  }

  private get(name: string): GraphNode {
    const node = this.nodes.get(name);
    if (!node) {
      throw new UnknownNodeError(name, suggestAll(name, this.nodes.keys()));
    }
    return node;
  }
}

/** A Map that cannot be changed through its public type or at run time. */
class ReadonlyMapView<K, V> implements ReadonlyMap<K, V> {
  constructor(private readonly map: Map<K, V>) {
    Object.freeze(this);
  }
  get size(): number {
    return this.map.size;
  }
  get(key: K): V | undefined {
    return this.map.get(key);
  }
  has(key: K): boolean {
    return this.map.has(key);
  }
  entries(): MapIterator<[K, V]> {
    return this.map.entries();
  }
  keys(): MapIterator<K> {
    return this.map.keys();
  }
  values(): MapIterator<V> {
    return this.map.values();
  }
  forEach(fn: (value: V, key: K, map: ReadonlyMap<K, V>) => void, thisArg?: unknown): void {
    for (const [key, value] of this.map) fn.call(thisArg, value, key, this);
  }
  [Symbol.iterator](): MapIterator<[K, V]> {
    return this.map.entries();
  }
}
