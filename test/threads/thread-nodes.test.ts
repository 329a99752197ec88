import "reflect-metadata";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { container } from "tsyringe";
import {
  buildGraph,
  ExecutionAbortedError,
  type ExecutionEvent,
  execute,
  executeStream,
  GraphValidationError,
  MemoryCacheProvider,
  Node,
  NodeDefinitionError,
  NodeExecutionError,
  NodeRefusedError,
  NodeTimeoutError,
  ThreadPool,
} from "../../src/index";
import { NoInput, Value } from "../fixtures/data-classes";
import { defineHiddenThreadNode } from "../fixtures/hidden-thread-node";
import { BagOutput, SpinOutput } from "../fixtures/thread-nodes";
import { Greeter, type GreetOutput } from "../fixtures/thread-services";

const dir = mkdtempSync(join(tmpdir(), "moirae-threads-"));
after(() => rmSync(dir, { recursive: true, force: true }));

const spin = (ms: number, seed = 1) => ({ node: "ThreadSpin", arguments: { ms }, inputs: { seed } });

describe("thread: true nodes", () => {
  it("cost nothing until one runs: importing moirae does not load piscina", () => {
    assert.ok(!Object.keys(require.cache).some((file) => /[\\/]node_modules[\\/]piscina[\\/]/.test(file)));
  });

  it("run in worker threads while the other nodes stay on the event loop", async () => {
    const out = await execute(
      buildGraph({
        a: spin(5),
        b: { node: "LoopSpin", arguments: { ms: 5 }, inputs: { seed: "${a.value}" } },
        c: { node: "ThreadSpin", arguments: { ms: 5 }, inputs: { seed: "${b.value}" } },
      }),
    );
    const a = out.a as SpinOutput;
    assert.ok(a instanceof SpinOutput);
    assert.notEqual(a.thread, 0, "a ran in a worker thread");
    assert.equal((out.b as SpinOutput).thread, 0, "b ran on the main thread");
    assert.notEqual((out.c as SpinOutput).thread, 0);
  });

  it("overlap on two cores: CPU-bound nodes run at the same time", async (t) => {
    if (availableParallelism() < 2) {
      t.skip("this machine has one core");
      return;
    }
    // Warm up: both threads started and each ran a node (a thread still starting takes no node).
    const threads = new Set<number>();
    for (let i = 0; i < 20 && threads.size < 2; i++) {
      const warm = await execute(buildGraph({ a: spin(100, 1), b: spin(100, 2) }));
      threads.add((warm.a as SpinOutput).thread).add((warm.b as SpinOutput).thread);
    }
    const out = await execute(buildGraph({ a: spin(300, 1), b: spin(300, 2) }));
    const [a, b] = [out.a as SpinOutput, out.b as SpinOutput];
    assert.notEqual(a.thread, b.thread, "two threads");
    assert.ok(Math.max(a.start, b.start) < Math.min(a.end, b.end), "their [start, end] intervals overlap");
  });

  it("keep inputs, arguments and outputs lossless (Dates, Maps, Sets, bigints, typed arrays)", async () => {
    const graph = buildGraph({
      bag: {
        node: "ThreadBag",
        arguments: { note: "n\u{1F600}", size: 100_000 },
        inputs: {
          at: new Date(Date.UTC(2020, 0, 2, 3, 4, 5, 6)),
          counts: new Map([
            ["x", 2n ** 65n],
            ["y", -3n],
          ]),
          tags: new Set(["p", "q"]),
          samples: new Float64Array([1.25, -0, Number.NaN]),
        },
      },
    });
    const out = (await execute(graph)).bag as BagOutput;
    assert.ok(out instanceof BagOutput);
    assert.notEqual(out.thread, 0);
    assert.deepEqual(out.at, new Date(Date.UTC(2020, 0, 2, 3, 4, 5, 6)));
    assert.deepEqual(
      out.counts,
      new Map([
        ["x", 2n ** 65n],
        ["y", -3n],
        ["total", 2n ** 65n - 3n],
      ]),
    );
    assert.deepEqual(out.tags, new Set(["p", "q"]));
    assert.deepEqual(out.samples, new Float64Array([1.25, -0, Number.NaN]));
    assert.ok(Object.is(out.samples[1], -0));
    assert.equal(out.big.length, 100_000, "a large typed array comes back whole");
    assert.equal(out.big[99_999], 99_999 * 0.5);
    assert.equal(out.note, "n\u{1F600}");
  });

  it("give errors back with their original class name, message and fields, retried like any node", async () => {
    const events: string[] = [];
    const error = await execute(buildGraph({ bad: { node: "ThreadThrows", inputs: {} } }), {
      retries: 1,
      onEvent: (e: ExecutionEvent) => events.push(e.type),
    }).catch((e: unknown) => e);
    assert.ok(error instanceof NodeExecutionError);
    assert.equal(error.attempts, 2);
    const cause = error.cause as Error & { budget?: number };
    assert.equal(cause.name, "BudgetError");
    assert.equal(cause.message, "over budget on try 2");
    assert.equal(cause.budget, 7);
    assert.match(cause.stack ?? "", /thread-nodes/);
    assert.ok(events.includes("node:retry"));
  });

  it("are cached like any node: the second run runs no thread", async () => {
    const cache = new MemoryCacheProvider();
    const graph = () => buildGraph({ a: spin(5, 3), b: { ...spin(5), inputs: { seed: "${a.value}" } } });
    const first = await execute(graph(), { cache });
    const statuses: string[] = [];
    const second: Record<string, unknown> = {};
    for await (const r of executeStream(graph(), { cache })) {
      statuses.push(r.status);
      second[r.node] = r.output;
    }
    assert.deepEqual(statuses, ["cached", "cached"]);
    assert.deepEqual(second, first, "the same outputs, same threads and times: nothing ran again");
  });
});

