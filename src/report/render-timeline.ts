import { escapeHtml, formatMs } from "./html-escape";
import { cut } from "./render-dag";
import { type ReportModel, STATUS_LABELS } from "./report-model";
import type { TimelineBar } from "./run-analysis";

const WIDTH = 1100;
const PAD = 14;
const AXIS = 26;

/**
 * The timeline as inline SVG: one bar per started node from its start to its end, on lanes so that nodes that
 * ran at once sit one above the other; retries are ticks on the bar, the critical path is outlined.
 */
export function renderTimeline(model: ReportModel, bars: readonly TimelineBar[]): string {
  const critical = new Set(model.critical);
  const lanes = bars.reduce((n, bar) => Math.max(n, bar.lane + 1), 0);
  const laneHeight = Math.max(5, Math.min(22, Math.floor(640 / Math.max(1, lanes))));
  const gap = laneHeight >= 12 ? 3 : 1;
  const total = Math.max(1e-3, model.wallMs, ...bars.map((b) => b.end));
  const span = WIDTH - 2 * PAD;
  const x = (t: number) => PAD + (t / total) * span;
  const height = AXIS + lanes * laneHeight + 10;
  const out: string[] = [
    `<svg id="timeline" class="timeline" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${WIDTH} ${height}" preserveAspectRatio="xMinYMin meet" role="img" aria-label="the timeline">`,
    '<defs><pattern id="hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="3" height="6" fill="rgba(255,255,255,.55)"/></pattern></defs>',
  ];
  for (const tick of ticks(total)) {
    const tx = x(tick).toFixed(1);
    out.push(
      `<line x1="${tx}" y1="${AXIS - 6}" x2="${tx}" y2="${height}" class="grid"/>`,
      `<text x="${tx}" y="${AXIS - 10}" class="tick">${escapeHtml(formatMs(tick))}</text>`,
    );
  }
  const sorted = [...bars].sort((a, b) => a.start - b.start || a.lane - b.lane);
  for (const bar of sorted) {
    const node = model.byName.get(bar.name)!;
    const x1 = x(bar.start);
    const w = Math.max(2, x(bar.end) - x1);
    const y = AXIS + bar.lane * laneHeight;
    const h = laneHeight - gap;
    const cls = `b s-${node.status}${critical.has(node.name) ? " crit" : ""}${node.interrupted ? " int" : ""}`;
    const title = `${node.name}: ${STATUS_LABELS[node.status]}${node.interrupted ? " (stopped when the run ended)" : ""}, ${formatMs(bar.end - bar.start)}${node.attempts > 1 ? `, ${node.attempts} tries` : ""}`;
    out.push(
      `<g class="${cls}" data-i="${node.index}"><title>${escapeHtml(title)}</title>`,
      `<rect x="${x1.toFixed(1)}" y="${y}" width="${w.toFixed(1)}" height="${h}" rx="${Math.min(3, h / 3).toFixed(1)}"/>`,
    );
    if (node.interrupted) {
      out.push(
        `<rect x="${x1.toFixed(1)}" y="${y}" width="${w.toFixed(1)}" height="${h}" fill="url(#hatch)"/>`,
      );
    }
    for (const retry of node.retries) {
      const rx = x(retry.at).toFixed(1);
      out.push(`<line x1="${rx}" y1="${y - 1}" x2="${rx}" y2="${y + h + 1}" class="rt"/>`);
    }
    const fits = Math.floor((w - 8) / 6.6);
    if (h >= 12 && fits >= 3) {
      out.push(
        `<text x="${(x1 + 4).toFixed(1)}" y="${y + h / 2 + 4}" class="bl">${escapeHtml(cut(node.name, fits))}</text>`,
      );
    }
    out.push("</g>");
  }
  if (model.runError) {
    const ex = x(model.wallMs).toFixed(1);
    out.push(
      `<line x1="${ex}" y1="${AXIS - 6}" x2="${ex}" y2="${height}" class="stop"/>`,
      `<text x="${ex}" y="${height - 2}" class="stopl">${model.aborted ? "aborted" : "stopped"}</text>`,
    );
  }
  out.push("</svg>");
  return out.join("");
}

/** About six round tick values from 0 to `total` ms. */
function ticks(total: number): number[] {
  const raw = total / 6;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * magnitude).find((s) => s >= raw) ?? raw;
  const values: number[] = [];
  for (let t = 0; t <= total + step * 1e-9; t += step) values.push(t);
  return values;
}
