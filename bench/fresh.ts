// Throughput in a fresh process: one `execute` right after `buildGraph` in a new Node.js process (nothing
// compiled or warmed up yet), against p-graph doing the same in its own fresh process.
import { execFileSync } from "node:child_process";
import * as path from "node:path";
import { progress, type Section } from "./report";
import { SHAPES, type ShapeName } from "./shapes";

const SIZES = process.env.BENCH_FRESH_SIZES
  ? process.env.BENCH_FRESH_SIZES.split(",").map(Number)
  : [1_000, 10_000, 100_000];
const GOAL_VS_PGRAPH = 0.5;
const SCRIPT = path.join(__dirname, "fresh-run.js");

/** The median time of `times` fresh processes running one graph with `scheduler`. */
function freshMs(scheduler: "moirae" | "p-graph", name: ShapeName, size: number, times: number): number {
  const runs: number[] = [];
  for (let k = 0; k < times; k++) {
    const out = execFileSync(process.execPath, [SCRIPT, scheduler, name, String(size)], { encoding: "utf8" });
    runs.push((JSON.parse(out.trim().split("\n").at(-1)!) as { ms: number }).ms);
  }
  runs.sort((a, b) => a - b);
  return runs[Math.floor(runs.length / 2)]!;
}

export async function fresh(section: Section): Promise<void> {
  section.text(
    "One run right after `buildGraph` in a new process (`bench/fresh-run.ts`: build not timed, then one " +
      "`execute`, or p-graph's run with the same per-node work in its own new process): what `moirae run` " +
      "gets. Nothing is warmed up: moirae compiles its plan and its validators, V8 compiles both schedulers. " +
      "Median of 3 processes each (100k: 1).",
  );
  const rows: { label: string; moirae: number; pgraph: number }[] = [];
  for (const size of SIZES) {
    for (const name of SHAPES) {
      const times = size >= 100_000 ? 1 : 3;
      const moirae = freshMs("moirae", name, size, times);
      const pgraph = freshMs("p-graph", name, size, times);
      rows.push({ label: `${name} ${size / 1000}k`, moirae, pgraph });
      progress(
        `fresh: ${name} ${size / 1000}k: moirae ${moirae.toFixed(1)} ms, p-graph ${pgraph.toFixed(1)} ms`,
      );
    }
  }
  section.table(
    ["case", "moirae ms", "p-graph ms", "moirae/p-graph"],
    rows.map((r) => [
      r.label,
      r.moirae.toFixed(1),
      r.pgraph.toFixed(1),
      `${(r.moirae / r.pgraph).toFixed(2)}×`,
    ]),
  );
  if (rows.length === 0) return;
  const sorted = [...rows].sort((a, b) => b.moirae / b.pgraph - a.moirae / a.pgraph);
  const within = rows.filter((r) => r.moirae / r.pgraph <= GOAL_VS_PGRAPH).length;
  const ratio = (r: (typeof rows)[number]) => (r.moirae / r.pgraph).toFixed(3);
  section.goal(
    `moirae ≤ ${GOAL_VS_PGRAPH}× p-graph's time in a fresh process (every case)`,
    within === rows.length,
    `worst ${sorted[0]!.label} ${ratio(sorted[0]!)}×, best ${sorted.at(-1)!.label} ${ratio(sorted.at(-1)!)}×; ` +
      `${within} of ${rows.length} cases within`,
  );
}
