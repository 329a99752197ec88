import "reflect-metadata";
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  buildGraph,
  execute,
  type GraphIssue,
  type GraphSpec,
  GraphSpecBuilder,
  GraphValidationError,
} from "../../src/index";
import { Echo } from "../fixtures/echo-nodes";

/** `n` nested arrays (or objects) around 0. */
const deep = (n: number, kind: "array" | "object" = "array"): unknown => {
  let value: unknown = 0;
  for (let i = 0; i < n; i++) value = kind === "array" ? [value] : { d: value };
  return value;
};

function issuesOf(spec: unknown): GraphIssue[] {
  try {
    buildGraph(spec as GraphSpec);
  } catch (error) {
    assert.ok(error instanceof GraphValidationError, `expected GraphValidationError, got ${error}`);
    return [...error.issues];
  }
  assert.fail("expected the spec to be rejected");
}

const echo = (data: unknown, args?: unknown): GraphSpec =>
  ({
    a: { node: "Echo", ...(args === undefined ? {} : { arguments: args }), inputs: { data } },
  }) as GraphSpec;

describe("regression: deep and cyclic literals (issue 12 item 1)", () => {
  for (const kind of ["array", "object"] as const) {
    it(`a literal of 5,000 nested ${kind}s is a too-deep issue naming the path and the limit`, () => {
      const [issue, ...rest] = issuesOf(echo(deep(5000, kind)));
      assert.equal(rest.length, 0);
      assert.equal(issue!.code, "too-deep");
      assert.match(issue!.path, kind === "array" ? /^a\.inputs\.data\[0\]\[0\]/ : /^a\.inputs\.data\.d\.d/);
      assert.ok(issue!.path.length < 200, issue!.path);
      assert.match(issue!.message, /more than 500 levels/);
    });
  }

  it("a literal at the limit (500 levels in the field) builds, runs and comes back equal", async () => {
    const data = deep(500);
    const outputs = await execute(buildGraph(echo(data)));
    assert.deepStrictEqual((outputs.a as { data: unknown }).data, data);
    assert.equal(issuesOf(echo(deep(501)))[0]!.code, "too-deep");
  });

  it("an argument of 5,000 nested arrays is a too-deep issue", () => {
    const spec = { a: { node: "EchoArgument", arguments: { value: deep(5000) }, inputs: {} } };
    const [issue] = issuesOf(spec);
    assert.equal(issue!.code, "too-deep");
    assert.match(issue!.path, /^a\.arguments\.value\[0\]/);
  });

  it("a cyclic literal or argument is an unhashable issue with the path, never a RangeError", () => {
    const cyclic: Record<string, unknown> = { list: [1] };
    (cyclic.list as unknown[]).push(cyclic);
    const [input] = issuesOf(echo(cyclic));
    assert.deepEqual([input!.code, input!.path], ["unhashable", "a.inputs.data.list[1]"]);
    assert.match(input!.message, /cycle/);
    const [arg] = issuesOf({ a: { node: "EchoArgument", arguments: { value: cyclic }, inputs: {} } });
    assert.equal(arg!.code, "unhashable");
    assert.match(arg!.path, /^a\.arguments\.value\.list\[1\]/);
  });
});

describe("regression: a 150,000-node cycle (issue 12 item 2)", () => {
  it("is one cycle issue with an abbreviated message, not a RangeError", () => {
    const n = 150_000;
    const spec: Record<string, unknown> = {};
    for (let i = 0; i < n; i++)
      spec[`n${i}`] = { node: "Echo", inputs: { data: `\${n${(i + n - 1) % n}.data}` } };
    const issues = issuesOf(spec);
    assert.equal(issues.length, 1);
    assert.equal(issues[0]!.code, "cycle");
    assert.match(
      issues[0]!.message,
      /^cycle: n0 -> n1 -> n2 -> n3 -> n4 -> n5 -> …\(149991 more of 150000 nodes\)… -> n149997 -> n149998 -> n149999 -> n0\. /,
    );
  });

  it("short cycles are still spelled out whole", () => {
    const spec = {
      p: { node: "Echo", inputs: { data: "${q.data}" } },
      q: { node: "Echo", inputs: { data: "${p.data}" } },
    };
    assert.match(issuesOf(spec)[0]!.message, /^cycle: p -> q -> p\./);
  });
});

