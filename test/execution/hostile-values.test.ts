import "reflect-metadata";
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { container } from "tsyringe";
import {
  buildGraph,
  CacheProvider,
  DataValidationError,
  execute,
  GraphValidationError,
  MemoryCacheProvider,
  Node,
  NodeArgumentsError,
  NodeExecutionError,
  NodeOutputError,
  runNode,
} from "../../src/index";
import {
  describeBuiltIn,
  Echo,
  EchoArgument,
  EchoIn,
  EchoOut,
  MatchDefault,
  UseBuiltIn,
} from "../fixtures/echo-nodes";

const deep = (n: number): unknown => {
  let value: unknown = 0;
  for (let i = 0; i < n; i++) value = [value];
  return value;
};

/** Returns a value nested 5,000 levels deep. */
@Node({ input: EchoIn, output: EchoOut, name: "DeepOutput" })
class DeepOutput {
  execute(): EchoOut {
    return { data: deep(5000) };
  }
}

/** Returns an array with a hole. */
@Node({ input: EchoIn, output: EchoOut, name: "SparseOutput" })
class SparseOutput {
  execute(): EchoOut {
    // biome-ignore lint/suspicious/noSparseArray: the point of the test
    return { data: [1, , 3] };
  }
}

const rejectsWith = async (promise: Promise<unknown>, check: (error: unknown) => void) => {
  try {
    await promise;
  } catch (error) {
    check(error);
    return;
  }
  assert.fail("expected a rejection");
};

describe("regression: deep and cyclic values at run time (issue 12 item 1)", () => {
  it("runNode with an input 5,000 levels deep rejects with DataValidationError naming the path and the limit", async () => {
    await rejectsWith(runNode(Echo, { data: deep(5000) }), (error) => {
      assert.ok(error instanceof DataValidationError, String(error));
      assert.equal(error.issues[0]!.path.slice(0, 12), "data[0][0][0");
      assert.match(error.message, /more than 500 levels/);
    });
  });

  it("runNode with a cyclic input rejects with DataValidationError, not a RangeError", async () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    await rejectsWith(runNode(Echo, { data: cyclic }), (error) => {
      assert.ok(error instanceof DataValidationError, String(error));
      assert.deepEqual(error.issues[0], {
        path: "data.self",
        constraints: { cycle: "it is a cycle back to one of its containers" },
      });
    });
  });

  it("runNode with a deep or cyclic argument rejects with NodeArgumentsError", async () => {
    const cyclic: unknown[] = [];
    cyclic.push(cyclic);
    for (const value of [deep(5000), cyclic]) {
      await rejectsWith(runNode(EchoArgument, {}, { args: { value } }), (error) => {
        assert.ok(error instanceof NodeArgumentsError, String(error));
        assert.match(error.message, /value\[0\]/);
      });
    }
  });

  it("a node returning 5,000 levels is a NodeOutputError (runNode) / NodeExecutionError (execute)", async () => {
    await rejectsWith(runNode(DeepOutput, {}), (error) => {
      assert.ok(error instanceof NodeOutputError, String(error));
      assert.match(error.message, /more than 500 levels/);
    });
    await rejectsWith(execute(buildGraph({ a: { node: DeepOutput, inputs: {} } })), (error) => {
      assert.ok(error instanceof NodeExecutionError, String(error));
    });
  });

  it("values at the limit go through runNode, execute and the cache unchanged", async () => {
    const data = deep(500);
    assert.deepStrictEqual((await runNode(Echo, { data })).data, data);
    const child = container.createChildContainer();
    child.register(CacheProvider, { useValue: new MemoryCacheProvider() });
    const graph = buildGraph({ a: { node: "Echo", inputs: { data } } });
    assert.deepStrictEqual(((await execute(graph, { container: child })).a as EchoOut).data, data);
    // the second run reads the cache (codec)
    assert.deepStrictEqual(((await execute(graph, { container: child })).a as EchoOut).data, data);
  });

  it("an input with a throwing getter is a DataValidationError with the path", async () => {
    const data = { list: [{}] };
    Object.defineProperty(data.list[0], "bad", {
      enumerable: true,
      get() {
        throw new Error("boom");
      },
    });
    await rejectsWith(runNode(Echo, { data }), (error) => {
      assert.ok(error instanceof DataValidationError, String(error));
      assert.equal(error.issues[0]!.path, "data.list[0].bad");
      assert.match(error.message, /boom/);
    });
  });
});

