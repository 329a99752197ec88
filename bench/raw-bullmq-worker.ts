// The floor of the distributed benchmark: a plain BullMQ worker process whose processor does nothing.
// Usage: node raw-bullmq-worker.js <queue> <concurrency>; prints "ready" when it consumes the queue.
import { Worker } from "bullmq";

const [queue, concurrency] = process.argv.slice(2);
const worker = new Worker(queue!, async (job) => ({ o: (job.data as { x: number }).x + 1 }), {
  connection: { host: "127.0.0.1", port: 6379 },
  concurrency: Number(concurrency ?? 1),
});
worker.on("error", () => {});
void worker.waitUntilReady().then(() => process.stdout.write("ready\n"));
process.on("SIGTERM", () => {
  void worker.close().then(() => process.exit(0));
});
