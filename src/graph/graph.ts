import { GraphValidationError } from "../errors/graph-validation-error";
import { UnknownNodeError } from "../errors/unknown-node-error";
import { didYouMean, suggestAll } from "../util/suggest";
import type { GraphEdge, GraphNode, GraphTable, NodePlan } from "./graph-node";
import { NodeMapView } from "./graph-views";
import { NameIndex } from "./name-index";
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
  /** @internal The nodes by integer id, as the builder numbered them. */
  readonly table: GraphTable;
  /** Edges and neighbour lists, derived on first use. */
  private readonly derived: {
    edges?: readonly GraphEdge[];
    upstream?: Map<string, string[]>;
    downstream?: Map<string, string[]>;
  } = {};

  /** @internal Graphs are made by `GraphBuilder`. */
  constructor(table: GraphTable) {
    this.table = Object.freeze(table);
    const { order, names } = table;
    const ordered: string[] = new Array(order.length);
    for (let k = 0; k < order.length; k++) ordered[k] = names[order[k]!]!;
    this.order = Object.freeze(ordered);
    this.nodes = new NodeMapView(table, nodeOf);
    this.plans = new NodeMapView(table, planOf);
    Object.freeze(this);
  }

  /** Every data-flow edge, in topological order of their targets. */
  get edges(): readonly GraphEdge[] {
    if (!this.derived.edges) {
      const edges: GraphEdge[] = [];
      for (const name of this.order) {
        const references = this.get(name).references;
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
        for (const ref of Object.values(this.get(name).references)) {
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
    const keep = this.ancestorIds(targets);
    const { order, names, nodes, metas, parents } = this.table;
    // The kept nodes, numbered in topological order.
    const newId = new Int32Array(names.length).fill(-1);
    const kept: number[] = [];
    for (let k = 0; k < order.length; k++) {
      if (keep[order[k]!]) {
        newId[order[k]!] = kept.length;
        kept.push(order[k]!);
      }
    }
    const start = new Int32Array(kept.length + 1);
    const list: number[] = [];
    for (let id = 0; id < kept.length; id++) {
      const old = kept[id]!;
      for (let p = parents.start[old]!; p < parents.start[old + 1]!; p++) list.push(newId[parents.list[p]!]!);
      start[id + 1] = list.length;
    }
    const keptNames = kept.map((id) => names[id]!);
    return new Graph({
      ids: new NameIndex(keptNames),
      names: keptNames,
      nodes: kept.map((id) => nodes[id]!),
      metas: kept.map((id) => metas[id]!),
      order: Int32Array.from(kept, (_, id) => id),
      parents: { start, list: Int32Array.from(list) },
    });
  }

  /** @internal `targets` and their ancestors; unknown targets throw `GraphValidationError`. */
  ancestorsWith(targets: Iterable<string>): Set<string> {
    const keep = this.ancestorIds(targets);
    const names = new Set<string>();
    for (const id of this.table.order) if (keep[id]) names.add(this.table.names[id]!);
    return names;
  }

  /** `targets` and their ancestors as flags by id; unknown targets throw `GraphValidationError`. */
  private ancestorIds(targets: Iterable<string>): Uint8Array {
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
    const { ids, parents } = this.table;
    const keep = new Uint8Array(this.table.names.length);
    const stack = list.map((name) => ids.idOf(name));
    while (stack.length) {
      const id = stack.pop()!;
      if (keep[id]) continue;
      keep[id] = 1;
      for (let k = parents.start[id]!; k < parents.start[id + 1]!; k++) {
        if (!keep[parents.list[k]!]) stack.push(parents.list[k]!);
      }
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

function nodeOf(table: GraphTable, id: number): GraphNode {
  return table.nodes[id]!;
}

/** A node's plan, made when asked for (code that reads every node reads the table instead). */
function planOf(table: GraphTable, id: number): NodePlan {
  return { node: table.nodes[id]!, meta: table.metas[id]! };
}
