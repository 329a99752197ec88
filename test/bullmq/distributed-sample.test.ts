import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import * as path from "node:path";
import { after, describe, it } from "node:test";
import { Redis } from "ioredis";
import { obliterate, REDIS_URL, ROOT, redisUnavailable, runCli, uniqueName } from "./worker-harness";

const SAMPLE = path.join(ROOT, "dist-test", "samples", "distributed");

describe("moirae/bullmq stays optional", () => {
  it("importing moirae (and printing the CLI's help) loads neither bullmq nor a worker", () => {
    const probe = `
      require(${JSON.stringify(path.join(ROOT, "dist-test", "src", "index.js"))});
      const { createProgram } = require(${JSON.stringify(path.join(ROOT, "dist-test", "src", "cli", "main.js"))});
      createProgram({ io: { stdout: { write() {} }, stderr: { write() {} } }, exit() {}, verbose: () => false });
      const loaded = Object.keys(require.cache).filter(
        (f) => f.includes("node_modules/bullmq/") || f.includes("dist-test/src/bullmq/") || f.endsWith("worker-action.js"),
      );
      process.stdout.write(JSON.stringify(loaded));`;
    const result = spawnSync(process.execPath, ["-e", probe], { cwd: ROOT, encoding: "utf8" });
    assert.equal(result.status, 0, result.stderr);
    assert.deepEqual(JSON.parse(result.stdout), []);
  });
});

describe("samples/distributed: the demo pipeline on two worker processes", () => {
  const queue = uniqueName("demo");
  const prefix = `${queue}:cache:`;
  let unavailable = "";

  after(async () => {
    if (unavailable) return;
    await obliterate(queue);
    const redis = new Redis(REDIS_URL);
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
  });

  it("npm run distributed:workers, then distributed:run: every node done on a worker, then all cached", async (t) => {
    unavailable = await redisUnavailable();
    if (unavailable) return t.skip(unavailable);
    const env = { ...process.env, MOIRAE_QUEUE: queue, MOIRAE_PREFIX: prefix };
    const workers = spawn(process.execPath, [path.join(SAMPLE, "workers.js")], { cwd: ROOT, env });
    let printed = "";
    workers.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      printed += chunk;
    });
    const exited = new Promise<number | null>((resolve) => workers.on("close", resolve));
    try {
      const deadline = Date.now() + 20_000;
      while ((printed.match(/consumes queue/g) ?? []).length < 2) {
        assert.ok(Date.now() < deadline, `the workers did not start:\n${printed}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      const ids = [...printed.matchAll(/worker (\S+:\d+) consumes/g)].map((m) => m[1]!);

      const first = await runCli([path.join(SAMPLE, "run.js")], env);
      assert.equal(first.code, 0, first.stderr);
      const rows = first.stdout.split("\n").filter((line) => /^\S+\s+(done|cached)\s/.test(line));
      assert.equal(rows.length, 49);
      for (const row of rows) {
        const [, status, worker] = row.split(/\s+/);
        assert.equal(status, "done", row);
        assert.ok(ids.includes(worker!), row);
      }
      assert.match(first.stdout, /## Documents/);

      const second = await runCli([path.join(SAMPLE, "run.js")], env);
      assert.equal(second.code, 0, second.stderr);
      assert.equal((second.stdout.match(/^\S+\s+cached\s*$/gm) ?? []).length, 49);
    } finally {
      workers.kill("SIGINT");
    }
    assert.equal(await exited, 0);
    assert.equal((printed.match(/\] worker \S+ stopped/g) ?? []).length, 2, printed);
  });
});
