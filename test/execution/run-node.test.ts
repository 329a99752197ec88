import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { IsInstance, IsInt, IsNumber, IsString } from "class-validator";
import {
  DataValidationError,
  ExecutionAbortedError,
  Input,
  Node,
  NodeArgumentsError,
  NodeOutputError,
  NodeTimeoutError,
  Output,
  runNode,
} from "../../src/index";
import { O, XY } from "../fixtures/data-classes";
import { AddMul, CountPoints, ReturnThis, Wait } from "../fixtures/nodes";

describe("runNode: the seed's eager single-node run", () => {
  it("runs AddMul and returns an O instance", async () => {
    const out = await runNode(AddMul, { x: 1, y: 2 }, { args: { coef: 2 } });
    assert.ok(out instanceof O);
    assert.equal(out.o, 6);
  });

  it("uses argument defaults from property initializers", async () => {
    const out = await runNode(AddMul, { x: 1, y: 2 });
    assert.equal(out.o, 3);
  });

  it("accepts an input instance as well as a plain object", async () => {
    const out = await runNode(AddMul, Object.assign(new (class AddInputLike {})(), { x: 2, y: 3 }));
    assert.equal(out.o, 5);
  });
});

describe("runNode: arguments", () => {
  it("reports unknown, missing and wrongly typed arguments together, naming the node", async () => {
    @Input()
    class In {
      @IsNumber() x!: number;
    }
    @Output()
    class Out {
      @IsNumber() o!: number;
    }
    @Node({ input: In, output: Out })
    class Scale {
      @IsInt() factor!: number;
      @IsString() unit = "m";
      @IsInt() offset = 0;
      async execute(input: In) {
        return { o: input.x * this.factor + this.offset };
      }
    }
    const error = await runNode(Scale, { x: 1 }, { args: { unit: 5, ofset: 1 } }).catch((e) => e);
    assert.ok(error instanceof NodeArgumentsError);
    assert.equal(error.node, "Scale");
    const paths = error.issues.map((i) => i.path).sort();
    assert.deepEqual(paths, ["factor", "ofset", "unit"]);
    assert.match(error.message, /"ofset" is not an argument of Scale; did you mean "offset"\?/);
    assert.match(error.message, /required argument "factor" \(Number\) is missing/);
    assert.match(error.message, /unit must be a string/);
    assert.match(error.message, /Scale declares the arguments: factor: Number, unit: String, offset: Number/);
    assert.equal((await runNode(Scale, { x: 2 }, { args: { factor: 3, offset: 1 } })).o, 7);
  });

  it("rejects an argument that violates a constraint", async () => {
    await assert.rejects(
      runNode(AddMul, { x: 1, y: 2 }, { args: { coef: -1 } }),
      /coef must not be less than 0/,
    );
    await assert.rejects(runNode(AddMul, { x: 1, y: 2 }, { args: { coef: 1.5 } }), NodeArgumentsError);
  });

  it("rejects arguments that are not an object", async () => {
    await assert.rejects(
      runNode(AddMul, { x: 1, y: 2 }, { args: [1] as never }),
      /arguments: must be an object, got an array/,
    );
  });
});

describe("runNode: input validation", () => {
  const at = "2024-05-01T00:00:00.000Z";
  it("reports missing, extra and wrongly typed fields together", async () => {
    const error = await runNode(AddMul, { x: "1", z: 3 } as never).catch((e) => e);
    assert.ok(error instanceof DataValidationError);
    assert.equal(error.node, "AddMul");
    assert.equal(error.role, "input");
    assert.deepEqual(error.issues.map((i) => i.path).sort(), ["x", "y", "z"]);
    assert.match(error.message, /input\.z: property z should not exist/);
    assert.match(error.message, /input\.x: x must be a number/);
  });

  it("rejects a non-object input", async () => {
    await assert.rejects(
      runNode(AddMul, undefined as never),
      /must be a XY or a plain object, got undefined/,
    );
    await assert.rejects(runNode(AddMul, [1, 2] as never), DataValidationError);
  });

  it("validates nested objects and arrays, with paths", async () => {
    const error = await runNode(CountPoints, {
      label: "l",
      points: [
        { px: 1, py: 2 },
        { px: "bad", py: 2 },
      ],
      at,
    }).catch((e) => e);
    assert.ok(error instanceof DataValidationError);
    assert.deepEqual(
      error.issues.map((i) => i.path),
      ["points[1].px"],
    );
  });

  it("converts ISO strings to Dates and rejects invalid dates", async () => {
    const out = await runNode(CountPoints, { label: "l", points: [], at });
    assert.deepEqual({ ...out }, { count: 0, label: "2024" });
    await assert.rejects(
      runNode(CountPoints, { label: "l", points: [], at: "not a date" }),
      /at must be a Date instance/,
    );
  });

  it("never mutates the caller's input, even when the node mutates its own", async () => {
    const input = { label: "l", points: [{ px: 1, py: 2 }], at: new Date(at) };
    const snapshot = structuredClone(input);
    const out = await runNode(CountPoints, input);
    assert.equal(out.count, 1);
    assert.deepEqual(input, snapshot);
  });
});

