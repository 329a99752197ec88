import type { DagLayout } from "./dag-layout";
import { escapeHtml, formatMs, jsonForScript } from "./html-escape";
import { pageScript } from "./page-script";
import { pageStyle } from "./page-style";
import { renderDag } from "./render-dag";
import { renderTimeline } from "./render-timeline";
import { type ModelNode, type ReportModel, STATUS_LABELS, STATUSES } from "./report-model";
import type { TimelineBar } from "./run-analysis";

/** The whole report: one HTML page with its style, script and data inline; it fetches nothing. */
export function renderPage(model: ReportModel, layout: DagLayout, bars: readonly TimelineBar[]): string {
  const title = escapeHtml(model.title);
  const critical = new Set(model.critical);
  return [
    "<!DOCTYPE html>",
    '<html lang="en"><head><meta charset="utf-8">',
    // nothing may be fetched: no scripts, styles, images or connections from anywhere
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${title}</title><style>${pageStyle()}</style></head><body>`,
    header(model),
    "<main>",
    summary(model),
    `<section id="graph-section"><h2>Graph</h2>${legend()}<div class="scroll">${renderDag(model, layout)}</div>`,
    layout.kind === "layers"
      ? `<p class="note">${model.nodes.length} nodes: too many to draw one by one, so each box is a layer (nodes at the same depth) with the share of each status. The timeline and the table below list every node.</p>`
      : "",
    "</section>",
    `<section id="timeline-section"><h2>Timeline</h2>${legend()}${renderTimeline(model, bars)}`,
    `<p class="note">One bar per node from its start (inputs ready, a slot free) to its end; nodes that ran at once are on separate lanes. Ticks on a bar are retries; hatched bars were still running when the run ended.</p></section>`,
    table(model, critical),
    "</main>",
    '<aside id="details"></aside>',
    `<script type="application/json" id="run-data">${jsonForScript(clientData(model))}</script>`,
    `<script>(${pageScript.toString()})();</script>`,
    "</body></html>",
  ].join("\n");
}

function header(model: ReportModel): string {
  const failed = model.counts.failed > 0 || model.counts.skipped > 0 || model.runError !== undefined;
  const state = model.unfinished
    ? ["stop", "unfinished"]
    : model.aborted
      ? ["stop", "aborted"]
      : failed
        ? ["bad", "failed"]
        : ["ok", "succeeded"];
  const when =
    model.startedAt === undefined ? "not started" : `started ${new Date(model.startedAt).toISOString()}`;
  return (
    `<header><h1>${escapeHtml(model.title)}<span id="run-state" class="run-state ${state[0]}">${state[1]}</span></h1>` +
    `<div class="sub">${model.nodes.length} nodes · ${escapeHtml(when)} · report by moirae</div></header>`
  );
}

function summary(model: ReportModel): string {
  const card = (id: string, value: string, raw: number, key: string, cls = "") =>
    `<div class="card${cls}" id="${id}" data-value="${raw}"><div class="v">${escapeHtml(value)}</div><div class="k">${escapeHtml(key)}</div></div>`;
  const cards = [
    ...STATUSES.map((s) =>
      card(`count-${s}`, String(model.counts[s]), model.counts[s], STATUS_LABELS[s], ` s s-${s}`),
    ),
    card("wall-time", formatMs(model.wallMs), round(model.wallMs), "wall time"),
    card("node-time", formatMs(model.nodeMs), round(model.nodeMs), "node time (added up)"),
    card(
      "time-saved",
      model.counts.cached === 0 ? "—" : formatMs(model.savedMs),
      round(model.savedMs),
      model.counts.cached === 0
        ? "saved by the cache"
        : `saved by the cache (${model.savedKnown} of ${model.counts.cached} cached nodes timed before)`,
    ),
  ];
  if (model.cacheErrors > 0)
    cards.push(card("cache-errors", String(model.cacheErrors), model.cacheErrors, "cache errors"));
  const steps = model.critical
    .map((name) => `<span class="step" data-i="${model.byName.get(name)!.index}">${escapeHtml(name)}</span>`)
    .join(" → ");
  const path =
    model.critical.length === 0
      ? '<p class="crit-list" id="critical-path">Critical path: none (no node ran).</p>'
      : `<p class="crit-list" id="critical-path" data-nodes="${escapeHtml(model.critical.join(" "))}">Critical path (${escapeHtml(formatMs(model.criticalMs))}, ${model.critical.length} node${model.critical.length === 1 ? "" : "s"}): ${steps}</p>`;
  const error = model.runError
    ? `<div class="run-error" id="run-error">${escapeHtml(model.runError)}</div>`
    : "";
  const failed = model.nodes.filter((n) => n.status === "failed");
  const failures = failed
    .slice(0, 10)
    .map(
      (n) =>
        `<div class="run-error failure" data-i="${n.index}"><b>${escapeHtml(n.name)}</b>: ${escapeHtml((n.error ?? "").split("\n").slice(0, 3).join("\n"))}</div>`,
    )
    .join("");
  const more =
    failed.length > 10
      ? `<p class="note">and ${failed.length - 10} more failed nodes (see the table)</p>`
      : "";
  return `<section id="summary"><h2>Summary</h2><div class="cards">${cards.join("")}</div>${path}${error}${failures}${more}</section>`;
}

function legend(): string {
  return (
    '<div class="legend">' +
    STATUSES.map((s) => `<span><i class="swatch s-${s}"></i>${STATUS_LABELS[s]}</span>`).join("") +
    '<span><i class="swatch crit"></i>critical path</span></div>'
  );
}

function table(model: ReportModel, critical: ReadonlySet<string>): string {
  const head = [
    ["name", "Name"],
    ["class", "Class"],
    ["status", "Status"],
    ["start", "Start"],
    ["duration", "Duration"],
    ["attempts", "Tries"],
    ["hash", "Hash"],
    ["error", "Error"],
  ]
    .map(([key, text]) => `<th data-key="${key}">${text}</th>`)
    .join("");
  const rows = model.nodes.map((node) => row(node, critical.has(node.name))).join("\n");
  return (
    '<section id="table-section"><h2>Nodes</h2><div class="tools"><input id="filter" type="search" placeholder="filter by name, class, status, error…" aria-label="filter the nodes"></div>' +
    `<div class="scroll"><table id="nodes"><thead><tr>${head}</tr></thead><tbody>\n${rows}\n</tbody></table></div></section>`
  );
}

function row(node: ModelNode, critical: boolean): string {
  const duration = node.start !== undefined && node.end !== undefined ? node.end - node.start : undefined;
  const firstLine = node.error?.split("\n", 1)[0] ?? "";
  return (
    `<tr data-i="${node.index}"${critical ? ' class="crit"' : ""}>` +
    `<td data-key="name">${escapeHtml(node.name)}</td>` +
    `<td data-key="class">${escapeHtml(node.nodeClass)}</td>` +
    `<td data-key="status"><span class="badge s-${node.status}">${STATUS_LABELS[node.status]}</span>${node.interrupted ? " (stopped)" : ""}</td>` +
    `<td data-key="start" class="num" data-v="${node.start === undefined ? "" : round(node.start)}">${node.start === undefined ? "" : `+${formatMs(node.start)}`}</td>` +
    `<td data-key="duration" class="num" data-v="${duration === undefined ? "" : round(duration)}">${duration === undefined ? "" : formatMs(duration)}</td>` +
    `<td data-key="attempts" class="num">${node.attempts}</td>` +
    `<td data-key="hash" class="hash">${node.hash.slice(0, 12)}</td>` +
    `<td data-key="error" class="err">${escapeHtml(firstLine.slice(0, 300))}</td></tr>`
  );
}

function clientData(model: ReportModel): unknown {
  const r = (v: number | undefined) => (v === undefined ? null : round(v));
  return {
    labels: STATUS_LABELS,
    critical: model.critical.map((name) => model.byName.get(name)!.index),
    nodes: model.nodes.map((n) => [
      n.name,
      n.nodeClass,
      n.status,
      r(n.start),
      r(n.end),
      n.attempts,
      n.hash,
      n.error ?? "",
      n.retries.map((t) => [round(t.at), t.attempt, t.message]),
      n.cache ?? "",
      n.parents.map((p) => model.byName.get(p)!.index),
      n.interrupted ? 1 : 0,
      n.waiting ?? "",
    ]),
  };
}

/** Milliseconds to the microsecond. */
function round(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}
