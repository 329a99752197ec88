import type { NodeRecord, ReportStatus } from "./run-recorder";

/** One node as the page shows it; `index` is its position in topological order (and its id on the page). */
export interface ModelNode extends Readonly<NodeRecord> {
  readonly index: number;
  readonly nodeClass: string;
  readonly hash: string;
  readonly parents: readonly string[];
}

/** Everything the page is drawn from. */
export interface ReportModel {
  readonly title: string;
  /** ms since the epoch. */
  readonly startedAt: number | undefined;
  readonly nodes: readonly ModelNode[];
  readonly byName: ReadonlyMap<string, ModelNode>;
  /** Data-flow edges between two nodes, labelled with the fields that flow (`output → input`). */
  readonly edges: readonly { readonly from: string; readonly to: string; readonly label: string }[];
  readonly counts: Readonly<Record<ReportStatus, number>>;
  readonly wallMs: number;
  /** Time spent running nodes (done and failed), added up. */
  readonly nodeMs: number;
  readonly savedMs: number;
  /** How many cached nodes had a known earlier duration (`savedMs` adds theirs). */
  readonly savedKnown: number;
  readonly critical: readonly string[];
  readonly criticalMs: number;
  /** The run's error, if it failed or was aborted. */
  readonly runError: string | undefined;
  readonly aborted: boolean;
  /** The report was written before the run ended. */
  readonly unfinished: boolean;
  readonly cacheErrors: number;
}

export const STATUSES: readonly ReportStatus[] = ["done", "cached", "failed", "skipped", "not-run"];

/** Status names as the page writes them. */
export const STATUS_LABELS: Readonly<Record<ReportStatus, string>> = {
  done: "done",
  cached: "cached",
  failed: "failed",
  skipped: "skipped",
  "not-run": "not run",
};

/** Box fill, outline, and timeline bar colour of each status. */
export const STATUS_COLOURS: Readonly<Record<ReportStatus, { fill: string; stroke: string; bar: string }>> = {
  done: { fill: "#dcf3e4", stroke: "#2f9e5b", bar: "#3fae6a" },
  cached: { fill: "#dde9fb", stroke: "#3b78d8", bar: "#5b8fe0" },
  failed: { fill: "#fbe0e0", stroke: "#d23c3c", bar: "#dc4a4a" },
  skipped: { fill: "#fdf0d5", stroke: "#c98a12", bar: "#e3ad45" },
  "not-run": { fill: "#eef0f3", stroke: "#a3a9b3", bar: "#b4bac3" },
};

/** The outline of nodes, edges and bars on the critical path. */
export const CRITICAL_COLOUR = "#7c3aed";
