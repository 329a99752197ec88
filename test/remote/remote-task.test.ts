import "reflect-metadata";
import assert from "node:assert/strict";
import { join } from "node:path";
import { describe, it } from "node:test";
import { container } from "tsyringe";
import { type PlainForm, toPlainForm } from "../../src/cache/plain-form";
import { NodeRefusedError } from "../../src/errors/node-refused-error";
import { NodeTransferError } from "../../src/errors/node-transfer-error";
import type { NodeTask } from "../../src/execution/node-dispatcher";
import {
  ExecutionAbortedError,
  NodeDefinitionError,
  NodeExecutionError,
  NodeOutputError,
  NodeTimeoutError,
} from "../../src/index";
import { getMetadataStore } from "../../src/metadata/metadata-store";
import type { NodeMetadata } from "../../src/metadata/types";
import { deserializeError, serializeError } from "../../src/remote/remote-error";
import { decodeTask, encodeTask, taskMessage } from "../../src/remote/remote-task";
import { runRemoteTask } from "../../src/remote/run-remote-task";
import { decodeResult, outputMessage } from "../../src/remote/task-result";
import { jsonLength, toWireData } from "../../src/remote/wire-data";
import { checkData } from "../../src/validation/validate-data";
import { AddMul } from "../fixtures/nodes";
import { QuotaError, RemoteRich, RemoteThrows, RichInput, Vec } from "../fixtures/remote-nodes";

const metaOf = (cls: Function): NodeMetadata => getMetadataStore().nodeByClass(cls)!;

function richInput(): RichInput {
  const checked = checkData(RichInput, {
    at: new Date(Date.UTC(2024, 1, 29, 12, 30, 45, 123)),
    counts: new Map([
      ["a", 1],
      ["b", -0],
    ]),
    tags: new Set(["x", "y"]),
    big: 2n ** 70n,
    samples: new Float64Array([1.5, Number.NaN, -Infinity]),
    bytes: new Uint8Array([0, 1, 255]),
    origin: { x: 3, y: 4 },
    path: [
      { x: 3, y: 4 },
      { x: 6, y: 8 },
    ],
  });
  assert.ok(checked.ok);
  return checked.value;
}

function taskOf(
  cls: Function,
  input: object,
  args: Record<string, unknown> = {},
  extra: Partial<NodeTask> = {},
) {
  const meta = metaOf(cls);
  const task: NodeTask = {
    name: "n1",
    hash: "h".repeat(64),
    nodeName: meta.name,
    nodeClass: cls as never,
    args,
    input,
    attempt: 2,
    timeoutMs: 5000,
    signal: new AbortController().signal,
    container,
    ...extra,
  };
  return { meta, task };
}

describe("@Node records its module", () => {
  it("records the compiled file that applied the decorator", () => {
    assert.equal(metaOf(RemoteRich).modulePath, join(__dirname, "..", "fixtures", "remote-nodes.js"));
    assert.equal(metaOf(AddMul).modulePath, join(__dirname, "..", "fixtures", "nodes.js"));
  });
});

describe("encodeTask / decodeTask", () => {
  it("round-trips Dates, Maps, Sets, bigints, typed arrays and nested classes", () => {
    const input = richInput();
    const { meta, task } = taskOf(RemoteRich, input, { label: "L" });
    const decoded = decodeTask(encodeTask(task, meta, { trace: { traceparent: "00-abc-def-01" } }), meta);
    assert.equal(decoded.name, "n1");
    assert.equal(decoded.nodeName, "RemoteRich");
    assert.equal(decoded.attempt, 2);
    assert.equal(decoded.timeoutMs, 5000);
    assert.deepEqual(decoded.modules, [meta.modulePath]);
    assert.deepEqual(decoded.trace, { traceparent: "00-abc-def-01" });
    assert.deepEqual(decoded.args, { label: "L" });
    const back = decoded.input as RichInput;
    assert.ok(back instanceof RichInput);
    assert.ok(back.origin instanceof Vec);
    assert.ok(back.path[1] instanceof Vec);
    assert.equal(back.path[1]!.norm(), 10);
    assert.deepEqual(back, input);
    assert.ok(Object.is(back.counts.get("b"), -0));
    assert.equal(back.big, 2n ** 70n);
    assert.equal(Object.getPrototypeOf(back.bytes), Uint8Array.prototype);
  });

  it("refuses an input that is not data with a NodeTransferError naming the path", () => {
    const { meta, task } = taskOf(RemoteRich, { ...richInput(), origin: { x: 1, y: 2, f: () => 1 } });
    assert.throws(
      () => encodeTask(task, meta),
      (error: unknown) =>
        error instanceof NodeTransferError && error.role === "input" && error.path === "input.origin.f",
    );
  });
});

