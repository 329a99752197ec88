import { GraphValidationError } from "../errors/graph-validation-error";
import { suggestAll } from "../util/suggest";
import type { GraphEdge, GraphNode, NodePlan } from "./graph-node";
import { type NodeStatus, toDot, toMermaid } from "./visualize";

/**
 * A validated, ordered and hashed static DAG, built by `GraphBuilder` / `buildGraph`. Immutable: `subgraph`
 * returns a new graph.
 */
export class Graph {
  /** Every node by name. */
  readonly nodes: ReadonlyMap<string, GraphNode>;
  /** Every data-flow edge. */
  readonly edges: readonly GraphEdge[];
  /** Node names in a topological order (every node after all its dependencies). */
  readonly order: readonly string[];
  /** @internal */
  readonly plans: ReadonlyMap<string, NodePlan>;
  private readonly upstream: ReadonlyMap<string, readonly string[]>;
  private readonly downstream: ReadonlyMap<string, readonly string[]>;

  /** @internal Graphs are made by `GraphBuilder`. */
  constructor(plans: ReadonlyMap<string, NodePlan>, order: readonly string[]) {
    this.plans = plans;
    this.order = Object.freeze([...order]);
    const nodes = new Map<string, GraphNode>();
    const edges: GraphEdge[] = [];
    const upstream = new Map<string, string[]>();
    const downstream = new Map<string, string[]>();
    for (const name of this.order) {
      const node = plans.get(name)!.node;
      nodes.set(name, node);
      const parents: string[] = [];
      for (const input of Object.keys(node.references).sort()) {
        const ref = node.references[input]!;
        edges.push(Object.freeze({ from: ref.node, output: ref.field, to: name, input }));
        if (!parents.includes(ref.node)) {
          parents.push(ref.node);
          let children = downstream.get(ref.node);
          if (!children) {
            children = [];
            downstream.set(ref.node, children);
          }
          children.push(name);
        }
      }
      upstream.set(name, parents);
    }
    this.nodes = nodes;
    this.edges = Object.freeze(edges);
    this.upstream = upstream;
    this.downstream = downstream;
    Object.freeze(this);
  }

  /** The topological hash of a node. */
  hashOf(name: string): string {
    return this.get(name).hash;
  }

  /** The nodes `name` takes inputs from (direct parents), without duplicates. */
  dependenciesOf(name: string): readonly string[] {
    this.get(name);
    return this.upstream.get(name) ?? [];
  }

  /** The nodes that take inputs from `name` (direct children), without duplicates. */
  dependentsOf(name: string): readonly string[] {
    this.get(name);
    return this.downstream.get(name) ?? [];
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
          const close = suggestAll(t, this.nodes.keys());
          return {
            node: t,
            path: "targets",
            code: "unknown-target",
            message: `"${t}" is not a node of this graph${close.length ? `; did you mean ${close.map((c) => `"${c}"`).join(", ")}?` : "."}`,
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
      for (const parent of this.upstream.get(name) ?? []) if (!keep.has(parent)) stack.push(parent);
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
      throw new GraphValidationError([
        { node: name, path: name, code: "unknown-node", message: `"${name}" is not a node of this graph.` },
      ]);
    }
    return node;
  }
}
