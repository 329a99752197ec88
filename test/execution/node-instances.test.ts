import "reflect-metadata";
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { container } from "tsyringe";
import {
  buildGraph,
  execute,
  executeStream,
  type NodeContainer,
  NodeExecutionError,
  runNode,
  SharedNodeInstanceError,
} from "../../src/index";
import type { O } from "../fixtures/data-classes";
import { AddMul } from "../fixtures/nodes";

/** A container that answers with a promise, as an async DI container (Nest's) does. */
function asyncContainer(made: object[] = []): NodeContainer {
  return {
    resolve<T>(cls: new (...args: any[]) => T): Promise<T> {
      return new Promise((resolve) =>
        setTimeout(() => {
          const instance = container.resolve(cls);
          made.push(instance as object);
          resolve(instance);
        }, 1),
      );
    },
  };
}

const parallel = {
  twenty: { node: "AddMul", arguments: { coef: 20 }, inputs: { x: 1, y: 0 } },
  thirty: { node: "AddMul", arguments: { coef: 30 }, inputs: { x: 1, y: 0 } },
};

describe("resolving node instances", () => {
  it("accepts a container whose resolve returns a promise (execute, executeStream, runNode)", async () => {
    const made: object[] = [];
    const nodes = asyncContainer(made);
    const outputs = await execute(buildGraph(parallel), { container: nodes });
    assert.equal((outputs.twenty as O).o, 20);
    assert.equal((outputs.thirty as O).o, 30);
    const streamed: Record<string, number> = {};
    for await (const r of executeStream(buildGraph(parallel), { container: nodes, timeoutMs: 5000 })) {
      streamed[r.node] = (r.output as O).o;
    }
    assert.deepEqual(streamed, { twenty: 20, thirty: 30 });
    assert.deepEqual(
      { ...(await runNode(AddMul, { x: 1, y: 2 }, { args: { coef: 3 }, container: nodes })) },
      {
        o: 9,
      },
    );
    assert.ok(made.length >= 5);
  });

  it("gives every try a fresh instance, arguments set on it alone", async () => {
    const instances = new Set<object>();
    const child = container.createChildContainer();
    const nodes: NodeContainer = {
      resolve: (cls) => {
        const instance = child.resolve(cls);
        if (instance instanceof AddMul) instances.add(instance);
        return instance;
      },
    };
    const outputs = await execute(buildGraph(parallel), { container: nodes });
    assert.equal((outputs.twenty as O).o, 20);
    assert.equal((outputs.thirty as O).o, 30);
    assert.equal(instances.size, 2);
  });

  it("fails a node whose class is a singleton instead of giving it another node's arguments", async () => {
    const child = container.createChildContainer();
    child.registerSingleton(AddMul);
    const error = await execute(buildGraph(parallel), { container: child, onError: "continue" }).then(
      () => assert.fail("a singleton node class must not run twice"),
      (e: unknown) => e,
    );
    // one of the two nodes got the instance first and answered with its own arguments; the other failed
    const { outputs, errors } = error as {
      outputs: Record<string, O>;
      errors: Record<string, Error>;
    };
    const [[failed, failure]] = Object.entries(errors) as [[string, NodeExecutionError]];
    assert.ok(failure instanceof NodeExecutionError);
    assert.ok(failure.cause instanceof SharedNodeInstanceError);
    assert.match(failure.cause.message, /AddMul.*must not be a singleton/s);
    assert.equal(failure.attempts, 1, "not retried");
    const [[done, output]] = Object.entries(outputs);
    assert.notEqual(done, failed);
    assert.equal(output!.o, done === "twenty" ? 20 : 30);
  });

  it("fails the same way when an async container hands back one instance twice", async () => {
    const shared = new AddMul();
    const nodes: NodeContainer = {
      resolve: (cls) =>
        cls === (AddMul as unknown) ? Promise.resolve(shared as never) : container.resolve(cls),
    };
    await assert.rejects(
      execute(buildGraph(parallel), { container: nodes }),
      (e: unknown) => e instanceof NodeExecutionError && e.cause instanceof SharedNodeInstanceError,
    );
  });
});