describe("regression: sparse arrays (issue 12 item 3)", () => {
  it("a hole reaches the node as undefined, as the hash saw it, not dropped", async () => {
    // biome-ignore lint/suspicious/noSparseArray: the point of the test
    const sparse = [1, , 3];
    const graph = buildGraph(echo(sparse));
    assert.equal(graph.hashOf("a"), buildGraph(echo([1, undefined, 3])).hashOf("a"));
    const data = ((await execute(graph)).a as { data: unknown[] }).data;
    assert.equal(data.length, 3);
    assert.deepStrictEqual(data, [1, undefined, 3]);
  });

  it("nested holes too, and in arguments", async () => {
    // biome-ignore lint/suspicious/noSparseArray: the point of the test
    const nested = { list: [[, "x"], 2] };
    const out = ((await execute(buildGraph(echo(nested)))).a as { data: unknown }).data;
    assert.deepStrictEqual(out, { list: [[undefined, "x"], 2] });
    // biome-ignore lint/suspicious/noSparseArray: the point of the test
    const spec = { a: { node: "EchoArgument", arguments: { value: [, 2] }, inputs: {} } };
    const arg = ((await execute(buildGraph(spec as GraphSpec))).a as { data: unknown }).data;
    assert.deepStrictEqual(arg, [undefined, 2]);
  });
});

describe("regression: a spec or entry that is not a plain object (issue 12 item 13)", () => {
  class SpecLike {
    a = { node: "Echo", inputs: { data: 1 } };
  }
  for (const [label, spec, kind] of [
    ["a Map", new Map([["a", { node: "Echo", inputs: { data: 1 } }]]), "a Map"],
    ["a Date", new Date(0), "a Date"],
    ["an array", [{ node: "Echo", inputs: {} }], "an array"],
    ["a class instance", new SpecLike(), "a SpecLike"],
    ["null", null, "null"],
    ["a number", 42, "a number"],
    ["a string", "a: Echo", "a string"],
  ] as const) {
    it(`${label} as the spec is a GraphValidationError, not an empty graph`, () => {
      const [issue, ...rest] = issuesOf(spec);
      assert.equal(rest.length, 0);
      assert.equal(issue!.code, "invalid-spec");
      assert.ok(issue!.message.includes(`got ${kind}`), issue!.message);
    });
  }

  it("a node entry, inputs or arguments that is a Map or a class instance is an issue", () => {
    class Entry {
      node = "Echo";
      inputs = { data: 1 };
    }
    const codes = issuesOf({
      a: new Map([["node", "Echo"]]),
      b: new Entry(),
      c: { node: "Echo", inputs: new Map([["data", 1]]) },
      d: { node: "EchoArgument", arguments: new Map([["value", 1]]), inputs: {} },
    }).map((i) => `${i.code} ${i.path}`);
    assert.deepEqual(codes, [
      "invalid-entry a",
      "invalid-entry b",
      "invalid-inputs c.inputs",
      "invalid-argument d.arguments",
    ]);
  });

  it("still builds from a GraphSpecBuilder", () => {
    const spec = new GraphSpecBuilder();
    spec.node("a", Echo, { inputs: { data: 1 } });
    assert.deepEqual(buildGraph(spec).order, ["a"]);
  });
});

