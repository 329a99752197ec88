import "reflect-metadata";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import path from "node:path";
import { beforeEach, describe, it } from "node:test";
import { Allow, IsInt, IsString } from "class-validator";
import { buildGraph, type GraphSpec, Node, resetNodeRegistry } from "../../src/index";
import { O, XY } from "../fixtures/data-classes";

/** Defines node classes named Add and Mul (fresh classes each time). */
function defineNodes(
  variant: { version?: number; body?: "plus" | "minus"; argType?: "int" | "string" } = {},
) {
  resetNodeRegistry();
  if (variant.body === "minus") {
    @Node({ input: XY, output: O, name: "Add", version: variant.version })
    class Add {
      async execute(input: XY) {
        return { o: input.x - input.y };
      }
    }
    void Add;
  } else if (variant.argType === "string") {
    @Node({ input: XY, output: O, name: "Add", version: variant.version })
    class Add {
      @IsString() label = "";
      async execute(input: XY) {
        return { o: input.x + input.y };
      }
    }
    void Add;
  } else {
    @Node({ input: XY, output: O, name: "Add", version: variant.version })
    class Add {
      @IsInt() label = 0;
      async execute(input: XY) {
        return { o: input.x + input.y };
      }
    }
    void Add;
  }
  @Node({ input: XY, output: O, name: "Mul" })
  class Mul {
    @IsInt() coef = 1;
    async execute(input: XY) {
      return { o: this.coef * input.x * input.y };
    }
  }
  void Mul;
}

const spec = (): GraphSpec => ({
  a: { node: "Add", inputs: { x: 1, y: 2 } },
  b: { node: "Mul", arguments: { coef: 2 }, inputs: { x: 3, y: 2 } },
  c: { node: "Add", inputs: { x: "${b.o}", y: "${a.o}" } },
  d: { node: "Mul", inputs: { x: "${c.o}", y: 1 } },
  sibling: { node: "Mul", inputs: { x: "${b.o}", y: 5 } },
});

const hashes = (s: GraphSpec) => {
  const graph = buildGraph(s);
  return Object.fromEntries(graph.order.map((n) => [n, graph.hashOf(n)]));
};

function changed(before: Record<string, string>, after: Record<string, string>): string[] {
  return Object.keys(before)
    .filter((n) => before[n] !== after[n])
    .sort();
}

describe("topological hash: invariance", () => {
  beforeEach(() => defineNodes());

  it("does not depend on spec key order or input key order", () => {
    const base = hashes(spec());
    const shuffled: GraphSpec = {};
    for (const name of Object.keys(spec()).reverse()) {
      const entry = spec()[name]!;
      shuffled[name] = { ...entry, inputs: Object.fromEntries(Object.entries(entry.inputs).reverse()) };
    }
    assert.deepEqual(hashes(shuffled), base);
  });

  it("does not depend on node names: equal computations share a hash", () => {
    const base = hashes(spec());
    const renamed = hashes({
      first: { node: "Add", inputs: { x: 1, y: 2 } },
      second: { node: "Mul", arguments: { coef: 2 }, inputs: { x: 3, y: 2 } },
      third: { node: "Add", inputs: { x: "${second.o}", y: "${first.o}" } },
    });
    assert.equal(renamed.first, base.a);
    assert.equal(renamed.third, base.c);
    const twins = hashes({
      p: { node: "Add", inputs: { x: 1, y: 2 } },
      q: { node: "Add", inputs: { x: 1, y: 2 } },
    });
    assert.equal(twins.p, twins.q);
  });

  it("treats an omitted argument like its default written out", () => {
    const omitted = hashes({ m: { node: "Mul", inputs: { x: 1, y: 1 } } });
    const written = hashes({ m: { node: "Mul", arguments: { coef: 1 }, inputs: { x: 1, y: 1 } } });
    assert.equal(omitted.m, written.m);
  });

  it("is the same in another process", () => {
    defineNodes();
    resetNodeRegistry();
    const script = path.join(__dirname, "..", "fixtures", "print-hashes.js");
    const first = execFileSync(process.execPath, [script], { encoding: "utf8" });
    const second = execFileSync(process.execPath, [script], { encoding: "utf8", cwd: "/" });
    assert.equal(first, second);
    const parsed = JSON.parse(first);
    assert.deepEqual(Object.keys(parsed).sort(), ["a", "b", "c"]);
    for (const hash of Object.values(parsed)) assert.match(String(hash), /^[0-9a-f]{64}$/);
  });
});

describe("topological hash: sensitivity", () => {
  it("changes with each component, and upstream changes reach every descendant but no sibling", () => {
    defineNodes();
    const base = hashes(spec());

    const literal = spec();
    literal.a!.inputs.y = 3;
    assert.deepEqual(changed(base, hashes(literal)), ["a", "c", "d"]);

    const argument = spec();
    argument.b!.arguments = { coef: 3 };
    assert.deepEqual(changed(base, hashes(argument)), ["b", "c", "d", "sibling"]);

    const wiring = spec();
    wiring.c!.inputs = { x: "${a.o}", y: "${b.o}" };
    assert.deepEqual(changed(base, hashes(wiring)), ["c", "d"]);

    defineNodes({ version: 2 });
    assert.deepEqual(changed(base, hashes(spec())), ["a", "c", "d"]);

    defineNodes({ body: "minus" });
    assert.deepEqual(changed(base, hashes(spec())), ["a", "c", "d"]);

    defineNodes({ argType: "string" });
    const typed = spec();
    typed.a!.arguments = { label: "" };
    typed.c!.arguments = { label: "" };
    assert.deepEqual(changed(base, hashes(typed)), ["a", "c", "d"]);
  });

  it("distinguishes two node classes with the same fields and code but different names", () => {
    defineNodes();
    @Node({ input: XY, output: O, name: "Add2" })
    class Add2 {
      @IsInt() label = 0;
      async execute(input: XY) {
        return { o: input.x + input.y };
      }
    }
    void Add2;
    const h = hashes({
      p: { node: "Add", inputs: { x: 1, y: 2 } },
      q: { node: "Add2", inputs: { x: 1, y: 2 } },
    });
    assert.notEqual(h.p, h.q);
  });

  it("does not depend on Map and Set order, but does on their contents", () => {
    defineNodes();
    @Node({ input: XY, output: O, name: "Cfg" })
    class Cfg {
      @Allow() table?: Map<string, number>;
      @Allow() tags?: Set<string>;
      async execute(input: XY) {
        return { o: input.x };
      }
    }
    void Cfg;
    const make = (table: [string, number][], tags: string[]) =>
      hashes({
        n: { node: "Cfg", arguments: { table: new Map(table), tags: new Set(tags) }, inputs: { x: 1, y: 1 } },
      }).n;
    const base = make(
      [
        ["a", 1],
        ["b", 2],
      ],
      ["x", "y"],
    );
    assert.equal(
      make(
        [
          ["b", 2],
          ["a", 1],
        ],
        ["y", "x"],
      ),
      base,
    );
    assert.notEqual(
      make(
        [
          ["a", 1],
          ["b", 3],
        ],
        ["x", "y"],
      ),
      base,
    );
    assert.notEqual(
      make(
        [
          ["a", 1],
          ["b", 2],
        ],
        ["x"],
      ),
      base,
    );
  });
});
