import type { DagLayout, PlacedEdge, PlacedLayer } from "./dag-layout";
import { escapeHtml } from "./html-escape";
import { type ReportModel, STATUS_COLOURS, STATUS_LABELS, STATUSES } from "./report-model";

/** The DAG as inline SVG: boxes coloured by status, edges labelled with the fields that flow. */
export function renderDag(model: ReportModel, layout: DagLayout): string {
  const critical = new Set(model.critical);
  const out: string[] = [
    `<svg id="dag" class="dag" xmlns="http://www.w3.org/2000/svg" width="${layout.width}" height="${layout.height}" viewBox="0 0 ${layout.width} ${layout.height}" role="img" aria-label="the graph">`,
    '<defs><marker id="arrow" viewBox="0 0 8 8" refX="8" refY="4" markerWidth="9" markerHeight="9" markerUnits="userSpaceOnUse" orient="auto-start-reverse"><path d="M0,0L8,4L0,8z" class="ah"/></marker>',
    '<marker id="arrow-crit" viewBox="0 0 8 8" refX="8" refY="4" markerWidth="9" markerHeight="9" markerUnits="userSpaceOnUse" orient="auto-start-reverse"><path d="M0,0L8,4L0,8z" class="ah-crit"/></marker></defs>',
  ];
  if (layout.kind === "layers") {
    renderLayers(model, layout.layers, critical, out);
  } else {
    const criticalEdges = new Set<string>();
    for (let i = 1; i < model.critical.length; i++) {
      criticalEdges.add(`${model.critical[i - 1]}\u0000${model.critical[i]}`);
    }
    out.push('<g class="edges">');
    for (const edge of layout.edges)
      out.push(edgeSvg(edge, criticalEdges.has(`${edge.from}\u0000${edge.to}`)));
    out.push('</g><g class="nodes">');
    for (const placed of layout.nodes) {
      const node = model.byName.get(placed.name)!;
      const cls = `n s-${node.status}${critical.has(node.name) ? " crit" : ""}`;
      const chars = Math.max(4, Math.floor((placed.w - 14) / 7.4));
      const classChars = Math.max(4, Math.floor((placed.w - 14) / 6.4));
      out.push(
        `<g class="${cls}" data-i="${node.index}" transform="translate(${placed.x},${placed.y})" tabindex="0">`,
        `<title>${escapeHtml(`${node.name} (${node.nodeClass}): ${STATUS_LABELS[node.status]}`)}</title>`,
        `<rect width="${placed.w}" height="${placed.h}" rx="6"/>`,
        `<text x="${placed.w / 2}" y="17" class="nn">${escapeHtml(cut(node.name, chars))}</text>`,
        `<text x="${placed.w / 2}" y="31" class="nc">${escapeHtml(cut(node.nodeClass, classChars))}</text>`,
        node.retries.length > 0 ? `<text x="${placed.w - 4}" y="11" class="nr">↻${node.attempts}</text>` : "",
        "</g>",
      );
    }
    out.push("</g>");
  }
  out.push("</svg>");
  return out.join("");
}

function edgeSvg(edge: PlacedEdge, critical: boolean): string {
  if (edge.points.length === 0) return "";
  const d = edge.points.map(([x, y], i) => `${i === 0 ? "M" : "L"}${x},${y}`).join("");
  const label = edge.label
    ? `<text x="${edge.lx}" y="${edge.ly + 4}" class="el">${escapeHtml(edge.label)}</text>`
    : "";
  return `<g class="e${critical ? " crit" : ""}"><path d="${d}" marker-end="url(#${critical ? "arrow-crit" : "arrow"})"/>${label}</g>`;
}

/** The collapsed view: a box per layer (or run of layers) with its node count and a bar of its statuses. */
function renderLayers(
  model: ReportModel,
  layers: readonly PlacedLayer[],
  critical: ReadonlySet<string>,
  out: string[],
): void {
  for (let i = 1; i < layers.length; i++) {
    const a = layers[i - 1]!;
    const b = layers[i]!;
    const sameRow = a.y === b.y;
    const [x1, y1, x2, y2] = sameRow
      ? a.x < b.x
        ? [a.x + a.w, a.y + a.h / 2, b.x, b.y + b.h / 2]
        : [a.x, a.y + a.h / 2, b.x + b.w, b.y + b.h / 2]
      : [a.x + a.w / 2, a.y + a.h, b.x + b.w / 2, b.y];
    out.push(`<g class="e"><path d="M${x1},${y1}L${x2},${y2}" marker-end="url(#arrow)"/></g>`);
  }
  for (const layer of layers) {
    const counts = new Map<string, number>();
    let onPath = false;
    for (const name of layer.names) {
      const status = model.byName.get(name)!.status;
      counts.set(status, (counts.get(status) ?? 0) + 1);
      if (critical.has(name)) onPath = true;
    }
    const range = layer.from === layer.to ? `layer ${layer.from}` : `layers ${layer.from}–${layer.to}`;
    const summary = STATUSES.filter((s) => counts.has(s))
      .map((s) => `${counts.get(s)} ${STATUS_LABELS[s]}`)
      .join(", ");
    out.push(
      `<g class="layer${onPath ? " crit" : ""}" transform="translate(${layer.x},${layer.y})">`,
      `<title>${escapeHtml(`${range}: ${summary}`)}</title>`,
      `<rect width="${layer.w}" height="${layer.h}" rx="6"/>`,
      `<text x="${layer.w / 2}" y="22" class="nn">${escapeHtml(range)}</text>`,
      `<text x="${layer.w / 2}" y="40" class="nc">${layer.names.length} node${layer.names.length === 1 ? "" : "s"}</text>`,
    );
    let x = 10;
    const width = layer.w - 20;
    for (const status of STATUSES) {
      const n = counts.get(status);
      if (!n) continue;
      const w = (width * n) / layer.names.length;
      out.push(
        `<rect x="${x.toFixed(1)}" y="56" width="${w.toFixed(1)}" height="14" fill="${STATUS_COLOURS[status].bar}"><title>${n} ${STATUS_LABELS[status]}</title></rect>`,
      );
      x += w;
    }
    out.push("</g>");
  }
}

/** `text` cut to `max` characters with an ellipsis. */
export function cut(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, Math.max(1, max - 1))}…`;
}
