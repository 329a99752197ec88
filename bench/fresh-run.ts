// One run in a fresh process, what a CLI user gets: `node dist-test/bench/fresh-run.js <moirae|p-graph> <shape>
// <size>` builds the graph (not timed), then times one run of it and prints `{"ms": …}` on stdout.
import "reflect-metadata";
import { buildGraph, execute } from "../src/index";
import { benchWork, plainGraph, runPGraph } from "./baselines";
import { type ShapeName, shape } from "./shapes";

async function main(): Promise<void> {
  const [scheduler, name, size] = process.argv.slice(2);
  const graph = buildGraph(shape(name as ShapeName, Number(size)));
  const start = performance.now();
  if (scheduler === "moirae") await execute(graph);
  else {
    const plain = plainGraph(graph);
    await runPGraph(plain, benchWork(plain, new Array(Number(size))));
  }
  process.stdout.write(`${JSON.stringify({ ms: performance.now() - start })}\n`);
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
