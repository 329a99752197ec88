// Examples of docs/ that are not whole samples: each is run here and its shown output compared.
import "reflect-metadata";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, it } from "node:test";
import { buildGraph, execute } from "../../src/index";
import "../fixtures/graph-nodes";

const ROOT = path.resolve(__dirname, "..", "..", "..");

/** The code block that follows `marker` in a docs page. */
function blockAfter(page: string, marker: string, lang: string): string {
  const text = readFileSync(path.join(ROOT, page), "utf8");
  const at = text.indexOf(marker);
  assert.ok(at >= 0, `${page} has no "${marker}"`);
  const m = new RegExp(`\`\`\`${lang}\\n([\\s\\S]*?)\`\`\``).exec(text.slice(at));
  assert.ok(m, `${page}: no ${lang} block after "${marker}"`);
  return m[1]!;
}

describe("docs/graphs.md", () => {
  it("'Every problem at once' shows what buildGraph reports for its spec", () => {
    const code = blockAfter("docs/graphs.md", "## Every problem at once", "ts");
    const spec = new Function(
      `return (${code
        .trim()
        .replace(/^buildGraph\(/, "")
        .replace(/\);$/, "")});`,
    )();
    const shown = blockAfter("docs/graphs.md", "## Every problem at once", "text").trim();
    assert.throws(
      () => buildGraph(spec),
      (error: Error) => {
        assert.equal(error.message, shown);
        return true;
      },
    );
  });
});

describe("docs/report.md", () => {
  it("the five-line tracing setup traces a run: moirae.run and moirae.node spans reach the exporter", async () => {
    const code = blockAfter("docs/report.md", "The five-line setup", "ts")
      .replace(
        /^import \{([^}]+)\} from "([^"]+)";$/gm,
        (_, names, module) => `const {${names}} = require("${module}");`,
      )
      .trim();
    const graph = buildGraph({ a: { node: "Add", inputs: { x: 1, y: 2 } } });
    const printed: string[] = [];
    const dir = console.dir;
    console.dir = (span: { name?: string }) => printed.push(String(span?.name));
    try {
      await new Function("require", "graph", "execute", `return (async () => {\n${code}\n})();`)(
        require,
        graph,
        execute,
      );
    } finally {
      console.dir = dir;
      (require("@opentelemetry/api") as typeof import("@opentelemetry/api")).trace.disable();
    }
    assert.deepEqual(printed.sort(), ["moirae.node", "moirae.run"]);
  });
});
