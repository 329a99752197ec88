// `npm run demo` end to end: the pipeline through the CLI, twice, with results checked independently.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, describe, it } from "node:test";
import { STOP_WORDS, stablePhrases } from "../../samples/pipeline/text";
import { countIndependently } from "../pipeline/count-terms";
import { ROOT } from "./cli-harness";

const cache = fs.mkdtempSync(path.join(os.tmpdir(), "moirae-demo-"));
after(() => fs.rmSync(cache, { recursive: true, force: true }));

function demo(...args: string[]): Record<string, any>[] {
  const run = spawnSync(
    process.execPath,
    [path.join(ROOT, "scripts", "demo.js"), "--json", "--cache-dir", cache, ...args],
    {
      cwd: ROOT,
      encoding: "utf8",
      timeout: 180_000, // a hang guard: the first run takes seconds, more on a busy machine
    },
  );
  assert.equal(run.status, 0, run.stderr);
  return run.stdout
    .trim()
    .split("\n")
    .map((line) => JSON.parse(line));
}

describe("npm run demo", () => {
  it("runs the 49-node pipeline, then again with every node cached, with the right top terms", () => {
    const first = demo();
    const results = first.filter((l) => l.type === "result");
    assert.equal(results.length, 49);
    assert.ok(results.every((r) => r.status === "done"));

    const corpus = path.join(ROOT, "samples", "pipeline", "corpus");
    const texts = fs
      .readdirSync(corpus)
      .filter((f) => f.endsWith(".txt"))
      .map((f) => fs.readFileSync(path.join(corpus, f), "utf8"));
    const expected = [...countIndependently(texts)]
      .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
      .slice(0, 10)
      .map(([term, count]) => ({ term, count }));
    const top = results.find((r) => r.node === "top_terms")!;
    assert.deepEqual(top.output.terms, expected);

    // The CPU-bound keyword nodes ran in worker threads: their outputs are those computed here, in this thread.
    for (const file of fs.readdirSync(corpus).filter((f) => f.endsWith(".txt"))) {
      const text = fs.readFileSync(path.join(corpus, file), "utf8").replace(/\r\n?/g, "\n");
      const keywords = results.find((r) => r.node === `keywords_${file.slice(0, -4)}`)!.output.keywords;
      assert.deepEqual(keywords, stablePhrases(text, STOP_WORDS, 3, 5, 300));
    }

    const second = demo();
    const cached = second.filter((l) => l.type === "result");
    assert.equal(cached.length, 49);
    assert.ok(cached.every((r) => r.status === "cached"));
    const summary = second.find((l) => l.type === "summary")!;
    assert.equal(summary.executed, 0);
    assert.equal(summary.cached, 49);
    assert.deepEqual(cached.find((r) => r.node === "top_terms")!.output, top.output);

    // the HTML run report of the second run, beside the cache: every node cached, time saved known
    const html = fs.readFileSync(path.join(cache, "report.html"), "utf8");
    assert.match(html, /id="count-cached" data-value="49"/);
    assert.match(html, /49 of 49 cached nodes timed before/);
  });

  it("writes the Mermaid picture with --graph", () => {
    const out = path.join(ROOT, "samples", "pipeline", "pipeline.mmd");
    const run = spawnSync(process.execPath, [path.join(ROOT, "scripts", "demo.js"), "--graph"], {
      cwd: ROOT,
      encoding: "utf8",
    });
    assert.equal(run.status, 0, run.stderr);
    const text = fs.readFileSync(out, "utf8");
    assert.match(text, /^flowchart LR\n/);
    assert.equal((text.match(/^ {2}n_\w+\[/gm) ?? []).length, 49);
  });
});
