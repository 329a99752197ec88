import "reflect-metadata";
import assert from "node:assert/strict";
import { beforeEach, describe, it } from "node:test";
import { IsInt, IsNumber, IsString } from "class-validator";
import {
  buildGraph,
  diffHashes,
  explainHash,
  type GraphSpec,
  Node,
  Output,
  resetNodeRegistry,
} from "../../src/index";
import { O, XY } from "../fixtures/data-classes";

@Output()
class O2 {
  @IsNumber() o!: number;
  @IsString() note!: string;
}

type Variant = { version?: number; minus?: boolean; output2?: boolean };

function define(variant: Variant = {}): void {
  resetNodeRegistry();
  if (variant.minus) {
    @Node({ input: XY, output: O, name: "AddMul", version: variant.version })
    class AddMul {
      @IsInt() coef = 1;
      async execute(input: XY) {
        return { o: this.coef * (input.x - input.y) };
      }
    }
    void AddMul;
  } else {
    @Node({ input: XY, output: variant.output2 ? O2 : O, name: "AddMul", version: variant.version })
    class AddMul {
      @IsInt() coef = 1;
      async execute(input: XY) {
        return { o: this.coef * (input.x + input.y) };
      }
    }
    void AddMul;
  }
}

const spec = (): GraphSpec => ({
  a: { node: "AddMul", arguments: { coef: 2 }, inputs: { x: 1, y: 2 } },
  b: { node: "AddMul", inputs: { x: 3, y: 4 } },
  c: { node: "AddMul", inputs: { x: "${b.o}", y: "${a.o}" } },
});

describe("explainHash", () => {
  beforeEach(() => define());

  it("returns every component of a node's hash", () => {
    const graph = buildGraph(spec());
    const e = explainHash(graph, "c");
    assert.equal(e.hash, graph.hashOf("c"));
    assert.equal(e.fingerprint.name, "AddMul");
    assert.deepEqual(e.fingerprint.input, ["x:Number", "y:Number"]);
    assert.deepEqual(e.fingerprint.output, ["o:Number"]);
    assert.deepEqual(e.fingerprint.arguments, ["coef:Number"]);
    assert.match(e.fingerprint.source, /this\.coef \* \(input\.x \+ input\.y\)/);
    assert.deepEqual(e.arguments, { coef: 1 });
    assert.deepEqual(e.inputs, {});
    assert.deepEqual(e.upstream, {
      x: { node: "b", field: "o", hash: graph.hashOf("b") },
      y: { node: "a", field: "o", hash: graph.hashOf("a") },
    });
    assert.deepEqual(explainHash(graph, "a").inputs, { x: 1, y: 2 });
    assert.throws(() => explainHash(graph, "zz"), /the graph has no node "zz"/);
  });
});

describe("diffHashes", () => {
  it("is empty for equal hashes, including renamed or reordered specs", () => {
    define();
    const before = buildGraph(spec());
    const after = buildGraph({ c: spec().c!, b: spec().b!, a: spec().a! });
    assert.deepEqual(diffHashes(before, after, "c"), []);
  });

  it("names a changed argument, literal, upstream and wiring", () => {
    define();
    const before = buildGraph(spec());
    const changed = spec();
    changed.a!.arguments = { coef: 3 };
    changed.b!.inputs = { x: 3, y: 5 };
    const after = buildGraph(changed);
    assert.deepEqual(diffHashes(before, after, "a"), ["argument coef: 2 → 3"]);
    assert.deepEqual(diffHashes(before, after, "b"), ["input y: 4 → 5"]);
    assert.deepEqual(diffHashes(before, after, "c"), [
      "upstream b (input x) changed",
      "upstream a (input y) changed",
    ]);

    const rewired = spec();
    rewired.c!.inputs = { x: "${a.o}", y: 7 };
    assert.deepEqual(diffHashes(before, buildGraph(rewired), "c"), [
      "input x: now from a.o (was b.o)",
      "input y: a.o → literal 7",
    ]);
  });

  it("names a changed version, source and output schema", () => {
    define();
    const before = buildGraph(spec());
    define({ version: 2 });
    assert.deepEqual(diffHashes(before, buildGraph(spec()), "b"), ["version of AddMul: undefined → 2"]);
    define({ minus: true });
    assert.deepEqual(diffHashes(before, buildGraph(spec()), "b"), [
      "source of AddMul changed (execute or another method)",
    ]);
    define({ output2: true });
    assert.deepEqual(diffHashes(before, buildGraph(spec()), "b"), [
      "output fields of AddMul: added note:String",
    ]);
  });

  it("works on recorded explanations (JSON round trip), as the CLI stores them", () => {
    define();
    const before = JSON.parse(JSON.stringify(explainHash(buildGraph(spec()), "a")));
    const changed = spec();
    changed.a!.arguments = { coef: 5 };
    assert.deepEqual(diffHashes(before, buildGraph(changed), "a"), ["argument coef: 2 → 5"]);
  });
});
