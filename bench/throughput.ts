// Executor throughput on chain / wide / layered shapes of no-op nodes, validation on: moirae vs p-graph vs a
// hand-written promise scheduler, in the same process.

import { container } from "tsyringe";
import { buildGraph, Executor, type Graph } from "../src/index";
import { benchWork, plainGraph, runHandWritten, runPGraph } from "./baselines";
import { type Measurement, mb, median, printTable, settle } from "./measure";
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
    "moirae = executor.run(graph) on a fresh graph (first run, plan compiled); warm = a second run of the same graph.",
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
      const times = size >= 100_000 ? 1 : 3;
      let graph: Graph | undefined;
      const build = () => buildGraph(shape(name, size));
      const plain = plainGraph(build());
      settle();
      const pgraph = await median(times, () => runPGraph(plain, benchWork(plain, new Array(size))));
      const hand = await median(times, () => runHandWritten(plain, benchWork(plain, new Array(size))));
      const graphs = Array.from({ length: times }, build);
      let k = 0;
      const moirae = await median(times, () => executor.run(graphs[k++]!));
      graph = graphs[0]!;
      const warm = await median(times, () => executor.run(graph!));
      graphs.length = 0;
      graph = undefined;
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