describe("runRemoteTask", () => {
  it("runs the try like in-process and the output crosses back losslessly", async () => {
    const input = richInput();
    const { meta, task } = taskOf(RemoteRich, input, { label: "L" });
    const out = decodeResult(await runRemoteTask(encodeTask(task, meta)), "n1", meta) as Record<
      string,
      unknown
    >;
    assert.deepEqual(out.at, new Date(input.at.getTime() + 1000));
    assert.deepEqual(
      out.counts,
      new Map([
        ["a", 1],
        ["b", -0],
        ["seen", 2],
      ]),
    );
    assert.deepEqual(out.tags, new Set(["x", "y", "done"]));
    assert.equal(out.big, 2n ** 71n);
    assert.deepEqual(out.samples, new Float64Array([3, Number.NaN, -Infinity]));
    assert.deepEqual(out.bytes, new Uint8Array([255, 1, 0]));
    assert.ok(out.origin instanceof Vec);
    assert.equal(out.length, 15);
    assert.equal(out.label, "L");
  });

  it("refuses a task whose fingerprint differs, naming the class and both fingerprints", async () => {
    const { meta, task } = taskOf(AddMul, { x: 1, y: 2 }, {}, { nodeName: "RemoteRich" });
    let thrown: unknown;
    try {
      decodeResult(
        await runRemoteTask(encodeTask(task, meta), { worker: "box:42" }),
        "n1",
        metaOf(RemoteRich),
      );
    } catch (error) {
      thrown = error;
    }
    assert.ok(thrown instanceof NodeRefusedError);
    assert.ok(thrown instanceof NodeDefinitionError, "a definition error: not retried");
    assert.equal(thrown.className, "RemoteRich");
    assert.equal(thrown.worker, "box:42");
    assert.ok(thrown.actualFingerprint && thrown.expectedFingerprint !== thrown.actualFingerprint);
    assert.match(thrown.message, /RemoteRich/);
    assert.ok(thrown.message.includes(thrown.actualFingerprint!));
    assert.ok(thrown.message.includes(thrown.expectedFingerprint));
  });

  it("refuses a class it cannot register, saying which module failed", async () => {
    const { meta, task } = taskOf(AddMul, { x: 1, y: 2 }, {}, { nodeName: "NoSuchNode" });
    const bytes = encodeTask(task, { ...meta, modulePath: "/nowhere/missing-module.js" });
    let thrown: unknown;
    try {
      decodeResult(await runRemoteTask(bytes), "n1", meta);
    } catch (error) {
      thrown = error;
    }
    assert.ok(thrown instanceof NodeRefusedError);
    assert.equal(thrown.actualFingerprint, undefined);
    assert.match(thrown.message, /NoSuchNode/);
    assert.match(thrown.message, /missing-module\.js/);
  });

  it("gives the node's error back with its class name, message, fields, stack and cause", async () => {
    const { meta, task } = taskOf(RemoteThrows, {});
    let thrown: unknown;
    try {
      decodeResult(await runRemoteTask(encodeTask(task, meta)), "n1", meta);
    } catch (error) {
      thrown = error;
    }
    assert.ok(thrown instanceof Error);
    assert.ok(!(thrown instanceof QuotaError), "a user's class is not re-created");
    assert.equal(thrown.name, "QuotaError");
    assert.equal(thrown.message, "quota exceeded in n1");
    assert.equal((thrown as unknown as { quota: number }).quota, 3);
    assert.match(thrown.stack ?? "", /remote-nodes/);
    assert.ok(thrown.cause instanceof TypeError);
    assert.equal((thrown.cause as Error).message, "inner");
  });
});