describe("stopping thread nodes", () => {
  it("a node stuck in for(;;){} times out, and the next run works", async () => {
    const error = await execute(buildGraph({ stuck: { node: "ThreadStuck", inputs: {} } }), {
      timeoutMs: 300,
    }).catch((e: unknown) => e);
    assert.ok(error instanceof NodeTimeoutError, String(error));
    assert.equal(error.timeoutMs, 300);
    const out = await execute(buildGraph({ a: spin(5), b: spin(5, 2) }));
    assert.notEqual((out.a as SpinOutput).thread, 0);
  });

  it("abort ends a stuck node's run at once; the pool recovers", async () => {
    const controller = new AbortController();
    const running = execute(buildGraph({ stuck: { node: "ThreadStuck", inputs: {} }, a: spin(5) }), {
      signal: controller.signal,
    });
    setTimeout(() => controller.abort("stop"), 200);
    await assert.rejects(running, ExecutionAbortedError);
    const out = await execute(buildGraph({ a: spin(5, 4) }));
    assert.notEqual((out.a as SpinOutput).thread, 0);
  });

  it("fires ctx.signal inside the thread for code that listens", async () => {
    const file = join(dir, "cooperative.txt");
    const controller = new AbortController();
    // A pool that leaves the node plenty of time to react before its thread is terminated (busy machines).
    const child = container.createChildContainer();
    const pool = new ThreadPool({ size: 1, terminateAfterMs: 10_000 });
    child.register(ThreadPool, { useValue: pool });
    try {
      const running = execute(
        buildGraph({ coop: { node: "ThreadCooperative", arguments: { file }, inputs: {} } }),
        { signal: controller.signal, container: child },
      );
      // Abort once the node runs in its thread (a thread may still be starting up on a busy machine).
      for (let i = 0; i < 2000 && !existsSync(`${file}.started`); i++)
        await new Promise((r) => setTimeout(r, 10));
      controller.abort("stop");
      await assert.rejects(running, ExecutionAbortedError);
      // the node's writeFileSync creates the file, then writes it: wait for the text, not only the file
      const written = () => existsSync(file) && readFileSync(file, "utf8") !== "";
      for (let i = 0; i < 1000 && !written(); i++) await new Promise((r) => setTimeout(r, 10));
      assert.match(readFileSync(file, "utf8"), /^aborted in thread [1-9]\d*: ExecutionAbortedError$/);
    } finally {
      await pool.close();
    }
  });
});

