// Regression tests of issue 12 (hostile inputs and faults) for the executor and runNode: timer overflow,
// aborts during fast retries, odd abort reasons and thrown values, nested runs with colliding node names.
import "reflect-metadata";
import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import { container as rootContainer } from "tsyringe";
import {
  buildGraph,
  ExecutionAbortedError,
  ExecutionOptionsError,
  execute,
  executeStream,
  Node,
  NodeDefinitionError,
  NodeExecutionError,
  type NodeResult,
  NodeTimeoutError,
  runNode,
} from "../../src/index";
import { NoInput, O } from "../fixtures/data-classes";
import { flush, setup, watchUnhandledRejections } from "./helpers";

const unhandled = watchUnhandledRejections();
after(() => assert.deepEqual(unhandled.seen, [], "no unhandled rejection"));

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

@Node({ name: "HostileNap", input: NoInput, output: O })
class Nap {
  async execute(): Promise<O> {
    await sleep(40);
    return { o: 1 };
  }
}

@Node({ name: "HostileNapWithLongLimit", input: NoInput, output: O, timeoutMs: 2 ** 31 })
class NapWithLongLimit {
  async execute(): Promise<O> {
    await sleep(40);
    return { o: 2 };
  }
}

/** Odd values a node may throw or a signal may carry: none may break the scheduler or a message. */
function oddValues(): [string, unknown][] {
  const throwingToString = {
    toString() {
      throw new Error("no string for you");
    },
  };
  const hostileProxy = new Proxy(
    {},
    {
      get() {
        throw new Error("trap");
      },
      getPrototypeOf() {
        throw new Error("trap");
      },
    },
  );
  return [
    ["an object without prototype", Object.create(null)],
    ["a symbol", Symbol("odd")],
    ["an object whose toString throws", throwingToString],
    ["a Proxy whose traps throw", hostileProxy],
    ["a string", "plain text"],
    ["undefined", undefined],
  ];
}

describe("timer overflow (issue 12 #4): limits beyond 2^31 − 1 ms never fire after 1 ms", () => {
  for (const timeoutMs of [2 ** 31, 1e12, Infinity]) {
    it(`execute with timeoutMs ${timeoutMs} runs a 40 ms node to its end`, async () => {
      const out = await execute(buildGraph({ n: { node: Nap, inputs: {} } }), { timeoutMs });
      assert.deepEqual({ ...out.n }, { o: 1 });
    });
  }

  it("@Node({ timeoutMs: 2 ** 31 }) runs a 40 ms node to its end, in a graph and through runNode", async () => {
    const out = await execute(buildGraph({ n: { node: NapWithLongLimit, inputs: {} } }));
    assert.deepEqual({ ...out.n }, { o: 2 });
    assert.deepEqual({ ...(await runNode(NapWithLongLimit, {})) }, { o: 2 });
  });

  it("runNode with timeoutMs 2 ** 31 runs a 40 ms node to its end", async () => {
    assert.deepEqual({ ...(await runNode(Nap, {}, { timeoutMs: 2 ** 31 })) }, { o: 1 });
  });

  it("a short limit still times out", async () => {
    await assert.rejects(runNode(Nap, {}, { timeoutMs: 5 }), NodeTimeoutError);
  });

  for (const bad of [-5, 0, Number.NaN, "abc", null, -Infinity]) {
    it(`runNode rejects timeoutMs ${String(bad)} with ExecutionOptionsError naming the option and the range`, async () => {
      const error = await runNode(Nap, {}, { timeoutMs: bad as number }).catch((e) => e);
      assert.ok(error instanceof ExecutionOptionsError, String(error));
      assert.equal(error.option, "timeoutMs");
      assert.match(error.message, /positive number of milliseconds/);
    });
  }

  it("execute rejects a negative or non-numeric timeoutMs / cacheTimeoutMs", async () => {
    const graph = buildGraph({ n: { node: Nap, inputs: {} } });
    for (const options of [{ timeoutMs: -5 }, { timeoutMs: "abc" }, { cacheTimeoutMs: Number.NaN }]) {
      await assert.rejects(execute(graph, options as never), ExecutionOptionsError);
    }
  });

  for (const backoffMs of [1e10, Infinity, -1, Number.NaN]) {
    it(`retries.backoffMs ${backoffMs} is a typed error naming the range (options and @Node)`, async () => {
      const error = await execute(buildGraph({ n: { node: Nap, inputs: {} } }), {
        retries: { attempts: 2, backoffMs },
      }).catch((e) => e);
      assert.ok(error instanceof ExecutionOptionsError, String(error));
      assert.equal(error.option, "retries");
      assert.match(error.message, /backoffMs must be a number of milliseconds from 0 to 2147483647/);
      assert.throws(() => {
        @Node({
          name: `HostileBackoff${backoffMs}`,
          input: NoInput,
          output: O,
          retries: { attempts: 1, backoffMs },
        })
        class Backoff {
          execute() {
            return { o: 1 };
          }
        }
        return Backoff;
      }, NodeDefinitionError);
    });
  }

  it("@Node({ timeoutMs: -5 }) is a NodeDefinitionError", () => {
    assert.throws(() => {
      @Node({ name: "HostileNegativeLimit", input: NoInput, output: O, timeoutMs: -5 })
      class Negative {
        execute() {
          return { o: 1 };
        }
      }
      return Negative;
    }, /timeoutMs must be a positive number of milliseconds/);
  });

  it("a backoff that grows past the longest timer waits (until aborted) instead of retrying at once", async () => {
    const { graph, probe, container } = setup({ f: {} });
    probe.on("f", () => {
      throw new Error("flaky");
    });
    const controller = new AbortController();
    const running = execute(graph, {
      container,
      signal: controller.signal,
      retries: { attempts: 5, backoffMs: 1, factor: 1e300 },
    });
    await sleep(60);
    assert.ok(probe.started.length <= 2, `${probe.started.length} tries within 60 ms`);
    controller.abort("enough");
    await assert.rejects(running, ExecutionAbortedError);
  });
});

