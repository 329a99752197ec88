import type { Graph } from "../graph/graph";
import { plural } from "./format";

/** `3 nodes (AddMul ×2, Multiply), 2 edges`. */
export function graphSummary(graph: Graph): string {
  const classes = new Map<string, number>();
  for (const name of graph.order) {
    const cls = graph.plans.get(name)!.meta.name;
    classes.set(cls, (classes.get(cls) ?? 0) + 1);
  }
  const kinds = [...classes].map(([cls, n]) => (n > 1 ? `${cls} ×${n}` : cls));
  const shown = kinds.length > 6 ? [...kinds.slice(0, 6), `${kinds.length - 6} more`] : kinds;
  return `${plural(graph.nodes.size, "node")} (${shown.join(", ")}), ${plural(graph.edges.length, "edge")}`;
}
