import { CRITICAL_COLOUR, STATUS_COLOURS, STATUSES } from "./report-model";

/** The report's stylesheet (inline in the page). */
export function pageStyle(): string {
  const statusRules = STATUSES.map((s) => {
    const c = STATUS_COLOURS[s];
    return (
      `.n.s-${s} rect{fill:${c.fill};stroke:${c.stroke}}` +
      `.b.s-${s} rect{fill:${c.bar}}` +
      `.badge.s-${s}{background:${c.fill};color:#1f2328;border-color:${c.stroke}}` +
      `.swatch.s-${s}{background:${c.bar}}`
    );
  }).join("");
  return `
*{box-sizing:border-box}
body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;color:#1f2328;background:#f6f7f9}
header{padding:14px 24px;background:#fff;border-bottom:1px solid #dde1e6}
h1{font-size:19px;margin:0 0 2px}
h2{font-size:15px;margin:0 0 8px}
.sub{color:#59636e;font-size:13px}
.run-state{display:inline-block;margin-left:8px;padding:1px 8px;border-radius:10px;font-size:12px;font-weight:600;vertical-align:2px}
.run-state.ok{background:#dcf3e4;color:#1a6b3b}.run-state.bad{background:#fbe0e0;color:#9b1c1c}.run-state.stop{background:#eef0f3;color:#39414a}
main{padding:16px 24px 40px;margin-right:340px}
section{background:#fff;border:1px solid #dde1e6;border-radius:8px;padding:14px 16px;margin-bottom:16px}
.cards{display:flex;flex-wrap:wrap;gap:10px;margin-bottom:10px}
.card{min-width:86px;padding:6px 10px;border:1px solid #dde1e6;border-radius:8px;background:#fbfbfc}
.card .v{font-size:20px;font-weight:650}.card .k{font-size:12px;color:#59636e}
.card.s{border-left-width:5px}
${STATUSES.map((s) => `.card.s-${s}{border-left-color:${STATUS_COLOURS[s].bar}}`).join("")}
.crit-list{margin:6px 0 0}.crit-list .step{cursor:pointer;color:${CRITICAL_COLOUR};font-weight:600}
.crit-list .step:hover{text-decoration:underline}
.run-error{white-space:pre-wrap;background:#fff5f5;border:1px solid #f0c4c4;border-radius:6px;padding:8px 10px;font:12px/1.4 ui-monospace,Menlo,Consolas,monospace;margin-top:8px}
.legend{display:flex;gap:14px;flex-wrap:wrap;font-size:12px;color:#39414a;margin-bottom:8px}
.swatch{display:inline-block;width:11px;height:11px;border-radius:3px;margin-right:5px;vertical-align:-1px}
.swatch.crit{background:#fff;border:2px solid ${CRITICAL_COLOUR}}
.scroll{overflow:auto;max-height:70vh;border:1px solid #eceef1;border-radius:6px}
.note{font-size:12px;color:#59636e;margin:6px 0 0}
svg text{font-family:inherit}
.n{cursor:pointer}.n rect{stroke-width:1.5}
.n text{text-anchor:middle;pointer-events:none}.n .nn{font-size:12.5px;font-weight:600;fill:#1f2328}.n .nc{font-size:11px;fill:#59636e}
.n .nr{font-size:10px;text-anchor:end;fill:#9b1c1c}
.n.crit rect{stroke:${CRITICAL_COLOUR};stroke-width:3}
.n.sel rect,.n:focus rect{stroke:#111;stroke-width:3}
.layer rect:first-of-type{fill:#fbfbfc;stroke:#a3a9b3;stroke-width:1.5}.layer.crit rect:first-of-type{stroke:${CRITICAL_COLOUR};stroke-width:3}
.layer text{text-anchor:middle}.layer .nn{font-size:12.5px;font-weight:600}.layer .nc{font-size:11px;fill:#59636e}
.e path{fill:none;stroke:#8c959f;stroke-width:1.3}.ah{fill:#8c959f}
.e.crit path{stroke:${CRITICAL_COLOUR};stroke-width:2.6}.ah-crit{fill:${CRITICAL_COLOUR}}
.e .el{font-size:10.5px;fill:#59636e;text-anchor:middle;paint-order:stroke;stroke:#fff;stroke-width:3px}
.timeline{width:100%;height:auto;display:block}
.timeline .grid{stroke:#eceef1}.timeline .tick{font-size:11px;fill:#59636e;text-anchor:middle}
.b{cursor:pointer}.b.crit rect:first-of-type{stroke:${CRITICAL_COLOUR};stroke-width:2.5}
.b.sel rect:first-of-type{stroke:#111;stroke-width:2.5}
.b .bl{font-size:11px;fill:#fff;pointer-events:none;font-weight:600}
.b .rt{stroke:#7a1010;stroke-width:2}
.stop{stroke:#9b1c1c;stroke-dasharray:4 3;stroke-width:1.5}.stopl{font-size:11px;fill:#9b1c1c;text-anchor:end}
${statusRules}
.tools{display:flex;gap:10px;align-items:center;margin-bottom:8px}
.tools input{padding:4px 8px;border:1px solid #c8ced6;border-radius:6px;font:inherit;width:240px}
table{border-collapse:collapse;width:100%;font-size:13px}
th,td{text-align:left;padding:5px 8px;border-bottom:1px solid #eceef1;vertical-align:top}
th{position:sticky;top:0;background:#fbfbfc;cursor:pointer;user-select:none;white-space:nowrap}
tbody tr{cursor:pointer}tbody tr:hover,tbody tr.sel{background:#f2f0fd}
td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
td.hash{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:12px;color:#39414a}
td.err{color:#9b1c1c;max-width:420px;overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
tr.crit td:first-child{box-shadow:inset 3px 0 0 ${CRITICAL_COLOUR}}
.badge{display:inline-block;padding:0 7px;border:1px solid;border-radius:9px;font-size:12px;white-space:nowrap}
aside{position:fixed;top:0;right:0;width:340px;height:100vh;overflow:auto;background:#fff;border-left:1px solid #dde1e6;padding:16px}
aside h2{font-size:16px;word-break:break-all}
aside dl{display:grid;grid-template-columns:auto 1fr;gap:3px 10px;margin:8px 0;font-size:13px}
aside dt{color:#59636e}aside dd{margin:0;word-break:break-all}
aside pre{white-space:pre-wrap;word-break:break-word;background:#fff5f5;border:1px solid #f0c4c4;border-radius:6px;padding:8px;font:12px/1.4 ui-monospace,Menlo,Consolas,monospace}
aside .hint{color:#59636e;font-size:13px}
aside ul{padding-left:18px;margin:4px 0}
@media (max-width:1000px){main{margin-right:0}aside{position:static;width:auto;height:auto;border-left:0;border-top:1px solid #dde1e6}}
`;
}
