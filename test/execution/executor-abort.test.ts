import "reflect-metadata";
import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import { ExecutionAbortedError, execute, executeStream, type NodeResult } from "../../src/index";
import { EventLog, flush, setup, watchUnhandledRejections } from "./helpers";

const unhandled = watchUnhandledRejections();
after(() => assert.deepEqual(unhandled.seen, [], "no unhandled rejection"));

describe("abort through options.signal", () => {
  it("fires ctx.signal of in-flight nodes, starts nothing more and rejects with ExecutionAbortedError", async () => {
    const { graph, probe, container } = setup({ a: {}, b: {}, c: { a: "a" } });
    probe.hold("a");
    probe.hold("b");
    const controller = new AbortController();
    const log = new EventLog();
    const running = execute(graph, { container, signal: controller.signal, onEvent: log.onEvent });
    await flush();
    const signals = ["a", "b"].map((n) => probe.contexts.get(n)![0]!.signal);
    controller.abort("user pressed stop");
    const error = await running.catch((e) => e);
    assert.ok(error instanceof ExecutionAbortedError);
    assert.equal(error.reason, "user pressed stop");
    assert.ok(signals.every((s) => s.aborted));
    assert.ok(signals[0]!.reason instanceof ExecutionAbortedError);
    await flush();
    assert.deepEqual(probe.started.sort(), ["a", "b"]);
    assert.deepEqual(log.types(undefined), ["run:start", "run:done"]);
  });

  it("rejects at once even when a node ignores its signal", async () => {
    const { graph, probe, container } = setup({ stubborn: {} });
    const gate = probe.hold("stubborn"); // never looks at ctx.signal
    const controller = new AbortController();
    const running = execute(graph, { container, signal: controller.signal });
    await flush();
    controller.abort();
    await assert.rejects(running, ExecutionAbortedError);
    assert.equal(probe.running, 1, "still running in the background, yet the run already rejected");
    gate.resolve(undefined);
  });

  it("does not start anything with an already aborted signal", async () => {
    const { graph, probe, container } = setup({ a: {} });
    await assert.rejects(execute(graph, { container, signal: AbortSignal.abort() }), ExecutionAbortedError);
    const stream = executeStream(graph, { container, signal: AbortSignal.abort() });
    await assert.rejects(stream.next(), ExecutionAbortedError);
    assert.equal((await stream.next()).done, true);
    assert.deepEqual(probe.started, []);
  });

  it("ends the stream: queued results first, then ExecutionAbortedError", async () => {
    const { graph, probe, container } = setup({ fast: {}, slow: {} });
    probe.hold("slow");
    const controller = new AbortController();
    const stream = executeStream(graph, { container, signal: controller.signal });
    const first = stream.next();
    await flush();
    controller.abort();
    assert.equal((await first).value?.node, "fast");
    await assert.rejects(stream.next(), ExecutionAbortedError);
  });

  it("cuts a retry backoff short", async () => {
    const { graph, probe, container } = setup({ a: {} });
    probe.on("a", () => {
      throw new Error("flaky");
    });
    const controller = new AbortController();
    const running = execute(graph, {
      container,
      signal: controller.signal,
      retries: { attempts: 1, backoffMs: 60_000 },
    });
    await flush();
    controller.abort();
    await assert.rejects(running, ExecutionAbortedError);
    assert.equal(probe.started.length, 1);
  });
});

describe("leaving a stream early", () => {
  it("aborts in-flight nodes and starts nothing afterwards", async () => {
    const { graph, probe, container } = setup({ a: {}, b: {}, c: { a: "a" }, d: { a: "b" } });
    const gateB = probe.hold("b");
    const log = new EventLog();
    const seen: NodeResult[] = [];
    for await (const r of executeStream(graph, { container, onEvent: log.onEvent })) {
      seen.push(r);
      break; // after a, while b runs
    }
    assert.deepEqual(
      seen.map((r) => r.node),
      ["a"],
    );
    const bSignal = probe.contexts.get("b")![0]!.signal;
    assert.equal(bSignal.aborted, true);
    const startsAtBreak = log.nodes("node:start").length;
    gateB.resolve(undefined);
    await flush();
    await flush();
    assert.equal(log.nodes("node:start").length, startsAtBreak, "no node:start after the break");
    assert.equal(probe.started.includes("d"), false);
    assert.equal(log.events.at(-1)!.type, "run:done");
    assert.ok(log.events.at(-1)!.error instanceof ExecutionAbortedError);
  });

  it("return() while a next() is pending ends both", async () => {
    const { graph, probe, container } = setup({ a: {} });
    probe.hold("a");
    const stream = executeStream(graph, { container });
    const pending = stream.next();
    await flush();
    await stream.return!();
    assert.deepEqual(await pending, { value: undefined, done: true });
    assert.equal(probe.contexts.get("a")![0]!.signal.aborted, true);
  });
});
