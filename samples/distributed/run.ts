// `npm run distributed:run`: runs the demo pipeline (samples/pipeline/pipeline.json) with every node on the
// workers of `npm run distributed:workers`, caching outputs in Redis. The only change from an in-process run is
// the two registrations below. Run it again: every node is cached and no worker is needed (`-- --fresh` clears
// the cache first).
//
// Environment: REDIS_URL (default redis://127.0.0.1:6379), MOIRAE_QUEUE (default moirae-demo), MOIRAE_PREFIX
// (the cache's key prefix, default moirae-demo:).
import "reflect-metadata";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { container } from "tsyringe";
import { QueueDispatcher } from "../../src/bullmq/index"; // in an application: "moirae/bullmq"
import {
  buildGraph,
  CacheProvider,
  executeStream,
  NodeDispatcher,
  RedisCacheProvider,
} from "../../src/index";
import "../pipeline/nodes";

const root = path.resolve(__dirname, "..", "..", "..");
const url = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
const queue = process.env.MOIRAE_QUEUE ?? "moirae-demo";

async function main(): Promise<void> {
  const spec = JSON.parse(readFileSync(path.join(root, "samples", "pipeline", "pipeline.json"), "utf8"));
  const graph = buildGraph(spec);

  const dispatcher = new QueueDispatcher({ connection: url, queue });
  const cache = new RedisCacheProvider({ url, prefix: process.env.MOIRAE_PREFIX ?? "moirae-demo:" });
  const run = container.createChildContainer();
  run.register(NodeDispatcher, { useValue: dispatcher }); // nodes run on the workers
  run.register(CacheProvider, { useValue: cache }); // outputs are cached in Redis, by this process

  try {
    if (process.argv.includes("--fresh")) await cache.clear();
    const started = performance.now();
    let report = "";
    const onEvent = (event: { type: string; message?: string }) => {
      if (event.type === "node:waiting") console.log(`waiting: ${event.message}`);
    };
    for await (const result of executeStream(graph, { container: run, onEvent })) {
      console.log(`${result.node.padEnd(32)} ${result.status.padEnd(7)} ${result.worker ?? ""}`);
      if (result.node === "report") report = (result.output as { markdown: string }).markdown;
    }
    console.log(`\n${graph.nodes.size} nodes in ${((performance.now() - started) / 1000).toFixed(2)} s\n`);
    console.log(report);
  } finally {
    await Promise.all([dispatcher.close(), cache.close()]);
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
