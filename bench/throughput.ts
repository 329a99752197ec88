// Executor throughput on chain / wide / layered shapes of no-op nodes, validation on: moirae vs p-graph vs a
// hand-written promise scheduler, in the same process.

import { container } from "tsyringe";
import { buildGraph, Executor, type Graph } from "../src/index";
import { benchWork, plainGraph, runHandWritten, runPGraph } from "./baselines";
import { type Measurement, mb, median, printTable } from "./measure";
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

export async function throughput(): Promise<Row[]> {
  console.log("\n## Executor throughput: no-op nodes (o = x + y), input and output validation on");
  console.log(
    "Each scheduler runs a freshly built Graph (moirae compiles its plan, the others read their lists from it, all timed);\n" +
      "small graphs are timed in batches of fresh graphs (1k: 20, 10k: 3; median of 3 batches); warm = moirae re-running\n" +
      "one graph (plan compiled already). p-graph and hand-written validate input and output with checkData too.",
  );
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
      console.log(
        `  ${name} ${size / 1000}k: moirae ${moirae.ms.toFixed(0)} ms, warm ${warm.ms.toFixed(0)} ms, ` +
          `p-graph ${pgraph.ms.toFixed(0)} ms, hand-written ${hand.ms.toFixed(0)} ms`,
      );
    }
  }
  const us = (m: Measurement, size: number) => ((m.ms * 1000) / size).toFixed(1);
  printTable(
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
  return rows;
}