describe("where thread nodes come from", () => {
  it("a thread node defined by eval has no module: NodeDefinitionError at definition", () => {
    const define = new Function(
      "Node",
      "Input",
      "Output",
      "return (cls) => Node({ input: Input, output: Output, thread: true, name: 'EvalThreadNode' })(cls);",
    )(Node, NoInput, Value) as (cls: Function) => void;
    assert.throws(
      () =>
        define(
          class EvalThreadNode {
            execute() {
              return { value: 1 };
            }
          },
        ),
      (error: unknown) =>
        error instanceof NodeDefinitionError &&
        error.className === "EvalThreadNode" &&
        /thread: true/.test(error.message) &&
        /top level/.test(error.message),
    );
  });

  it("a thread node whose module file is gone is a build issue (thread-module), not a failure mid-run", () => {
    const file = join(dir, "gone-thread-node.js");
    writeFileSync(
      file,
      `const { Node } = require(${JSON.stringify(join(__dirname, "../../src/index.js"))});
const { NoInput, Value } = require(${JSON.stringify(join(__dirname, "../fixtures/data-classes.js"))});
class GoneThreadNode { execute() { return { value: 1 }; } }
Node({ input: NoInput, output: Value, thread: true })(GoneThreadNode);
`,
    );
    require(file);
    const spec = { g: { node: "GoneThreadNode", inputs: {} } };
    assert.equal(buildGraph(spec).nodes.size, 1, "builds while the file exists");
    rmSync(file);
    assert.throws(
      () => buildGraph(spec),
      (error: unknown) =>
        error instanceof GraphValidationError &&
        error.issues.some((i) => i.code === "thread-module" && i.path === "g.node") &&
        error.message.includes("gone-thread-node.js") &&
        /GoneThreadNode/.test(error.message),
    );
  });

  it("a thread whose module does not register the class refuses it, naming the class; no retry", async () => {
    defineHiddenThreadNode();
    const error = await execute(buildGraph({ h: { node: "HiddenThreadNode", inputs: {} } }), {
      retries: 3,
    }).catch((e: unknown) => e);
    assert.ok(error instanceof NodeExecutionError, String(error));
    assert.equal(error.attempts, 1, "not retried");
    assert.ok(error.cause instanceof NodeRefusedError);
    assert.match(error.message, /HiddenThreadNode/);
    assert.match(error.message, /hidden-thread-node\.js did not register it/);
  });
});

describe("the thread pool", () => {
  it("comes from the run's container when one is registered; services come from the thread's container", async () => {
    const child = container.createChildContainer();
    const pool = new ThreadPool({ size: 1, modules: [join(__dirname, "..", "fixtures", "thread-setup.js")] });
    child.register(ThreadPool, { useValue: pool });
    child.register(Greeter, { useValue: { greet: () => "the main thread's container" } });
    try {
      const out = await execute(
        buildGraph(
          { g: { node: "ThreadGreets", inputs: {} }, a: spin(5), b: spin(5, 2) },
          { container: child },
        ),
        { container: child },
      );
      const greeting = out.g as GreetOutput;
      assert.equal(greeting.text, "the thread's setup module", "not the main thread's registration");
      const threads = new Set([greeting.thread, (out.a as SpinOutput).thread, (out.b as SpinOutput).thread]);
      assert.equal(threads.size, 1, "a pool of size 1 runs every node in its one thread");
      assert.ok(!threads.has(0));
    } finally {
      await pool.close();
    }
  });

  it("never keeps the process alive: a script that runs a thread node exits by itself", () => {
    const run = spawnSync(process.execPath, [join(__dirname, "..", "fixtures", "thread-script.js")], {
      encoding: "utf8",
      timeout: 60_000,
    });
    assert.equal(run.signal, null, "it ended before the timeout");
    assert.equal(run.status, 0, run.stderr);
    assert.notEqual(JSON.parse(run.stdout).thread, 0);
  });
});
