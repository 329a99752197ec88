import "reflect-metadata";
import assert from "node:assert/strict";
import { beforeEach, describe, it } from "node:test";
import { Allow, IsInt, IsNumber, IsOptional } from "class-validator";
import { buildGraph, Input, Node, Output, resetNodeRegistry } from "../../src/index";

// Hashes decide which cache entries a user's existing cache still serves: a refactoring must not change them.
// These pins were computed before the graph builder was split; change them only with HASH_FORMAT_VERSION.

@Input()
class PinIn {
  @IsNumber() x!: number;
  @Allow() @IsOptional() data?: unknown;
}
@Output()
class PinOut {
  @IsNumber() x!: number;
}

function definePinNode() {
  resetNodeRegistry();
  @Node({ input: PinIn, output: PinOut, name: "Pin", version: 3 })
  class Pin {
    @IsInt() coef = 2;
    @Allow() options: unknown = { deep: [1, "two", null] };
    async execute(input: PinIn) {
      return { x: input.x * this.coef };
    }
  }
  void Pin;
}

describe("hash pins (hashes stay the same across refactorings)", () => {
  beforeEach(definePinNode);

  it("keeps the hashes of a small graph with arguments, literals and references", () => {
    const graph = buildGraph({
      a: { node: "Pin", inputs: { x: 1 } },
      b: {
        node: "Pin",
        arguments: { coef: 3, options: { when: new Date(0), tags: new Set(["x"]) } },
        inputs: { x: 2, data: { list: [1, undefined, "$${x}"], m: new Map([[1, 2]]) } },
      },
      c: { node: "Pin", inputs: { x: "${a.x}", data: "${b.x}" } },
    });
    const hashes = Object.fromEntries(graph.order.map((n) => [n, graph.hashOf(n)]));
    assert.deepEqual(hashes, PINS);
  });
});

const PINS = {
  a: "99df920d875c119244d4292bdc090e473dff3e9749ddab926ecad84b9d371718",
  b: "4a347f1765140d3ca791d7b2c0d3f8d01f2bcea40ed6891ba8e9e3fbfc5a4ba2",
  c: "0b399c4a56faf136b55da54ebe54f66e44fdc21c842bad8d10bbd9892b207741",
};
