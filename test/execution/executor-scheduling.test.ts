import "reflect-metadata";
import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import { container } from "tsyringe";
import { buildGraph, Executor, execute, executeStream, type NodeResult } from "../../src/index";
import { O } from "../fixtures/data-classes";
import "../fixtures/nodes";
import { EventLog, flush, type StepInputs, setup, watchUnhandledRejections } from "./helpers";

const unhandled = watchUnhandledRejections();
after(() => assert.deepEqual(unhandled.seen, [], "no unhandled rejection"));

describe("execute: the seed's eager example", () => {
  it("returns every node's validated output, by name", async () => {
    const graph = buildGraph({
      a: { node: "AddMul", inputs: { x: 1, y: 2 } },
      b: { node: "AddMul", arguments: { coef: 2 }, inputs: { x: 3, y: 0 } },
      c: { node: "AddMul", inputs: { x: "${b.o}", y: "${a.o}" } },
    });
    const outputs = await execute(graph);
    assert.deepEqual(Object.keys(outputs).sort(), ["a", "b", "c"]);
    assert.ok(outputs.c instanceof O);
    assert.deepEqual({ ...outputs.c }, { o: 9 });
  });
});

describe("executeStream", () => {
  it("yields one result per node in completion order, with status, output, hash, duration and attempts", async () => {
    const { graph, probe, container } = setup({ a: {}, b: {}, c: { a: "a", b: "b" } });
    const gateA = probe.hold("a");
    const gateB = probe.hold("b");
    const results: NodeResult[] = [];
    const consuming = (async () => {
      for await (const r of executeStream(graph, { container })) results.push(r);
    })();
    await flush();
    gateB.resolve(10);
    await flush();
    gateA.resolve(20);
    await consuming;
    assert.deepEqual(
      results.map((r) => [r.node, r.status, (r.output as O).o]),
      [
        ["b", "done", 10],
        ["a", "done", 20],
        ["c", "done", 31],
      ],
    );
    for (const r of results) {
      assert.equal(r.hash, graph.hashOf(r.node));
      assert.equal(r.attempts, 1);
      assert.ok(r.durationMs >= 0);
      assert.ok(r.output instanceof O);
      assert.equal(r.error, undefined);
    }
  });

  it("starts nothing until the first next()", async () => {
    const { graph, probe, container } = setup({ a: {} });
    const stream = executeStream(graph, { container });
    await flush();
    assert.deepEqual(probe.started, []);
    const first = await stream.next();
    assert.equal(first.value?.node, "a");
    assert.equal((await stream.next()).done, true);
  });

  it("gives a slow consumer every result (none dropped)", async () => {
    const nodes: Record<string, object> = {};
    for (let i = 0; i < 30; i++) nodes[`n${i}`] = {};
    const { graph, container } = setup(nodes);
    const seen: string[] = [];
    for await (const r of executeStream(graph, { container })) {
      seen.push(r.node);
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    assert.deepEqual(seen.sort(), Object.keys(nodes).sort());
  });
});

describe("scheduling", () => {
  it("starts a node only once every input has arrived, and the moment the last one does", async () => {
    const { graph, probe, container } = setup({ a: {}, b: {}, c: { a: "a", b: "b" }, d: { a: "c" } });
    const gateA = probe.hold("a");
    const gateB = probe.hold("b");
    const log = new EventLog();
    const run = execute(graph, { container, onEvent: log.onEvent });
    await flush();
    assert.deepEqual(probe.started.sort(), ["a", "b"]);
    gateA.resolve(undefined);
    await flush();
    assert.deepEqual(probe.started.sort(), ["a", "b"], "c waits for b");
    gateB.resolve(undefined);
    await run;
    for (const [node, parents] of [
      ["c", ["a", "b"]],
      ["d", ["c"]],
    ] as const) {
      for (const parent of parents) {
        assert.ok(log.index("node:done", parent) < log.index("node:start", node), `${parent} before ${node}`);
      }
    }
    // c started right after b's output arrived: no other event in between
    assert.equal(log.index("node:start", "c"), log.index("node:done", "b") + 1);
  });

  it("runs independent nodes at the same time", async () => {
    const { graph, probe, container } = setup({ a: {}, b: {}, c: {} });
    const gates = ["a", "b", "c"].map((n) => probe.hold(n));
    const run = execute(graph, { container });
    await flush();
    assert.equal(probe.running, 3, "all three started before any finished");
    for (const g of gates) g.resolve(undefined);
    await run;
    assert.equal(probe.maxRunning, 3);
  });

  it("never runs more than `concurrency` nodes at once", async () => {
    const nodes: Record<string, object> = {};
    for (let i = 0; i < 12; i++) nodes[`w${i}`] = {};
    for (let i = 0; i < 6; i++) nodes[`x${i}`] = { a: `w${i}`, b: `w${i + 6}` };
    const { graph, probe, container } = setup(nodes);
    for (const name of Object.keys(nodes)) probe.on(name, async () => ({ o: await Promise.resolve(1) }));
    await execute(graph, { container, concurrency: 3 });
    assert.equal(probe.maxRunning, 3);
    assert.equal(probe.ended.length, 18);
  });

  it("with concurrency 1 starts the ready node with the longest remaining path first, ties in topological order", async () => {
    // s1..s3: short independent nodes listed first; l1 -> l2 -> l3 -> l4: a long chain
    const { graph, probe, container } = setup({
      s1: {},
      s2: {},
      s3: {},
      l1: {},
      l2: { a: "l1" },
      l3: { a: "l2" },
      l4: { a: "l3" },
      m1: {},
      m2: { a: "m1" },
    });
    await execute(graph, { container, concurrency: 1 });
    assert.deepEqual(probe.started.slice(0, 2), ["l1", "l2"], "the long chain first, not FIFO");
    // replay: each start is the ready node with the longest remaining path, ties by topological order
    const remaining = (name: string): number =>
      1 + Math.max(0, ...graph.dependentsOf(name).map((child) => remaining(child)));
    const done = new Set<string>();
    for (const started of probe.started) {
      const ready = graph.order.filter(
        (n) => !done.has(n) && graph.dependenciesOf(n).every((p) => done.has(p)),
      );
      const best = [...ready].sort(
        (x, y) => remaining(y) - remaining(x) || graph.order.indexOf(x) - graph.order.indexOf(y),
      )[0];
      assert.equal(started, best, `after ${[...done].join(",")}`);
      done.add(started);
    }
    assert.equal(done.size, 9);
  });

  it("gives each node its inputs: literals and upstream fields", async () => {
    const { graph, probe, container } = setup({
      a: { a: 5 },
      b: { a: 1, b: 2 },
      c: { a: "a", b: "b", c: 100 },
    });
    const outputs = await execute(graph, { container });
    assert.deepEqual({ ...probe.inputs.get("c")![0] }, { a: 6, b: 4, c: 100 });
    assert.equal((outputs.c as O).o, 111);
  });

  it("runs more independent nodes than start in one batch, and all their dependents", async () => {
    const nodes: Record<string, StepInputs> = {};
    for (let i = 0; i < 2500; i++) nodes[`r${i}`] = { a: i };
    nodes.sum = { a: "r0", b: "r1234", c: "r2499" };
    const { graph, container } = setup(nodes);
    const outputs = await execute(graph, { container });
    assert.equal(Object.keys(outputs).length, 2501);
    assert.equal((outputs.r2499 as O).o, 2500);
    assert.equal((outputs.sum as O).o, 1 + 1 + 1235 + 2500);
  });

  it("with a concurrency limit and onError: continue, skips the dependents of a failure and runs the rest", async () => {
    const { graph, probe, container } = setup({
      bad: {},
      child: { a: "bad" },
      x1: {},
      x2: { a: "x1" },
      x3: { a: "x2" },
      y1: {},
    });
    probe.on("bad", () => {
      throw new Error("boom");
    });
    const log = new EventLog();
    const error = await execute(graph, {
      container,
      concurrency: 1,
      onError: "continue",
      onEvent: log.onEvent,
    }).catch((e) => e);
    assert.deepEqual(Object.keys(error.outputs).sort(), ["x1", "x2", "x3", "y1"]);
    assert.deepEqual(log.nodes("node:skipped"), ["child"]);
    assert.equal(probe.maxRunning, 1);
  });

  it("runs an empty graph", async () => {
    assert.deepEqual(await execute(buildGraph({})), {});
    const results = [];
    for await (const r of executeStream(buildGraph({}))) results.push(r);
    assert.deepEqual(results, []);
  });
});

describe("one Executor, many runs", () => {
  it("runs many graphs at once, independently", async () => {
    const executor = container.resolve(Executor);
    const runs = Array.from({ length: 20 }, (_, k) => {
      const { graph, container } = setup({ a: { a: k }, b: { a: "a" }, c: { a: "a", b: "b" } });
      return executor.run(graph, { container, concurrency: k % 2 ? 1 : Infinity });
    });
    const outputs = await Promise.all(runs);
    outputs.forEach((out, k) => {
      assert.equal((out.a as O).o, k + 1);
      assert.equal((out.c as O).o, 1 + (k + 1) + (k + 2));
    });
  });

  it("runs the same graph twice at once", async () => {
    const { graph, container } = setup({ a: {}, b: { a: "a" } });
    const executor = container.resolve(Executor);
    const [x, y] = await Promise.all([
      executor.run(graph, { container }),
      executor.run(graph, { container }),
    ]);
    assert.notEqual(x.b, y.b);
    assert.deepEqual({ ...x.b }, { o: 2 });
    assert.deepEqual({ ...y.b }, { o: 2 });
  });
});
