// The README's program is samples/quickstart.ts, word for word (importing "moirae" instead of "../src/index"),
// its JSON spec is what the builder gives; every relative link of the README and docs/ resolves.
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, it } from "node:test";
import { IsInt, IsNumber } from "class-validator";
import { buildGraph, GraphSpecBuilder, Input, Node, Output } from "../../src/index";

// The README program's classes (samples/quickstart.ts runs them; here they check the README's JSON spec).
@Input()
class Operands {
  @IsNumber() x!: number;
  @IsNumber() y!: number;
}

@Output()
class Result {
  @IsNumber() o!: number;
}

@Node({ input: Operands, output: Result })
class AddMul {
  @IsInt() coef = 1;
  async execute(input: Operands): Promise<Result> {
    return { o: this.coef * (input.x + input.y) };
  }
}

@Node({ input: Operands, output: Result })
class Multiply {
  async execute(input: Operands): Promise<Result> {
    return { o: input.x * input.y };
  }
}

const ROOT = path.resolve(__dirname, "..", "..", "..");
const read = (file: string) => readFileSync(path.join(ROOT, file), "utf8");

/** The fenced code blocks of a Markdown text, with their language. */
function codeBlocks(markdown: string): { lang: string; code: string }[] {
  return [...markdown.matchAll(/^```(\w*)\n([\s\S]*?)^```$/gm)].map((m) => ({ lang: m[1]!, code: m[2]! }));
}

describe("README", () => {
  it("shows samples/quickstart.ts exactly", () => {
    const program = codeBlocks(read("README.md")).find((b) => b.lang === "ts");
    assert.ok(program, "the README has a ts code block");
    const sample = read("samples/quickstart.ts").replace('from "../src/index"', 'from "moirae"');
    assert.equal(
      program.code,
      sample,
      "README.md's program and samples/quickstart.ts differ: keep them equal",
    );
  });

  it("shows the program's graph as the plain JSON spec that the builder's toSpec() gives", () => {
    const json = codeBlocks(read("README.md")).find((b) => b.lang === "json" && b.code.includes("${b.o}"));
    assert.ok(json, "the README has a json code block");
    const spec = new GraphSpecBuilder();
    const a = spec.node("a", AddMul, { arguments: { coef: 2 }, inputs: { x: 1, y: 2 } });
    const b = spec.node("b", Multiply, { inputs: { x: 3, y: 2 } });
    spec.node("c", AddMul, { inputs: { x: b.o, y: a.o } });
    assert.deepEqual(JSON.parse(json.code), spec.toSpec());
    const graph = buildGraph(JSON.parse(json.code));
    assert.ok(graph.order.every((n) => graph.hashOf(n) === buildGraph(spec).hashOf(n)));
  });

  it("stays a front door of at most ~12 KB", () => {
    assert.ok(
      Buffer.byteLength(read("README.md")) <= 12_500,
      "README.md is over 12 KB: move details to docs/",
    );
  });

  it("links only to files that exist (README.md, CONTRIBUTING.md and docs/)", () => {
    const pages = [
      "README.md",
      "CONTRIBUTING.md",
      ...readdirSync(path.join(ROOT, "docs")).map((f) => `docs/${f}`),
    ];
    for (const page of pages.filter((p) => p.endsWith(".md"))) {
      for (const [, target] of read(page).matchAll(/\]\(([^)#\s]+)(?:#[^)]*)?\)/g)) {
        if (/^[a-z]+:/.test(target!)) continue;
        const file = path.join(ROOT, path.dirname(page), target!);
        assert.ok(existsSync(file), `${page} links to ${target}, which does not exist`);
      }
    }
  });
});
