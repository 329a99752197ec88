import type { Graph } from "./graph";

/** Node status names the diagrams colour. */
export type NodeStatus = "pending" | "running" | "done" | "cached" | "failed" | "skipped";

const COLOURS: Readonly<Record<NodeStatus, { fill: string; stroke: string }>> = {
  pending: { fill: "#f5f5f5", stroke: "#9e9e9e" },
  running: { fill: "#e3f2fd", stroke: "#1e88e5" },
  done: { fill: "#e8f5e9", stroke: "#43a047" },
  cached: { fill: "#fff8e1", stroke: "#f9a825" },
  failed: { fill: "#ffebee", stroke: "#e53935" },
  skipped: { fill: "#eeeeee", stroke: "#757575" },
};

/** Mermaid ids must be simple: node names are identifiers already, but prefix them to avoid keywords (`end`). */
const mermaidId = (name: string) => `n_${name}`;

/** Mermaid `flowchart` text: one box per node (`name<br/>Class`), edges labelled `output → input`. */
export function toMermaid(graph: Graph, statuses?: Readonly<Record<string, NodeStatus>>): string {
  const lines = ["flowchart LR"];
  for (const name of graph.order) {
    lines.push(`  ${mermaidId(name)}["${name}<br/><small>${registeredName(graph, name)}</small>"]`);
  }
  for (const edge of graph.edges) {
    lines.push(`  ${mermaidId(edge.from)} -- "${edge.output} → ${edge.input}" --> ${mermaidId(edge.to)}`);
  }
  if (statuses) {
    const used = new Set<NodeStatus>();
    for (const [name, status] of Object.entries(statuses)) {
      if (!graph.nodes.has(name) || !(status in COLOURS)) continue;
      used.add(status);
      lines.push(`  class ${mermaidId(name)} ${status}`);
    }
    for (const status of used) {
      const { fill, stroke } = COLOURS[status];
      lines.push(`  classDef ${status} fill:${fill},stroke:${stroke}`);
    }
  }
  return `${lines.join("\n")}\n`;
}

/** Graphviz DOT text: one box per node (name and class), edges labelled `output → input`. */
export function toDot(graph: Graph, statuses?: Readonly<Record<string, NodeStatus>>): string {
  const lines = [
    "digraph moirae {",
    "  rankdir=LR;",
    '  node [shape=box, style="rounded,filled", fillcolor="#ffffff"];',
  ];
  for (const name of graph.order) {
    const status = statuses?.[name];
    const colour = status && status in COLOURS ? COLOURS[status] : undefined;
    const style = colour ? `, fillcolor="${colour.fill}", color="${colour.stroke}"` : "";
    lines.push(`  ${dotId(name)} [label=${dotString(`${name}\n${registeredName(graph, name)}`)}${style}];`);
  }
  for (const edge of graph.edges) {
    lines.push(
      `  ${dotId(edge.from)} -> ${dotId(edge.to)} [label=${dotString(`${edge.output} → ${edge.input}`)}];`,
    );
  }
  lines.push("}");
  return `${lines.join("\n")}\n`;
}

function dotId(name: string): string {
  return dotString(name);
}

function dotString(text: string): string {
  return `"${text.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n")}"`;
}

/** The registered node name of a graph node's class. */
function registeredName(graph: Graph, name: string): string {
  return graph.plans.get(name)!.meta.name;
}
