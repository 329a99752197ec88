import type { ExecutionEvent } from "../execution/execution-event";
import type { Graph } from "../graph/graph";
import { timeSaved } from "../util/time-saved";
import { layoutDag } from "./dag-layout";
import { renderPage } from "./render-page";
import { type ModelNode, type ReportModel, STATUSES } from "./report-model";
import { criticalPath, timelineLanes } from "./run-analysis";
import { type ReportStatus, RunRecorder } from "./run-recorder";

/** Options of `RunReport`. */
export interface RunReportOptions {
  /** The page's title (default `"moirae run"`). */
  title?: string;
  /**
   * How long nodes took when they last executed, in ms by topological hash: the report adds up those of the
   * cached nodes as the time the cache saved. `moirae run` keeps them in its file cache; `report.durations()`
   * gives this run's, to keep for the next report.
   */
  durations?: Readonly<Record<string, number>>;
}

/**
 * Records a run from its events and writes it as one self-contained HTML page: the DAG coloured by status, a
 * timeline of the nodes, a summary (counts, wall time, time the cache saved, the critical path) and a table of
 * the nodes, with each node's details on hover or click. The page fetches nothing; open it from a file.
 *
 * `record` is bound: pass it as `onEvent` as it is. It also works for a run that fails or is aborted: the
 * report shows what had happened by then (call `toHTML()` whenever you like, even while the run goes on).
 *
 * @example
 * const report = new RunReport(graph);
 * try {
 *   await execute(graph, { onEvent: report.record });
 * } finally {
 *   await writeFile("run.html", report.toHTML());
 * }
 */
export class RunReport {
  readonly #graph: Graph;
  readonly #options: RunReportOptions;
  #recorder: RunRecorder;

  constructor(graph: Graph, options: RunReportOptions = {}) {
    this.#graph = graph;
    this.#options = options;
    this.#recorder = new RunRecorder(graph.order);
  }

  /** Receives the run's events (`onEvent`); a second `run:start` starts the report over. */
  readonly record = (event: ExecutionEvent): void => {
    if (event.type === "run:start" && this.#recorder.startedAt !== undefined) {
      this.#recorder = new RunRecorder(this.#graph.order);
    }
    this.#recorder.record(event);
  };

  /** The nodes that executed in this run and how long each took, in ms by topological hash. */
  durations(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const node of this.#recorder.nodes.values()) {
      if (node.status === "done" && node.start !== undefined && node.end !== undefined) {
        out[this.#graph.hashOf(node.name)] = Math.round((node.end - node.start) * 1000) / 1000;
      }
    }
    return out;
  }

  /** The report as one HTML page (UTF-8 text), with everything inline. */
  toHTML(): string {
    const model = this.model();
    const layout = layoutDag(model.nodes, model.edges, (name) => this.#graph.dependenciesOf(name));
    const bars = timelineLanes(model.nodes, model.wallMs);
    return renderPage(model, layout, bars);
  }

  private model(): ReportModel {
    const graph = this.#graph;
    const recorder = this.#recorder;
    const wallMs = recorder.wallMs();
    const nodes: ModelNode[] = graph.order.map((name, index) => {
      const record = recorder.nodes.get(name)!;
      const interrupted = record.interrupted || (record.start !== undefined && record.end === undefined);
      return {
        ...record,
        retries: [...record.retries],
        ...(interrupted ? { interrupted: true, end: wallMs } : {}),
        index,
        nodeClass: graph.plans.get(name)!.meta.name,
        hash: graph.hashOf(name),
        parents: graph.dependenciesOf(name),
      };
    });
    const byName = new Map(nodes.map((n) => [n.name, n]));
    const counts = Object.fromEntries(STATUSES.map((s) => [s, 0])) as Record<ReportStatus, number>;
    let nodeMs = 0;
    for (const node of nodes) {
      counts[node.status]++;
      if ((node.status === "done" || node.status === "failed") && node.start !== undefined) {
        nodeMs += (node.end ?? wallMs) - node.start;
      }
    }
    const labels = new Map<string, string[]>();
    for (const edge of graph.edges) {
      const key = `${edge.from}\u0000${edge.to}`;
      const text = edge.output === edge.input ? edge.input : `${edge.output}→${edge.input}`;
      const list = labels.get(key);
      if (list) list.push(text);
      else labels.set(key, [text]);
    }
    const edges = [...labels].map(([key, list]) => {
      const [from, to] = key.split("\u0000") as [string, string];
      return { from, to, label: list.join(", ") };
    });
    const critical = criticalPath(byName, (name) => graph.dependenciesOf(name));
    const first = critical.length > 0 ? (byName.get(critical[0]!)!.start ?? 0) : 0;
    const last = critical.length > 0 ? (byName.get(critical[critical.length - 1]!)!.end ?? 0) : 0;
    const saved = timeSaved(
      nodes.map((n) => ({ status: n.status, hash: n.hash })),
      this.#options.durations ?? {},
    );
    return {
      title: this.#options.title ?? "moirae run",
      startedAt: recorder.startedAt,
      nodes,
      byName,
      edges,
      counts,
      wallMs,
      nodeMs,
      savedMs: saved.savedMs,
      savedKnown: saved.savedKnown,
      critical,
      criticalMs: Math.max(0, last - first),
      runError: recorder.runError,
      aborted: recorder.aborted,
      unfinished: recorder.startedAt !== undefined && recorder.endedAt === undefined,
      cacheErrors: recorder.cacheErrors,
    };
  }
}