describe("regression: literals and arguments that throw when read (issue 12, poor messages)", () => {
  const throwing = () => {
    const value = { ok: 1 };
    Object.defineProperty(value, "bad", {
      enumerable: true,
      get() {
        throw new Error("boom");
      },
    });
    return value;
  };
  const trap = () =>
    new Proxy(
      { x: 1 },
      {
        ownKeys() {
          throw new Error("trap");
        },
      },
    );

  it("a throwing getter in a literal or an argument is an issue with its path", () => {
    const [input] = issuesOf(echo({ nested: [throwing()] }));
    assert.deepEqual([input!.code, input!.path], ["unhashable", "a.inputs.data.nested[0].bad"]);
    assert.match(input!.message, /boom/);
    const [arg] = issuesOf({ a: { node: "EchoArgument", arguments: { value: throwing() }, inputs: {} } });
    assert.equal(arg!.code, "unhashable");
    assert.match(arg!.path, /^a\.arguments\.value\.bad/);
  });

  it("a Proxy whose traps throw is an issue with its path; a well-behaved one is read as data", async () => {
    const [input] = issuesOf(echo({ p: trap() }));
    assert.deepEqual([input!.code, input!.path], ["unhashable", "a.inputs.data.p"]);
    const [arg] = issuesOf({ a: { node: "EchoArgument", arguments: { value: trap() }, inputs: {} } });
    assert.equal(arg!.code, "unhashable");
    const graph = buildGraph(echo(new Proxy({ x: [1, 2] }, {})));
    assert.equal(graph.hashOf("a"), buildGraph(echo({ x: [1, 2] })).hashOf("a"));
    assert.deepStrictEqual(((await execute(graph)).a as { data: unknown }).data, { x: [1, 2] });
  });

  it("a whole spec, entry or inputs object behind a throwing Proxy is an issue", () => {
    assert.equal(issuesOf(trap())[0]!.code, "invalid-spec");
    const codes = issuesOf({ a: trap(), b: { node: "Echo", inputs: trap() } }).map((i) => i.code);
    assert.deepEqual(codes, ["unreadable", "unreadable"]);
  });

  it("the graph keeps the literal and arguments its hash was computed from, whatever happens to the spec later", async () => {
    const data = { list: [1, 2] };
    const spec = {
      a: { node: "Echo", inputs: { data } },
      b: { node: "EchoArgument", arguments: { value: { n: 1 } }, inputs: {} },
    };
    const graph = buildGraph(spec);
    data.list.push(3);
    spec.b.arguments.value.n = 2;
    const outputs = await execute(graph);
    assert.deepStrictEqual((outputs.a as { data: unknown }).data, { list: [1, 2] });
    assert.deepStrictEqual((outputs.b as { data: unknown }).data, { n: 1 });
  });
});

describe("regression: messages quote at most a short excerpt of what the user wrote", () => {
  const huge = `\${${"x".repeat(10 * 1024 * 1024)}`;

  it("an invalid reference in a 10 MB literal gives a short message", () => {
    const error = (() => {
      try {
        buildGraph(echo(huge));
      } catch (e) {
        return e as GraphValidationError;
      }
    })()!;
    assert.equal(error.issues[0]!.code, "invalid-reference");
    assert.ok(error.message.length < 1000, `message of ${error.message.length} characters`);
    assert.match(error.message, /\(10485762 characters\)/);
  });

  it("huge node names, keys, class names and reference targets too", () => {
    const long = "n".repeat(1_000_000);
    const spec = {
      [`${long}!`]: { node: "Echo", inputs: {} },
      a: { node: long, inputs: {}, [long]: 1 },
      b: { node: "Echo", inputs: { data: `\${${long}.data}`, [long]: 1 } },
    };
    try {
      buildGraph(spec as GraphSpec);
      assert.fail("expected a GraphValidationError");
    } catch (error) {
      assert.ok(error instanceof GraphValidationError);
      assert.ok(error.message.length < 3000, `message of ${error.message.length} characters`);
      assert.ok(error.issues.every((i) => i.message.length < 600));
    }
  });
});

void Echo;