describe("serializeError / deserializeError", () => {
  const roundTrip = (error: unknown) => deserializeError(serializeError(error));

  it("re-creates moirae errors as their own classes with their fields", () => {
    const issues = [{ path: "o", constraints: { isNumber: "o must be a number" } }];
    const output = roundTrip(new NodeOutputError("n", "AddMul", "AddOutput", issues));
    assert.ok(output instanceof NodeOutputError);
    assert.deepEqual(output.issues, issues);
    assert.equal(output.node, "n");

    const timeout = roundTrip(new NodeTimeoutError("slow", 250, 2));
    assert.ok(timeout instanceof NodeTimeoutError && timeout instanceof NodeExecutionError);
    assert.equal(timeout.timeoutMs, 250);
    assert.equal(timeout.attempts, 2);
    assert.equal(timeout.name, "NodeTimeoutError");
    assert.equal(timeout.message, new NodeTimeoutError("slow", 250, 2).message);

    const aborted = roundTrip(new ExecutionAbortedError(new RangeError("stop")));
    assert.ok(aborted instanceof ExecutionAbortedError);
    assert.ok(aborted.reason instanceof RangeError);
    assert.ok(aborted.cause instanceof RangeError);
  });

  it("keeps thrown values that are not errors, and survives fields that are not data", () => {
    assert.equal(roundTrip("plain string"), "plain string");
    assert.equal(roundTrip(42n), 42n);
    const odd = Object.assign(new Error("odd"), { fn: () => 1, when: new Date(5) });
    const back = roundTrip(odd) as Error & { fn?: unknown; when?: Date };
    assert.equal(back.message, "odd");
    assert.equal(back.fn, undefined);
    assert.deepEqual(back.when, new Date(5));
    const cyclic = new Error("loop");
    (cyclic as { cause?: unknown }).cause = cyclic;
    assert.equal((roundTrip(cyclic) as Error).message, "loop");
  });
});

describe("tasks and results as JSON (for transports that store JSON anyway)", () => {
  const viaJson = <T>(value: T): T => JSON.parse(JSON.stringify(value));

  it("jsonLength accepts exactly what JSON gives back, and stops at its limit", () => {
    const safe = { s: "a\u0000\ud800b", n: [1, -2.5, 2 ** 60, 0], b: true, z: null, o: { deep: [[{}]] } };
    const length = jsonLength(safe, 10_000);
    assert.ok(length >= JSON.stringify(safe).length * 0.8, `estimate ${length}`);
    assert.deepStrictEqual(viaJson(safe), safe);
    const unsafe: unknown[] = [
      { u: undefined },
      [undefined],
      // biome-ignore lint/suspicious/noSparseArray: a hole is what is tested
      [1, , 2],
      Number.NaN,
      Number.POSITIVE_INFINITY,
      -0,
      { n: -0 },
      2n,
      new Date(0),
      new Uint8Array([1]),
      new Map(),
      new Set(),
      /x/,
      new Vec(),
      JSON.parse('{"__proto__": 1}'),
      Object.assign(Object.create({ inherited: 1 }), { own: 1 }),
    ];
    for (const value of unsafe) assert.equal(jsonLength(value, 10_000), -1, String(value));
    assert.equal(jsonLength({ s: "x".repeat(100) }, 50), -1, "over the limit");
    assert.equal(
      jsonLength(
        Array.from({ length: 1e6 }, () => 1),
        1000,
      ),
      -1,
      "stops early",
    );
  });

  it("a task's message crosses JSON and runs like its bytes; rich values need the bytes", async () => {
    const { meta, task } = taskOf(AddMul, { x: 1, y: 2 }, { coef: 3 });
    const message = taskMessage(task, meta);
    assert.ok(jsonLength(message, 1e6) > 0);
    const decoded = decodeTask(viaJson(message), meta);
    assert.deepEqual(decoded, decodeTask(encodeTask(task, meta), meta));
    const result = await runRemoteTask(viaJson(message));
    assert.deepEqual({ ...decodeResult(result, "n1", meta) }, { o: 9 });
    const rich = taskOf(RemoteRich, richInput(), { label: "L" });
    assert.equal(jsonLength(taskMessage(rich.task, rich.meta), 1e6), -1);
  });

  it("an output's message crosses JSON back to the same validated instance", () => {
    const meta = metaOf(AddMul);
    const message = outputMessage("n1", { o: 7 });
    assert.ok(jsonLength(message, 1e6) > 0);
    const out = decodeResult(viaJson(message), "n1", meta);
    assert.ok(out instanceof meta.output);
    assert.deepEqual({ ...out }, { o: 7 });
  });
});

describe("the wire form of flat records", () => {
  it("is what the cache codec's plain form gives, fields and tags, for records of primitives and the rest", () => {
    const values: object[] = [
      { a: 1, b: "x", c: true, d: null, e: undefined, f: 2n, g: Number.NaN },
      Object.assign(new Vec(), { x: 1, y: 2 }),
      { neg: -0 },
      { lone: "\ud800" },
      { nested: { a: 1 } },
      { at: new Date(0) },
      {},
    ];
    for (const value of values) {
      const form = toPlainForm(value) as PlainForm;
      assert.deepStrictEqual(toWireData(value, "input"), [form.plain, form.tags]);
    }
  });
});
