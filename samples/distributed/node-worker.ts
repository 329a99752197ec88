// A worker in code instead of `moirae worker`: a NodeWorker in a process that imports the node classes.
// `npm run sample -- samples/distributed/node-worker.ts` runs one for the demo pipeline until Ctrl-C or SIGTERM.
//
// Environment: REDIS_URL (default redis://127.0.0.1:6379), MOIRAE_QUEUE (default moirae-demo).
import "reflect-metadata";
import { NodeWorker } from "../../src/bullmq/index"; // in an application: "moirae/bullmq"
import "../pipeline/nodes"; // registers the node classes

const url = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
const queue = process.env.MOIRAE_QUEUE ?? "moirae-demo";

const worker = new NodeWorker({ connection: url, queue, concurrency: 4 });
process.on("SIGTERM", () => void worker.close()); // active nodes finish first; no new job is taken
process.on("SIGINT", () => void worker.close());

worker.waitUntilReady().then(
  () => console.log(`worker ${worker.id} consumes queue "${queue}"`),
  (error) => {
    console.error(error.message);
    process.exitCode = 1;
    return worker.close();
  },
);
