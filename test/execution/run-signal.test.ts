// NodeTask.runSignal: one signal per run for dispatchers that run tries elsewhere (moirae/bullmq watches it).
import "reflect-metadata";
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { container } from "tsyringe";
import { buildGraph, execute, NodeDispatcher, type NodeTask } from "../../src/index";
import "../fixtures/nodes";

/** Records every task it is given, then runs it in-process. */
function recording() {
  const tasks: NodeTask[] = [];
  class Recording extends NodeDispatcher {
    override dispatch(task: NodeTask): Promise<object> {
      tasks.push(task);
      return super.dispatch(task);
    }
  }
  const child = container.createChildContainer();
  child.register(NodeDispatcher, { useClass: Recording });
  return { tasks, child };
}

describe("NodeTask.runSignal", () => {
  it("is one signal for all the run's tries, aborted with every try's signal and the same reason", async () => {
    const { tasks, child } = recording();
    const controller = new AbortController();
    // two nodes of different hashes (one of the same hash would follow the other's try)
    const graph = buildGraph({
      slow1: { node: "Wait", arguments: { ms: 60_000 }, inputs: {} },
      slow2: { node: "Wait", arguments: { ms: 60_001 }, inputs: {} },
    });
    const run = execute(graph, { container: child, signal: controller.signal });
    run.catch(() => {});
    for (let turns = 0; tasks.length < 2 && turns < 1000; turns++) {
      await new Promise((resolve) => setImmediate(resolve));
    }
    const [first, second] = tasks as [NodeTask, NodeTask];
    assert.ok(first.runSignal);
    assert.equal(first.runSignal, second.runSignal, "one signal for the run");
    assert.equal(first.runSignal.aborted, false);
    controller.abort(new Error("enough"));
    await assert.rejects(run, { name: "ExecutionAbortedError" });
    assert.equal(first.runSignal.aborted, true);
    assert.equal(first.signal.aborted, true);
    assert.equal(first.runSignal.reason, first.signal.reason);
    assert.match(String(first.runSignal.reason?.message), /enough/);
  });

  it("differs between runs and stays quiet when the run succeeds", async () => {
    const { tasks, child } = recording();
    const graph = () => buildGraph({ a: { node: "AddMul", inputs: { x: 1, y: 2 } } });
    await execute(graph(), { container: child });
    await execute(graph(), { container: child });
    assert.equal(tasks.length, 2);
    assert.notEqual(tasks[0]!.runSignal, tasks[1]!.runSignal);
    assert.equal(tasks[0]!.runSignal!.aborted, false);
  });
});
