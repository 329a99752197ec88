import "reflect-metadata";
import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import { IsNumber } from "class-validator";
import {
  buildGraph,
  DataValidationError,
  ExecutionOptionsError,
  execute,
  executeStream,
  GraphExecutionError,
  GraphValidationError,
  Input,
  Node,
  type NodeContext,
  NodeExecutionError,
  NodeOutputError,
  type NodeResult,
  NodeSkippedError,
  NodeTimeoutError,
  Output,
} from "../../src/index";
import { NoInput, O } from "../fixtures/data-classes";
import { EventLog, flush, setup, watchUnhandledRejections } from "./helpers";

const unhandled = watchUnhandledRejections();
after(() => assert.deepEqual(unhandled.seen, [], "no unhandled rejection"));

const boom = new Error("boom");

describe('onError: "fail-fast" (default)', () => {
  it("rejects run with the failing node's NodeExecutionError (node, attempts, cause)", async () => {
    const { graph, probe, container } = setup({ a: {}, b: { a: "a" } });
    probe.on("a", () => {
      throw boom;
    });
    const error = await execute(graph, { container }).catch((e) => e);
    assert.ok(error instanceof NodeExecutionError);
    assert.equal(error.node, "a");
    assert.equal(error.attempts, 1);
    assert.equal(error.cause, boom);
    assert.match(error.message, /Node "a" failed after 1 attempt: boom/);
    assert.deepEqual(probe.started, ["a"], "b never started");
  });

  it("aborts in-flight nodes, starts nothing new, yields what completed and then throws", async () => {
    const { graph, probe, container } = setup({ ok: {}, slow: {}, bad: {}, after: { a: "ok", b: "bad" } });
    const slowGate = probe.hold("slow");
    const badGate = probe.hold("bad");
    const results: NodeResult[] = [];
    const log = new EventLog();
    const consuming = (async () => {
      for await (const r of executeStream(graph, { container, onEvent: log.onEvent })) results.push(r);
    })();
    await flush();
    const slowSignal = probe.contexts.get("slow")![0]!.signal;
    badGate.reject(boom);
    const error = await consuming.catch((e) => e);
    assert.ok(error instanceof NodeExecutionError);
    assert.equal(error.node, "bad");
    assert.deepEqual(
      results.map((r) => [r.node, r.status]),
      [["ok", "done"]],
    );
    assert.equal(slowSignal.aborted, true, "the in-flight node saw its signal fire");
    assert.ok(!probe.started.includes("after"));
    slowGate.resolve(undefined); // finishes late: ignored
    await flush();
    assert.equal(log.nodes("node:done").includes("slow"), false);
    assert.deepEqual(log.nodes("node:failed"), ["bad"], "the failure is an event too");
    assert.equal(log.events.at(-1)!.type, "run:done");
    assert.equal(log.events.at(-1)!.error, error);
  });

  it("wraps an invalid output in NodeExecutionError with the NodeOutputError as cause", async () => {
    const { graph, probe, container } = setup({ a: {} });
    probe.on("a", () => ({ o: "not a number" }));
    const error = await execute(graph, { container }).catch((e) => e);
    assert.ok(error instanceof NodeExecutionError);
    assert.ok(error.cause instanceof NodeOutputError);
    assert.match(error.message, /returned an invalid O/);
  });

  it("reports an input that violates the input class's constraints (not caught at build) as DataValidationError", async () => {
    @Input()
    class PositiveInput {
      @IsNumber({ allowNaN: false }) x!: number;
    }
    @Output()
    class AnyNumber {
      @IsNumber({ allowNaN: true }) o!: number;
    }
    @Node({ input: PositiveInput, output: AnyNumber })
    class MakesNaN {
      execute() {
        return { o: Number.NaN };
      }
    }
    const graph = buildGraph({
      a: { node: MakesNaN, inputs: { x: 1 } },
      b: { node: MakesNaN, inputs: { x: "${a.o}" } },
    });
    const error = await execute(graph).catch((e) => e);
    assert.ok(error instanceof NodeExecutionError);
    assert.equal(error.node, "b");
    assert.ok(error.cause instanceof DataValidationError);
    assert.match(error.message, /Node "b" input does not match PositiveInput/);
  });
});

