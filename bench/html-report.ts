// The HTML run report (RunReport.toHTML) at 1k and 10k nodes, and what OpenTelemetry tracing costs a run.
import { buildGraph, execute, type Graph, RunReport } from "../src/index";
import { layoutDag } from "../src/report/dag-layout";
import { startRunTracing } from "../src/tracing/tracing-hook";
import { settle } from "./measure";
import { progress, type Section } from "./report";
import { chain, layered, wide } from "./shapes";

/** Goals of issue 13: a 1,000-node report laid out in ≤ 2 s, in a file of ≤ 2 MB. */
const GOAL_LAYOUT_MS = 2000;
const GOAL_BYTES = 2 * 1024 * 1024;

interface ReportCase {
  readonly label: string;
  readonly graph: Graph;
}

async function recorded(graph: Graph): Promise<RunReport> {
  const report = new RunReport(graph);
  await execute(graph, { onEvent: report.record, concurrency: 8 });
  return report;
}

/** Wall and CPU time of `fn` in ms (CPU: this process's user + system time; the machine may be shared). */
function timed<T>(fn: () => T): { value: T; wall: number; cpu: number } {
  settle();
  const cpu = process.cpuUsage();
  const start = performance.now();
  const value = fn();
  const wall = performance.now() - start;
  const used = process.cpuUsage(cpu);
  return { value, wall, cpu: (used.user + used.system) / 1000 };
}

function timeLayout(graph: Graph): { wall: number; cpu: number } {
  const nodes = graph.order.map((name) => ({ name, nodeClass: "BenchAdd" }));
  const edges = graph.edges.map((e) => ({ from: e.from, to: e.to, label: `${e.output}→${e.input}` }));
  return timed(() => layoutDag(nodes, edges, (name) => graph.dependenciesOf(name)));
}

export async function htmlReport(section: Section): Promise<void> {
  section.text(
    "`RunReport.toHTML()` after recording a run (concurrency 8) of no-op nodes. _layout_ is the DAG layout alone " +
      "(@dagrejs/dagre, done when the report is written); _toHTML_ is the whole page (layout, timeline lanes, " +
      "SVG, table, data). Beyond 1,000 nodes the DAG is drawn collapsed by layers (no dagre), the timeline and " +
      "table stay complete. One timing each (dagre is deterministic); times are CPU time of this process (user + system; it is single-threaded work) with the wall time in brackets, since the machine may be shared.",
  );
  const cases: ReportCase[] = [
    { label: "layered 1k (20 layers × 50, 2 inputs each)", graph: buildGraph(layered(1000, 20)) },
    { label: "layered 1k (10 layers × 100)", graph: buildGraph(layered(1000, 10)) },
    { label: "chain 1k", graph: buildGraph(chain(1000)) },
    { label: "wide 1k (no edges)", graph: buildGraph(wide(1000)) },
    { label: "layered 10k (collapsed)", graph: buildGraph(layered(10_000, 20)) },
  ];
  const rows: string[][] = [];
  let goalCase: { layout: number; bytes: number } | undefined;
  const ms = (t: number) => `${t.toFixed(0)} ms`;
  for (const { label, graph } of cases) {
    const report = await recorded(graph);
    const layout = graph.order.length <= 1000 ? timeLayout(graph) : undefined;
    const page = timed(() => report.toHTML());
    const bytes = Buffer.byteLength(page.value);
    progress(
      `report: ${label}: layout ${layout?.cpu.toFixed(0)} ms CPU, toHTML ${page.cpu.toFixed(0)} ms CPU`,
    );
    rows.push([
      label,
      layout ? `${ms(layout.cpu)} (${ms(layout.wall)})` : "—",
      `${ms(page.cpu)} (${ms(page.wall)})`,
      `${(bytes / 1024).toFixed(0)} KiB`,
    ]);
    goalCase ??= { layout: layout!.cpu, bytes };
  }
  section.table(["graph", "layout: CPU (wall)", "toHTML: CPU (wall)", "file size"], rows);
  section.goal(
    `a 1,000-node report laid out in ≤ ${GOAL_LAYOUT_MS / 1000} s of CPU time (layered 1k, 20 × 50)`,
    goalCase!.layout <= GOAL_LAYOUT_MS,
    ms(goalCase!.layout),
  );
  section.goal(
    "a 1,000-node report file ≤ 2 MB",
    goalCase!.bytes <= GOAL_BYTES,
    `${(goalCase!.bytes / 1024 / 1024).toFixed(2)} MB`,
  );
  await tracingCost(section);
}

/** The cost of tracing: the check each run makes without OpenTelemetry, and spans when a provider is there. */
async function tracingCost(section: Section): Promise<void> {
  const graph = buildGraph(wide(1000));
  const runs = async (n: number) => {
    const times: number[] = [];
    for (let k = 0; k < n; k++) {
      const start = performance.now();
      await execute(graph);
      times.push(performance.now() - start);
    }
    return times.sort((a, b) => a - b)[Math.floor(n / 2)]!;
  };
  await runs(5);
  const untraced = await runs(15);
  // the check itself, without OpenTelemetry: one property read of the API's global
  const calls = 1_000_000;
  let start = performance.now();
  for (let k = 0; k < calls; k++) startRunTracing(graph, false);
  const checkNs = ((performance.now() - start) * 1e6) / calls;
  const share = checkNs / 1e6 / untraced;

  // with a tracer provider (in-memory exporter): what spans cost
  const { trace } = require("@opentelemetry/api") as typeof import("@opentelemetry/api");
  const sdk = require("@opentelemetry/sdk-trace-base") as typeof import("@opentelemetry/sdk-trace-base");
  const exporter = new sdk.InMemorySpanExporter();
  trace.setGlobalTracerProvider(
    new sdk.BasicTracerProvider({ spanProcessors: [new sdk.SimpleSpanProcessor(exporter)] }),
  );
  let traced: number;
  try {
    start = performance.now();
    await runs(3);
    exporter.reset();
    traced = await runs(9);
  } finally {
    trace.disable();
  }
  progress(`report: tracing: ${untraced.toFixed(1)} ms untraced, ${traced.toFixed(1)} ms traced`);
  section.table(
    ["1,000 independent no-op nodes, one run (median)", "time"],
    [
      ["no tracer provider (the default)", `${untraced.toFixed(1)} ms`],
      ["… of which the tracing check", `${checkNs.toFixed(0)} ns`],
      ["a tracer provider registered (in-memory exporter, 1,001 spans)", `${traced.toFixed(1)} ms`],
    ],
  );
  section.goal(
    "without OpenTelemetry a run costs the same (the tracing check ≤ 0.1 % of the run)",
    share <= 0.001,
    `${checkNs.toFixed(0)} ns per run, ${(share * 100).toFixed(5)} % of ${untraced.toFixed(1)} ms`,
  );
}
