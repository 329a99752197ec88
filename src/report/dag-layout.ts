import type * as Dagre from "@dagrejs/dagre";

/** A node of the DAG view and the text in its box. */
export interface DagNodeInput {
  readonly name: string;
  readonly nodeClass: string;
}

/** The data-flow edges between two nodes, labelled with their fields (`output → input`, comma-separated). */
export interface DagEdgeInput {
  readonly from: string;
  readonly to: string;
  readonly label: string;
}

export interface PlacedNode {
  readonly name: string;
  /** Top-left corner. */
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
}

export interface PlacedEdge {
  readonly from: string;
  readonly to: string;
  readonly label: string;
  readonly points: readonly (readonly [number, number])[];
  /** Where the label goes (its centre). */
  readonly lx: number;
  readonly ly: number;
}

/** A box standing for a run of consecutive layers (the collapsed view of a big graph). */
export interface PlacedLayer {
  /** The first and last layer (depth) in the box. */
  readonly from: number;
  readonly to: number;
  readonly names: readonly string[];
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
}

export type DagLayout =
  | {
      readonly kind: "full";
      readonly width: number;
      readonly height: number;
      readonly nodes: readonly PlacedNode[];
      readonly edges: readonly PlacedEdge[];
    }
  | {
      readonly kind: "layers";
      readonly width: number;
      readonly height: number;
      readonly layers: PlacedLayer[];
    };

/** Graphs with more nodes than this are drawn collapsed by layers (layout time grows fast beyond it). */
export const FULL_LAYOUT_LIMIT = 1000;
/** Up to this many nodes, edge labels get room of their own in the layout (and the better ranker is used). */
const LABEL_ROOM_LIMIT = 150;
/** Up to this many nodes, dagre reduces edge crossings with its full heuristic. */
const ORDER_SWEEP_LIMIT = 300;
/** The collapsed view shows at most this many boxes; consecutive layers share a box beyond it. */
const MAX_LAYER_BOXES = 120;

export const NODE_HEIGHT = 40;
const CHAR_WIDTH = 7.4;
const SMALL_CHAR_WIDTH = 6.4;

/** How wide a node's box is for its name and class (both on one line each, cut beyond 240 px). */
export function nodeWidth(node: DagNodeInput): number {
  const text = Math.max(node.name.length * CHAR_WIDTH, node.nodeClass.length * SMALL_CHAR_WIDTH);
  return Math.round(Math.min(240, Math.max(72, text + 22)));
}

/**
 * Positions for the DAG drawn left to right: @dagrejs/dagre computes them (nodes in `order`, which is
 * topological). Beyond `FULL_LAYOUT_LIMIT` nodes the graph is collapsed: one box per layer (the length of the
 * longest path from a root), or per run of layers when there are many.
 */
export function layoutDag(
  nodes: readonly DagNodeInput[],
  edges: readonly DagEdgeInput[],
  parentsOf: (name: string) => readonly string[],
): DagLayout {
  if (nodes.length > FULL_LAYOUT_LIMIT) return layoutLayers(nodes, parentsOf);
  const small = nodes.length <= LABEL_ROOM_LIMIT;
  // loaded here, not at import: `import "moirae"` stays light
  const { graphlib, layout } = require("@dagrejs/dagre") as typeof Dagre;
  const g = new graphlib.Graph();
  g.setGraph({
    rankdir: "LR",
    nodesep: small ? 18 : 10,
    ranksep: small ? 56 : 48,
    edgesep: 8,
    marginx: 12,
    marginy: 12,
    ranker: small ? "network-simplex" : "longest-path",
  });
  g.setDefaultEdgeLabel(() => ({}));
  for (const node of nodes) g.setNode(node.name, { width: nodeWidth(node), height: NODE_HEIGHT });
  for (const edge of edges) {
    g.setEdge(
      edge.from,
      edge.to,
      small ? { width: Math.min(160, edge.label.length * 6 + 8), height: 14, labelpos: "c" } : {},
    );
  }
  // above a few hundred nodes, dagre's crossing-reduction sweeps are most of the time and little of the gain
  layout(g, { disableOptimalOrderHeuristic: nodes.length > ORDER_SWEEP_LIMIT });
  const placed: PlacedNode[] = nodes.map((node) => {
    const n = g.node(node.name) as { x: number; y: number; width: number; height: number };
    return {
      name: node.name,
      x: round(n.x - n.width / 2),
      y: round(n.y - n.height / 2),
      w: n.width,
      h: n.height,
    };
  });
  const placedEdges: PlacedEdge[] = edges.map((edge) => {
    const e = g.edge(edge.from, edge.to) as { points?: { x: number; y: number }[]; x?: number; y?: number };
    const points = (e.points ?? []).map((p) => [round(p.x), round(p.y)] as const);
    const middle = points[Math.floor(points.length / 2)] ?? [0, 0];
    return {
      from: edge.from,
      to: edge.to,
      label: edge.label,
      points,
      lx: round(e.x ?? middle[0]),
      ly: round(e.y ?? middle[1] - 4),
    };
  });
  const { width = 0, height = 0 } = g.graph() as { width?: number; height?: number };
  return {
    kind: "full",
    width: Math.ceil(width),
    height: Math.ceil(height),
    nodes: placed,
    edges: placedEdges,
  };
}

const LAYER_WIDTH = 150;
const LAYER_HEIGHT = 96;
const LAYER_GAP = 36;

/** One box per layer (or run of layers), left to right, wrapped into rows. */
function layoutLayers(
  nodes: readonly DagNodeInput[],
  parentsOf: (name: string) => readonly string[],
): DagLayout {
  const depth = new Map<string, number>();
  let deepest = 0;
  for (const { name } of nodes) {
    let d = 0;
    for (const parent of parentsOf(name)) d = Math.max(d, (depth.get(parent) ?? -1) + 1);
    depth.set(name, d);
    deepest = Math.max(deepest, d);
  }
  const perBox = Math.ceil((deepest + 1) / MAX_LAYER_BOXES);
  const boxes: string[][] = [];
  for (const { name } of nodes) {
    const box = Math.floor(depth.get(name)! / perBox);
    boxes[box] ??= [];
    boxes[box].push(name);
  }
  const perRow = 8;
  const layers: PlacedLayer[] = [];
  boxes.forEach((names, i) => {
    const row = Math.floor(i / perRow);
    const column = row % 2 === 0 ? i % perRow : perRow - 1 - (i % perRow); // rows snake, so arrows stay short
    layers.push({
      from: i * perBox,
      to: Math.min(deepest, (i + 1) * perBox - 1),
      names,
      x: 12 + column * (LAYER_WIDTH + LAYER_GAP),
      y: 12 + row * (LAYER_HEIGHT + LAYER_GAP),
      w: LAYER_WIDTH,
      h: LAYER_HEIGHT,
    });
  });
  const columns = Math.min(perRow, layers.length);
  const rows = Math.ceil(layers.length / perRow);
  return {
    kind: "layers",
    width: 24 + columns * LAYER_WIDTH + (columns - 1) * LAYER_GAP,
    height: 24 + rows * LAYER_HEIGHT + (rows - 1) * LAYER_GAP,
    layers,
  };
}

function round(value: number): number {
  return Math.round(value);
}
