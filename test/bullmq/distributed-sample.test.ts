import "reflect-metadata";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import type { Redis } from "ioredis";
import { container as rootContainer } from "tsyringe";
import { NodeWorker, QueueConnectionError, QueueDispatcher } from "../../src/bullmq/index";
import { buildGraph, execute, NodeDispatcher, NodeExecutionError } from "../../src/index";
import "./fixtures/nodes";
import { connectLiveRedis, deleteKeys, uniqueName } from "../fixtures/live-redis";
import { HANG_MS, obliterate, ROOT, runCli } from "./worker-harness";

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

describe("docs/distributed.md", () => {
  it("shows code from the samples that the test below runs, line for line", () => {
    const page = readFileSync(path.join(ROOT, "docs", "distributed.md"), "utf8");
    const blocks = [...page.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!);
    const files = ["run.ts", "node-worker.ts"];
    assert.equal(blocks.length, files.length);
    blocks.forEach((block, i) => {
      const source = readFileSync(path.join(ROOT, "samples", "distributed", files[i]!), "utf8")
        .replace(
          /"\.\.\/\.\.\/src\/bullmq\/index"; \/\/ in an application: "moirae\/bullmq"/g,
          '"moirae/bullmq";',
        )
        .replace(/"\.\.\/\.\.\/src\/index"/g, '"moirae"');
      const lines = new Set(source.split("\n").map((line) => line.trim()));
      for (const line of block.split("\n").map((l) => l.trim())) {
        if (line === "" || line.startsWith("// …")) continue;
        const imported = /^import \{ (.*) \} from "(.*)";/.exec(line);
        if (!imported) {
          assert.ok(lines.has(line), `${files[i]} has no line ${JSON.stringify(line)}`);
          continue;
        }
        for (const name of imported[1]!.split(", ")) {
          const from = new RegExp(`import \\{[^}]*\\b${name}\\b[^}]*\\} from "${imported[2]}"`);
          assert.match(source, from, `${files[i]} does not import ${name} from "${imported[2]}"`);
        }
      }
    });
  });
});

describe("samples/distributed: the demo pipeline on two worker processes", () => {
  const queue = uniqueName("demo");
  const prefix = `${queue}:cache:`;
  let admin: Redis | undefined;
  let unavailable = "";

  before(async () => {
    ({ admin, unavailable } = await connectLiveRedis("the distributed sample"));
  });

  after(async () => {
    if (!admin) return;
    await obliterate(queue);
    await deleteKeys(admin, prefix);
    admin.disconnect();
  });

  it("npm run distributed:workers, then distributed:run: every node done on a worker, then all cached", async (t) => {
    if (!admin) return t.skip(unavailable);
    const env = { ...process.env, MOIRAE_QUEUE: queue, MOIRAE_PREFIX: prefix };
    const workers = spawn(process.execPath, [path.join(SAMPLE, "workers.js")], { cwd: ROOT, env });
    let printed = "";
    workers.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      printed += chunk;
    });
    const exited = new Promise<number | null>((resolve) => workers.on("close", resolve));
    // and a third worker, in code (samples/distributed/node-worker.ts)
    const inCode = spawn(process.execPath, [path.join(SAMPLE, "node-worker.js")], { cwd: ROOT, env });
    let printedInCode = "";
    inCode.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      printedInCode += chunk;
    });
    const inCodeExited = new Promise<number | null>((resolve) => inCode.on("close", resolve));
    try {
      const deadline = Date.now() + HANG_MS;
      while ((`${printed}${printedInCode}`.match(/consumes queue/g) ?? []).length < 3) {
        assert.ok(Date.now() < deadline, `the workers did not start:\n${printed}${printedInCode}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      const ids = [...`${printed}${printedInCode}`.matchAll(/worker (\S+:\d+) consumes/g)].map((m) => m[1]!);

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
      inCode.kill("SIGTERM");
    }
    assert.equal(await exited, 0);
    assert.equal(await inCodeExited, 0);
    assert.equal((printed.match(/\] worker \S+ stopped/g) ?? []).length, 2, printed);
  });
});

describe("moirae/bullmq without a reachable Redis", () => {
  const nowhere = "redis://127.0.0.1:1"; // nothing listens on port 1

  it("a worker's waitUntilReady rejects with QueueConnectionError, and close() returns", async () => {
    const worker = new NodeWorker({ connection: nowhere, queue: "nowhere" });
    await assert.rejects(worker.waitUntilReady(), (error: Error) => {
      assert.ok(error instanceof QueueConnectionError);
      assert.match(
        error.message,
        /Cannot reach Redis at redis:\/\/127\.0\.0\.1:1 for BullMQ queue "nowhere": .*ECONNREFUSED/,
      );
      return true;
    });
    await worker.close();
  });

  it("a run on a dispatcher that cannot reach Redis fails its node with QueueConnectionError", async () => {
    const dispatcher = new QueueDispatcher({ connection: nowhere, queue: "nowhere" });
    const container = rootContainer.createChildContainer();
    container.register(NodeDispatcher, { useValue: dispatcher });
    try {
      const graph = buildGraph({
        a: { node: "DistCounted", arguments: { dir: "unused" }, inputs: { x: 1 } },
      });
      await assert.rejects(execute(graph, { container }), (error: Error) => {
        assert.ok(error instanceof NodeExecutionError);
        assert.ok(error.cause instanceof QueueConnectionError, String(error.cause));
        return true;
      });
    } finally {
      await dispatcher.close();
    }
  });
});