describe("abort during fast retries (issue 12 #5)", () => {
  for (const how of ["execute", "executeStream"] as const) {
    it(`${how}: a node that fails at once with 300,000 retries ends with ExecutionAbortedError on abort`, async () => {
      const { graph, probe, container } = setup({ f: {} });
      probe.on("f", () => Promise.reject(new Error("always")));
      const controller = new AbortController();
      setTimeout(() => controller.abort("stop"), 50);
      const options = { container, signal: controller.signal, retries: 300_000 };
      const error =
        how === "execute"
          ? await execute(graph, options).catch((e) => e)
          : await (async () => {
              for await (const _ of executeStream(graph, options));
            })().catch((e) => e);
      assert.ok(error instanceof ExecutionAbortedError, String(error));
      assert.ok(probe.started.length < 300_001, "the retries stopped");
    });
  }
});

describe("odd abort reasons (issue 12 #6)", () => {
  for (const [what, reason] of oddValues()) {
    it(`abort(${what}) rejects with an ExecutionAbortedError that describes it`, async () => {
      const { graph, probe, container } = setup({ a: {} });
      probe.hold("a");
      const controller = new AbortController();
      const running = execute(graph, { container, signal: controller.signal });
      await flush();
      controller.abort(reason);
      const error = await running.catch((e) => e);
      assert.ok(error instanceof ExecutionAbortedError);
      assert.equal(error.reason, controller.signal.reason);
      assert.match(error.message, /^Execution aborted/);

      const node = new AbortController();
      const single = runNode(Nap, {}, { signal: node.signal });
      node.abort(reason);
      const nodeError = await single.catch((e) => e);
      assert.ok(nodeError instanceof ExecutionAbortedError);
    });
  }

  it("says an abort once: abort(new ExecutionAbortedError(…)) keeps its message", async () => {
    const { graph, probe, container } = setup({ a: {} });
    probe.hold("a");
    const controller = new AbortController();
    const running = execute(graph, { container, signal: controller.signal });
    await flush();
    controller.abort(new ExecutionAbortedError("interrupted (Ctrl-C)"));
    const error = await running.catch((e) => e);
    assert.equal(error.message, "Execution aborted: interrupted (Ctrl-C)");
    assert.equal(
      probe.contexts.get("a")![0]!.signal.reason.message,
      "Execution aborted: interrupted (Ctrl-C)",
    );
  });
});

describe("a node that throws an odd value (issue 12 #7)", () => {
  for (const [what, thrown] of oddValues()) {
    it(`throwing ${what} in "continue" mode: a NodeExecutionError, other nodes unaffected, every result yielded`, async () => {
      const { graph, probe, container } = setup({ bad: {}, after: { a: "bad" }, other: {} });
      probe.on("bad", () => {
        throw thrown;
      });
      const other = probe.hold("other");
      const results: NodeResult[] = [];
      const done = (async () => {
        for await (const r of executeStream(graph, { container, onError: "continue", retries: 1 }))
          results.push(r);
      })();
      await flush();
      await flush();
      other.resolve(7);
      await done;
      const byNode = Object.fromEntries(results.map((r) => [r.node, r]));
      assert.deepEqual(Object.keys(byNode).sort(), ["after", "bad", "other"]);
      assert.equal(byNode.bad!.status, "failed");
      assert.ok(byNode.bad!.error instanceof NodeExecutionError);
      assert.equal((byNode.bad!.error as NodeExecutionError).attempts, 2);
      assert.match(byNode.bad!.error!.message, /^Node "bad" failed after 2 attempts: /);
      assert.equal(byNode.bad!.error!.cause, thrown);
      assert.equal(byNode.after!.status, "skipped");
      assert.equal(byNode.other!.status, "done");
      assert.equal(probe.contexts.get("other")![0]!.signal.aborted, false);
    });
  }
});

describe("errors are attributed to the right run (nested graphs)", () => {
  it("a node running a graph with a node of the same name reports its own tries, the inner failure as cause", async () => {
    const inner = setup({ x: {} });
    inner.probe.on("x", () => {
      throw new Error("inner boom");
    });
    const outer = setup({ x: {} });
    outer.probe.on("x", () => execute(inner.graph, { container: inner.container, retries: 2 }));
    const error = await execute(outer.graph, { container: outer.container }).catch((e) => e);
    assert.ok(error instanceof NodeExecutionError);
    assert.equal(error.node, "x");
    assert.equal(error.attempts, 1);
    assert.ok(error.cause instanceof NodeExecutionError);
    assert.equal((error.cause as NodeExecutionError).attempts, 3);
    assert.match(
      error.message,
      /^Node "x" failed after 1 attempt: Node "x" failed after 3 attempts: inner boom/,
    );
  });
});

// keep the root container clean for the other files
after(() => rootContainer.clearInstances());
