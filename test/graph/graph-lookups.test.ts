import "reflect-metadata";
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  buildGraph,
  diffHashes,
  explainHash,
  type Graph,
  GraphValidationError,
  MoiraeError,
} from "../../src/index";
import "../fixtures/graph-nodes";

const graph = () =>
  buildGraph({
    alpha: { node: "Add", inputs: { x: 1, y: 2 } },
    beta: { node: "Add", inputs: { x: "${alpha.o}", y: 2 } },
  });

describe("asking a graph about a node it does not have", () => {
  it("hashOf('nope') says there is no such node, not 'Invalid graph'", () => {
    assert.throws(
      () => graph().hashOf("alpah"),
      (error: unknown) => {
        assert.ok(error instanceof GraphValidationError);
        assert.equal((error as Error).name, "UnknownNodeError");
        assert.match(
          (error as Error).message,
          /^No such node: the graph has no node "alpah"; did you mean "alpha"\?/,
        );
        assert.doesNotMatch((error as Error).message, /Invalid graph/);
        return true;
      },
    );
  });

  it("dependenciesOf, dependentsOf and explainHash say the same", () => {
    const g = graph();
    for (const call of [() => g.dependenciesOf("x"), () => g.dependentsOf("x"), () => explainHash(g, "x")]) {
      assert.throws(call, /^UnknownNodeError: No such node: the graph has no node "x"/);
    }
  });

  it("caps a huge name in the message", () => {
    const name = "n".repeat(1_000_000);
    assert.throws(
      () => graph().hashOf(name),
      (error: unknown) => (error as Error).message.length < 400,
    );
  });
});

describe("explainHash / diffHashes given something that is not a graph", () => {
  it("diffHashes(null, g, 'a') is a typed error naming the parameter", () => {
    const g = graph();
    for (const [before, after, role] of [
      [null, g, "before"],
      [g, undefined, "after"],
      [g, 42, "after"],
      [{ hash: "x" }, g, "before"],
    ] as const) {
      assert.throws(
        () => diffHashes(before as unknown as Graph, after as unknown as Graph, "alpha"),
        (error: unknown) => {
          assert.ok(error instanceof MoiraeError, `got ${error}`);
          assert.equal((error as GraphValidationError).issues[0]!.code, "not-a-graph");
          assert.match(
            (error as Error).message,
            new RegExp(`diffHashes: "${role}" must be a Graph or a HashExplanation`),
          );
          return true;
        },
      );
    }
  });

  it("explainHash(null, 'a') is a typed error", () => {
    assert.throws(
      () => explainHash(null as unknown as Graph, "a"),
      (error: unknown) =>
        error instanceof GraphValidationError && /explainHash: "graph" must be a Graph/.test(error.message),
    );
  });

  it("diffHashes still compares a graph with a recorded explanation", () => {
    const g = graph();
    const recorded = JSON.parse(JSON.stringify(explainHash(g, "beta")));
    assert.deepEqual(diffHashes(recorded, g, "beta"), []);
  });
});
