// Executor throughput on chain / wide / layered shapes of no-op nodes, validation on: moirae vs p-graph vs a
// hand-written promise scheduler, in the same process.

import { container } from "tsyringe";
import { buildGraph, Executor, type Graph } from "../src/index";
import { benchWork, plainGraph, runHandWritten, runPGraph } from "./baselines";
import { type Measurement, mb, median } from "./measure";
import { progress, type Section } from "./report";
import { SHAPES, shape } from "./shapes";

const SIZES = process.env.BENCH_SIZES
  ? process.env.BENCH_SIZES.split(",").map(Number)
  : [1_000, 10_000, 100_000];

interface Row {
  readonly label: string;
  readonly size: number;
  readonly moirae: Measurement;
  readonly warm: Measurement;
  readonly pgraph: Measurement;
  readonly hand: Measurement;
}

/**
 * Goals: moirae's time relative to p-graph's (every case) and the hand-written scheduler's (every case, and at
 * 100k nodes, issue 15); RSS at 100k nodes.
 */
const GOAL_VS_PGRAPH = 0.5;
const GOAL_VS_HAND = 3;
const GOAL_VS_HAND_100K = 1.6;
const GOAL_RSS_100K = 300 * 2 ** 20;

export async function throughput(section: Section): Promise<Row[]> {
  section.text(
    "No-op nodes (`o = x + y`), input and output validation on, unlimited concurrency. Each scheduler runs a " +
      "freshly built Graph (moirae compiles its plan, the others read their lists from it, all timed); small " +
      "graphs are timed in batches of fresh graphs (1k: 20, 10k: 3; median of 3 batches); _warm_ = moirae " +
      "re-running one graph (plan compiled already). p-graph and the hand-written scheduler validate input and " +
      "output with moirae's `checkData` too. Peak RSS is the whole process's, sampled during the case. The goals " +
      "are checked on moirae's fresh-graph time (_moirae_), not on _warm_.",
  );
  progress("throughput: warming up");
  const executor = container.resolve(Executor);
  // warm up every scheduler and class-validator / class-transformer (their first ~30k calls are 10× slower)
  for (let k = 0; k < 3; k++) {
    const warmGraph = buildGraph(shape("layered", 10_000));
    const warmPlain = plainGraph(warmGraph);
    await runPGraph(warmPlain, benchWork(warmPlain, new Array(10_000)));
    await runHandWritten(warmPlain, benchWork(warmPlain, new Array(10_000)));
    await executor.run(warmGraph);
  }
  const rows: Row[] = [];
  for (const size of SIZES) {
    for (const name of SHAPES) {
      // every scheduler gets freshly built Graphs and does all its own preparation in the timed part; small
      // graphs are timed in batches (one measurement = `batch` graphs run one after another), median of 3
      const batch = size >= 100_000 ? 1 : size >= 10_000 ? 3 : 20;
      const times = size >= 100_000 ? 1 : 3;
      const build = () => Array.from({ length: batch }, () => buildGraph(shape(name, size)));
      const timed = async (run: (graph: Graph) => Promise<unknown>) => {
        const batches = Array.from({ length: times }, build);
        let k = 0;
        const m = await median(times, async () => {
          for (const graph of batches[k++]!) await run(graph);
        });
        return { ...m, ms: m.ms / batch };
      };
      const pgraph = await timed((graph) => {
        const plain = plainGraph(graph);
        return runPGraph(plain, benchWork(plain, new Array(size)));
      });
      const hand = await timed((graph) => {
        const plain = plainGraph(graph);
        return runHandWritten(plain, benchWork(plain, new Array(size)));
      });
      const moirae = await timed((graph) => executor.run(graph));
      const same = buildGraph(shape(name, size));
      await executor.run(same);
      const warm = await timed(() => executor.run(same));
      rows.push({ label: `${name} ${size / 1000}k`, size, moirae, warm, pgraph, hand });
      progress(
        `throughput: ${name} ${size / 1000}k: moirae ${moirae.ms.toFixed(0)} ms, warm ${warm.ms.toFixed(0)} ms, ` +
          `p-graph ${pgraph.ms.toFixed(0)} ms, hand-written ${hand.ms.toFixed(0)} ms`,
      );
    }
  }
  const us = (m: Measurement, size: number) => ((m.ms * 1000) / size).toFixed(1);
  section.table(
    [
      "case",
      "moirae ms",
      "µs/node",
      "warm µs/node",
      "p-graph µs/node",
      "hand µs/node",
      "moirae/p-graph",
      "warm/p-graph",
      "moirae/hand",
      "moirae peak RSS",
      "p-graph RSS",
      "hand RSS",
    ],
    rows.map((r) => [
      r.label,
      r.moirae.ms.toFixed(0),
      us(r.moirae, r.size),
      us(r.warm, r.size),
      us(r.pgraph, r.size),
      us(r.hand, r.size),
      `${(r.moirae.ms / r.pgraph.ms).toFixed(2)}×`,
      `${(r.warm.ms / r.pgraph.ms).toFixed(2)}×`,
      `${(r.moirae.ms / r.hand.ms).toFixed(2)}×`,
      mb(r.moirae.peakRss),
      mb(r.pgraph.peakRss),
      mb(r.hand.peakRss),
    ]),
  );
  const worst = (ratio: (r: Row) => number, goal: number) => {
    const sorted = [...rows].sort((a, b) => ratio(b) - ratio(a));
    const within = rows.filter((r) => ratio(r) <= goal).length;
    return {
      met: within === rows.length,
      figure:
        `worst ${sorted[0]!.label} ${ratio(sorted[0]!).toFixed(3)}×, best ${sorted[sorted.length - 1]!.label} ` +
        `${ratio(sorted[sorted.length - 1]!).toFixed(3)}×; ${within} of ${rows.length} cases within`,
    };
  };
  if (rows.length > 0) {
    const vsPGraph = worst((r) => r.moirae.ms / r.pgraph.ms, GOAL_VS_PGRAPH);
    section.goal(`moirae ≤ ${GOAL_VS_PGRAPH}× p-graph's time (every case)`, vsPGraph.met, vsPGraph.figure);
    const vsHand = worst((r) => r.moirae.ms / r.hand.ms, GOAL_VS_HAND);
    section.goal(
      `moirae ≤ ${GOAL_VS_HAND}× the hand-written scheduler's time (every case)`,
      vsHand.met,
      vsHand.figure,
    );
  }
  const big = rows.filter((r) => r.size >= 100_000);
  if (big.length > 0) {
    const worstBig = [...big].sort((a, b) => b.moirae.ms / b.hand.ms - a.moirae.ms / a.hand.ms)[0]!;
    section.goal(
      `moirae ≤ ${GOAL_VS_HAND_100K}× the hand-written scheduler's time at 100k nodes (every shape)`,
      big.every((r) => r.moirae.ms / r.hand.ms <= GOAL_VS_HAND_100K),
      big.map((r) => `${r.label} ${(r.moirae.ms / r.hand.ms).toFixed(2)}×`).join(", ") +
        ` (worst ${worstBig.label})`,
    );
    const peak = Math.max(...big.map((r) => r.moirae.peakRss));
    section.goal(
      `100k nodes run in ≤ ${mb(GOAL_RSS_100K)} RSS (process peak)`,
      peak <= GOAL_RSS_100K,
      big.map((r) => `${r.label} ${mb(r.moirae.peakRss)}`).join(", "),
    );
  }
  return rows;
}