describe('onError: "continue"', () => {
  it("yields failed, skips dependents naming the failed ancestor, finishes independent branches, ends normally", async () => {
    const { graph, probe, container } = setup({
      bad: {},
      child: { a: "bad" },
      grandchild: { a: "child", b: "free" },
      free: {},
      other: { a: "free" },
    });
    probe.on("bad", () => {
      throw boom;
    });
    const results: NodeResult[] = [];
    const log = new EventLog();
    for await (const r of executeStream(graph, { container, onError: "continue", onEvent: log.onEvent })) {
      results.push(r);
    }
    const byNode = Object.fromEntries(results.map((r) => [r.node, r]));
    assert.deepEqual(Object.keys(byNode).sort(), ["bad", "child", "free", "grandchild", "other"]);
    assert.equal(byNode.bad!.status, "failed");
    assert.ok(byNode.bad!.error instanceof NodeExecutionError);
    assert.equal(byNode.bad!.attempts, 1);
    for (const name of ["child", "grandchild"]) {
      const r = byNode[name]!;
      assert.equal(r.status, "skipped");
      assert.ok(r.error instanceof NodeSkippedError);
      assert.equal((r.error as NodeSkippedError).failedAncestor, "bad");
      assert.equal(r.attempts, 0);
    }
    assert.equal(byNode.free!.status, "done");
    assert.equal(byNode.other!.status, "done");
    assert.deepEqual(probe.started.sort(), ["bad", "free", "other"]);
    assert.deepEqual(log.nodes("node:skipped").sort(), ["child", "grandchild"]);
    assert.deepEqual(log.nodes("node:failed"), ["bad"]);
  });

  it("rejects run with GraphExecutionError holding the outputs and every error", async () => {
    const { graph, probe, container } = setup({ bad: {}, child: { a: "bad" }, free: {}, bad2: {} });
    probe.on("bad", () => {
      throw boom;
    });
    probe.on("bad2", () => Promise.reject(new Error("bang")));
    const error = await execute(graph, { container, onError: "continue" }).catch((e) => e);
    assert.ok(error instanceof GraphExecutionError);
    assert.deepEqual(Object.keys(error.outputs), ["free"]);
    assert.equal((error.outputs.free as O).o, 1);
    assert.deepEqual(Object.keys(error.errors).sort(), ["bad", "bad2", "child"]);
    assert.ok(error.errors.child instanceof NodeSkippedError);
    assert.match(error.message, /3 nodes did not complete/);
  });
});

describe("timeouts", () => {
  it("fails a node that exceeds the run's timeoutMs with NodeTimeoutError, even if it ignores its signal", async () => {
    const { graph, probe, container } = setup({ a: {}, b: {} });
    probe.hold("a"); // never released: a ignores everything
    let signal: AbortSignal | undefined;
    probe.on("b", (_, ctx) => {
      signal = ctx.signal;
      return new Promise(() => {});
    });
    const error = await execute(graph, { container, timeoutMs: 20, onError: "continue" }).catch((e) => e);
    assert.ok(error instanceof GraphExecutionError);
    for (const name of ["a", "b"]) {
      const failure: unknown = error.errors[name];
      assert.ok(failure instanceof NodeTimeoutError, name);
      assert.ok(failure instanceof NodeExecutionError);
      assert.equal(failure.node, name);
      assert.equal(failure.timeoutMs, 20);
      assert.equal(failure.attempts, 1);
    }
    assert.equal(signal?.aborted, true);
    assert.ok(signal?.reason instanceof NodeTimeoutError);
  });

  it("lets a node's own @Node({ timeoutMs }) win over the run's", async () => {
    @Node({ input: NoInput, output: O, timeoutMs: 10 })
    class Hangs {
      execute(_: NoInput, ctx: NodeContext) {
        return new Promise((_, reject) =>
          ctx.signal.addEventListener("abort", () => reject(ctx.signal.reason)),
        );
      }
    }
    const error = await execute(buildGraph({ h: { node: Hangs, inputs: {} } }), { timeoutMs: 60_000 }).catch(
      (e) => e,
    );
    assert.ok(error instanceof NodeTimeoutError);
    assert.equal(error.timeoutMs, 10);
  });
});