describe("regression: sparse arrays at run time (issue 12 item 3)", () => {
  it("runNode hands the node [1, undefined, 3] for [1, , 3]", async () => {
    // biome-ignore lint/suspicious/noSparseArray: the point of the test
    const out = await runNode(Echo, { data: [1, , 3] });
    assert.deepStrictEqual(out.data, [1, undefined, 3]);
  });

  it("a node's output with a hole keeps the position as undefined", async () => {
    assert.deepStrictEqual((await runNode(SparseOutput, {})).data, [1, undefined, 3]);
  });
});

describe("regression: keys that class-transformer skips", () => {
  it("constructor, toString and __proto__ keys reach the node, as the hash saw them", async () => {
    const data = { constructor: 1, toString: "x", nested: [{ hasOwnProperty: 2 }] };
    Object.defineProperty(data, "__proto__", {
      value: { p: 1 },
      enumerable: true,
      writable: true,
      configurable: true,
    });
    const keys = ["constructor", "toString", "nested", "__proto__"];
    const direct = (await runNode(Echo, { data })).data as object;
    assert.deepEqual(Object.keys(direct), keys);
    assert.equal(Object.getPrototypeOf(direct), Object.prototype);
    const viaGraph = ((await execute(buildGraph({ a: { node: "Echo", inputs: { data } } }))).a as EchoOut)
      .data;
    assert.deepEqual(Object.keys(viaGraph as object), keys);
    assert.deepEqual((viaGraph as { nested: unknown }).nested, [{ hasOwnProperty: 2 }]);
  });
});

describe("regression: arguments of built-in classes (issue 12 item 14)", () => {
  it("an argument defaulting to /a+/ works in runNode and in a graph", async () => {
    assert.equal((await runNode(MatchDefault, { data: "baaad" })).data, "aaa");
    const outputs = await execute(buildGraph({ m: { node: "MatchDefault", inputs: { data: "caab" } } }));
    assert.equal((outputs.m as EchoOut).data, "aa");
  });

  const values: [string, () => unknown][] = [
    ["RegExp", () => /a+/gi],
    ["DataView", () => new DataView(new Uint8Array([7, 8, 9]).buffer, 1)],
    ["ArrayBuffer", () => new Uint8Array([1, 2]).buffer],
    ["Uint8Array", () => new Uint8Array([3, 4, 5])],
    ["Float64Array", () => new Float64Array([1.5, -2])],
    ["Buffer", () => Buffer.from("hi")],
    ["Date", () => new Date(86_400_000)],
    ["Map", () => new Map([["k", 1]])],
    ["Set", () => new Set(["s"])],
  ];
  for (const [name, make] of values) {
    it(`a ${name} argument reaches the node as a working ${name} (runNode and graph)`, async () => {
      const expected = describeBuiltIn(make());
      assert.equal((await runNode(UseBuiltIn, {}, { args: { value: make() } })).data, expected);
      const graph = buildGraph({ u: { node: "UseBuiltIn", arguments: { value: make() }, inputs: {} } });
      assert.equal(((await execute(graph)).u as EchoOut).data, expected);
    });
  }

  it("a node that mutates a built-in argument does not change it for the next run", async () => {
    const graph = buildGraph({
      u: { node: "EchoArgument", arguments: { value: new Map([["k", 1]]) }, inputs: {} },
    });
    const first = ((await execute(graph)).u as EchoOut).data as Map<string, number>;
    first.set("k", 99);
    const second = ((await execute(graph)).u as EchoOut).data as Map<string, number>;
    assert.equal(second.get("k"), 1);
  });

  it("a URL argument is refused with a message saying what to pass instead", async () => {
    await rejectsWith(
      runNode(EchoArgument, {}, { args: { value: new URL("https://example.com/") } }),
      (error) => {
        assert.ok(error instanceof NodeArgumentsError, String(error));
        assert.match(error.message, /URL objects keep their state out of their own fields; pass url\.href/);
      },
    );
    assert.throws(
      () =>
        buildGraph({
          u: { node: "EchoArgument", arguments: { value: new URL("https://a.example/") }, inputs: {} },
        }),
      (error: unknown) =>
        error instanceof GraphValidationError &&
        error.issues[0]!.code === "unhashable" &&
        error.issues[0]!.path === "u.arguments.value" &&
        /pass url\.href/.test(error.message),
    );
  });
});

void [DeepOutput, SparseOutput, Echo, EchoArgument, MatchDefault, UseBuiltIn];