describe("runNode: output validation", () => {
  const wrong: [string, () => unknown, RegExp][] = [
    ["undefined", () => undefined, /got undefined/],
    ["a missing field", () => ({}), /output\.o: o must be a number/],
    ["a wrongly typed field", () => ({ o: "6" }), /output\.o: o must be a number/],
    ["an extra field", () => ({ o: 1, extra: true }), /output\.extra: property extra should not exist/],
    ["another class's output", () => ({ count: 1, label: "x" }), /property count should not exist/],
    ["a primitive", () => 6, /got a number/],
  ];
  for (const [what, result, message] of wrong) {
    it(`rejects ${what} with NodeOutputError naming the node`, async () => {
      const error = await runNode(ReturnThis, {}, { args: { result } }).catch((e) => e);
      assert.ok(error instanceof NodeOutputError, String(error));
      assert.equal(error.node, "ReturnThis");
      assert.equal(error.outputClass, "O");
      assert.match(error.message, message);
    });
  }

  it("accepts an instance of another class with the right fields and converts it", async () => {
    class Foreign {
      o = 4;
    }
    const out = await runNode(ReturnThis, {}, { args: { result: () => new Foreign() } });
    assert.ok(out instanceof O);
    assert.equal(out.o, 4);
  });

  it("keeps Map and Set fields intact, as copies", async () => {
    @Output()
    class Indexed {
      @IsInstance(Map) counts!: Map<string, number>;
      @IsInstance(Set) seen!: Set<string>;
    }
    const counts = new Map([["a", 1]]);
    const seen = new Set(["x"]);
    @Node({ input: XY, output: Indexed })
    class Index {
      async execute() {
        return { counts, seen };
      }
    }
    const out = await runNode(Index, { x: 1, y: 2 });
    assert.deepEqual(out.counts, new Map([["a", 1]]));
    assert.deepEqual(out.seen, new Set(["x"]));
    counts.set("a", 99);
    seen.add("late");
    assert.equal(out.counts.get("a"), 1);
    assert.equal(out.seen.has("late"), false);
  });

  it("returns an output the node cannot change afterwards", async () => {
    const kept = { o: 1 };
    const out = await runNode(ReturnThis, {}, { args: { result: () => kept } });
    kept.o = 99;
    assert.equal(out.o, 1);
  });

  it("passes the node's own error through", async () => {
    const boom = new Error("boom");
    await assert.rejects(
      runNode(
        ReturnThis,
        {},
        {
          args: {
            result: () => {
              throw boom;
            },
          },
        },
      ),
      (e) => e === boom,
    );
  });
});

describe("runNode: timeouts and abort", () => {
  it("times out with NodeTimeoutError and fires ctx.signal", async () => {
    const error = await runNode(Wait, {}, { args: { ms: 5_000 }, timeoutMs: 20 }).catch((e) => e);
    assert.ok(error instanceof NodeTimeoutError);
    assert.equal(error.timeoutMs, 20);
    assert.equal(error.node, "Wait");
  });

  it("rejects with ExecutionAbortedError when aborted, even if the node ignores its signal", async () => {
    const controller = new AbortController();
    const running = runNode(Wait, {}, { args: { ms: 400, ignoreSignal: true }, signal: controller.signal });
    setTimeout(() => controller.abort(new Error("user cancelled")), 10);
    const error = await running.catch((e) => e);
    assert.ok(error instanceof ExecutionAbortedError);
    assert.match(error.message, /user cancelled/);
  });

  it("rejects at once when the signal is already aborted", async () => {
    await assert.rejects(runNode(Wait, {}, { signal: AbortSignal.abort() }), ExecutionAbortedError);
  });
});