describe("retries", () => {
  it("retries thrown errors: attempt counts, ctx.attempt, node:retry events", async () => {
    const { graph, probe, container } = setup({ flaky: {}, next: { a: "flaky" } });
    probe.on("flaky", (_, ctx) => {
      if (ctx.attempt < 3) throw new Error(`try ${ctx.attempt}`);
      return { o: 7 };
    });
    const log = new EventLog();
    const results: NodeResult[] = [];
    for await (const r of executeStream(graph, { container, retries: 3, onEvent: log.onEvent }))
      results.push(r);
    assert.deepEqual(
      probe.contexts.get("flaky")!.map((c) => c.attempt),
      [1, 2, 3],
    );
    assert.equal(results.find((r) => r.node === "flaky")!.attempts, 3);
    assert.equal(results.find((r) => r.node === "next")!.attempts, 1);
    assert.deepEqual(log.types("flaky"), ["node:start", "node:retry", "node:retry", "node:done"]);
    const retries = log.events.filter((e) => e.type === "node:retry");
    assert.deepEqual(
      retries.map((e) => [e.attempt, e.error?.message]),
      [
        [2, "try 1"],
        [3, "try 2"],
      ],
    );
    assert.equal(log.events.find((e) => e.type === "node:done" && e.node === "flaky")!.attempt, 3);
  });

  it("gives up after `retries` retries: attempts = retries + 1", async () => {
    const { graph, probe, container } = setup({ a: {} });
    probe.on("a", () => {
      throw boom;
    });
    const error = await execute(graph, { container, retries: { attempts: 2 } }).catch((e) => e);
    assert.ok(error instanceof NodeExecutionError);
    assert.equal(error.attempts, 3);
    assert.equal(error.cause, boom);
    assert.equal(probe.started.length, 3);
  });

  it("retries timeouts", async () => {
    const { graph, probe, container } = setup({ a: {} });
    probe.on("a", (_, ctx) => (ctx.attempt === 1 ? new Promise(() => {}) : { o: 5 }));
    const out = await execute(graph, { container, retries: 1, timeoutMs: 10 });
    assert.equal((out.a as O).o, 5);
  });

  it("does not retry invalid outputs", async () => {
    const { graph, probe, container } = setup({ a: {} });
    probe.on("a", () => ({ o: "x" }));
    const error = await execute(graph, { container, retries: 5 }).catch((e) => e);
    assert.ok(error.cause instanceof NodeOutputError);
    assert.equal(error.attempts, 1);
    assert.equal(probe.started.length, 1);
  });

  it("lets a node's own @Node({ retries }) win over the run's", async () => {
    let tries = 0;
    @Node({ input: NoInput, output: O, retries: 1 })
    class TriesTwice {
      execute() {
        tries++;
        throw boom;
      }
    }
    const error = await execute(buildGraph({ t: { node: TriesTwice, inputs: {} } }), { retries: 10 }).catch(
      (e) => e,
    );
    assert.equal(error.attempts, 2);
    assert.equal(tries, 2);
  });

  it("waits backoffMs × factor^(k−1) before retry k (mocked timers)", async (t) => {
    t.mock.timers.enable({ apis: ["setTimeout"] });
    const { graph, probe, container } = setup({ a: {} });
    probe.on("a", (_, ctx) => {
      if (ctx.attempt < 4) throw new Error(`try ${ctx.attempt}`);
      return { o: 1 };
    });
    const running = execute(graph, { container, retries: { attempts: 3, backoffMs: 100, factor: 3 } });
    const tries = () => probe.started.length;
    const settle = async () => {
      for (let k = 0; k < 10; k++) await Promise.resolve();
    };
    await settle();
    assert.equal(tries(), 1);
    for (const wait of [100, 300, 900]) {
      t.mock.timers.tick(wait - 1);
      await settle();
      assert.equal(tries(), [100, 300, 900].indexOf(wait) + 1, `not before ${wait} ms`);
      t.mock.timers.tick(1);
      await settle();
      assert.equal(tries(), [100, 300, 900].indexOf(wait) + 2, `after ${wait} ms`);
    }
    assert.equal(((await running).a as O).o, 1);
  });
});

describe("bad options", () => {
  it("rejects with ExecutionOptionsError naming the option", async () => {
    const { graph } = setup({ a: {} });
    for (const [options, option] of [
      [{ concurrency: 0 }, "concurrency"],
      [{ concurrency: 1.5 }, "concurrency"],
      [{ timeoutMs: -1 }, "timeoutMs"],
      [{ retries: -1 }, "retries"],
      [{ onError: "ignore" }, "onError"],
      [{ retain: "some" }, "retain"],
      [{ targets: "a" }, "targets"],
      [{ signal: {} }, "signal"],
    ] as const) {
      const error = await execute(graph, options as never).catch((e) => e);
      assert.ok(error instanceof ExecutionOptionsError, JSON.stringify(options));
      assert.equal(error.option, option);
    }
    assert.throws(() => executeStream(graph, { concurrency: -1 }), ExecutionOptionsError);
    await assert.rejects(execute({} as never), ExecutionOptionsError);
  });

  it("rejects an unknown target with GraphValidationError", async () => {
    const { graph, container } = setup({ alpha: {} });
    const error = await execute(graph, { container, targets: ["alpah"] }).catch((e) => e);
    assert.ok(error instanceof GraphValidationError);
    assert.match(error.message, /did you mean "alpha"/);
  });
});

describe("a throwing onEvent listener", () => {
  it("fails the run with its error instead of being swallowed", async () => {
    const { graph, container } = setup({ a: {}, b: { a: "a" } });
    const oops = new Error("listener broke");
    const error = await execute(graph, {
      container,
      onEvent: (e) => {
        if (e.type === "node:done") throw oops;
      },
    }).catch((e) => e);
    assert.equal(error, oops);
  });
});
