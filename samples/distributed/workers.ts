// `npm run distributed:workers`: two `moirae worker` processes that run the demo pipeline's nodes (the modules of
// samples/pipeline) for any coordinator using the same Redis queue. Ctrl-C (or SIGTERM) stops them gracefully:
// each lets its active nodes finish, takes no new job and exits 0.
//
// Environment: REDIS_URL (default redis://127.0.0.1:6379), MOIRAE_QUEUE (default moirae-demo), WORKERS (default 2).
import { spawn } from "node:child_process";
import * as path from "node:path";

const root = path.resolve(__dirname, "..", "..", "..");
const cli = path.join(root, "dist-test", "src", "cli", "main.js");
const nodes = path.join(root, "dist-test", "samples", "pipeline", "nodes.js");
const redis = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
const queue = process.env.MOIRAE_QUEUE ?? "moirae-demo";
const count = Number(process.env.WORKERS ?? 2);

// The command each worker runs; on other machines it is the same with the project's own modules.
const args = ["worker", "--redis", redis, "--queue", queue, "--concurrency", "4", "--require", nodes];

const workers = Array.from({ length: count }, (_, i) => {
  const worker = spawn(process.execPath, [cli, ...args], { cwd: root, stdio: ["ignore", "pipe", "pipe"] });
  const prefix = `[worker ${i + 1}] `;
  for (const stream of [worker.stdout, worker.stderr]) {
    let rest = "";
    stream.setEncoding("utf8").on("data", (chunk: string) => {
      const lines = (rest + chunk).split("\n");
      rest = lines.pop()!;
      for (const line of lines) process.stdout.write(`${prefix}${line}\n`);
    });
  }
  // Ctrl-C and SIGTERM go to each worker, which stops gracefully.
  const stop = (signal: NodeJS.Signals) => worker.kill(signal);
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
  return new Promise<number>((resolve) => worker.on("close", (code) => resolve(code ?? 1))).finally(() => {
    process.off("SIGINT", stop);
    process.off("SIGTERM", stop);
  });
});

void Promise.all(workers).then((codes) => {
  process.exitCode = codes.every((code) => code === 0) ? 0 : 1;
});
