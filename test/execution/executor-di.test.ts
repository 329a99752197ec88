import "reflect-metadata";
import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import { container } from "tsyringe";
import * as moirae from "../../src/index";
import { buildGraph, Executor, execute, executeStream, NodeDispatcher, type NodeTask } from "../../src/index";
import { Clock, type TimeOutput } from "../fixtures/nodes";
import { watchUnhandledRejections } from "./helpers";

const unhandled = watchUnhandledRejections();
after(() => assert.deepEqual(unhandled.seen, [], "no unhandled rejection"));

describe("Executor and dependency injection", () => {
  it("resolves from a fresh container with no setup, and runs graphs", async () => {
    const fresh = container.createChildContainer();
    const executor = fresh.resolve(Executor);
    assert.ok(executor instanceof Executor);
    const outputs = await executor.run(buildGraph({ a: { node: "AddMul", inputs: { x: 1, y: 2 } } }));
    assert.deepEqual({ ...outputs.a }, { o: 3 });
  });

  it("constructs nodes from options.container, so their services can be replaced in a child container", async () => {
    const child = container.createChildContainer();
    child.register(Clock, { useValue: { now: () => 42 } });
    const graph = buildGraph({ t: { node: "ReadClock", inputs: {} } });
    assert.equal(((await execute(graph, { container: child })).t as TimeOutput).time, 42);
    const results = [];
    for await (const r of executeStream(graph, { container: child })) results.push(r);
    assert.equal((results[0]!.output as TimeOutput).time, 42);
    assert.notEqual(((await execute(graph)).t as TimeOutput).time, 42);
  });

  it("dispatches through the NodeDispatcher of the container; tasks carry plain data", async () => {
    const tasks: NodeTask[] = [];
    class RecordingDispatcher extends NodeDispatcher {
      override dispatch(task: NodeTask): Promise<object> {
        tasks.push(task);
        return super.dispatch(task);
      }
    }
    const child = container.createChildContainer();
    child.register(NodeDispatcher, { useClass: RecordingDispatcher });
    const graph = buildGraph({
      a: { node: "AddMul", arguments: { coef: 2 }, inputs: { x: 1, y: 2 } },
      b: { node: "AddMul", inputs: { x: "${a.o}", y: 1 } },
    });
    const outputs = await execute(graph, { container: child });
    assert.deepEqual({ ...outputs.b }, { o: 7 });
    assert.deepEqual(
      tasks.map(({ name, hash, nodeName, args, input, attempt, timeoutMs }) =>
        JSON.parse(JSON.stringify({ name, hash, nodeName, args, input, attempt, timeoutMs })),
      ),
      [
        {
          name: "a",
          hash: graph.hashOf("a"),
          nodeName: "AddMul",
          args: { coef: 2 },
          input: { x: 1, y: 2 },
          attempt: 1,
        },
        {
          name: "b",
          hash: graph.hashOf("b"),
          nodeName: "AddMul",
          args: { coef: 1 },
          input: { x: 6, y: 1 },
          attempt: 1,
        },
      ],
    );
    assert.equal(tasks[0]!.container, child);
    assert.equal(tasks[0]!.signal.aborted, false);
  });

  it("registers nothing in the root container", () => {
    for (const [name, value] of Object.entries(moirae)) {
      if (typeof value === "function") assert.equal(container.isRegistered(value as never), false, name);
    }
  });
});
