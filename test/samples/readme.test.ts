// The README's program is samples/quickstart.ts, word for word (importing "moirae" instead of "../src/index"),
// and the output it shows is what the sample prints; every relative link of the README and docs/ resolves.
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, it } from "node:test";

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
