// RunReport's page as text (no browser needed): escaping, the data it carries, the collapsed view of big graphs.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { buildGraph, type GraphSpec } from "../../src/index";
import { criticalPath, timelineLanes } from "../../src/report/run-analysis";
import type { NodeRecord } from "../../src/report/run-recorder";
import { pipeline, recordRun } from "./report-fixtures";

const record = (name: string, start?: number, end?: number): NodeRecord => ({
  name,
  status: "done",
  start,
  end,
  attempts: 1,
  retries: [],
});

describe("RunReport", () => {
  it("escapes node class names and error messages: no markup of theirs reaches the page", async () => {
    const { html } = await recordRun(pipeline({ failTrain: true }), { onError: "continue" });
    assert.doesNotMatch(html, /<img/);
    assert.doesNotMatch(html, /<script>window\.__pwned/);
    assert.match(html, /&lt;img src=x onerror=alert\(1\)&gt;/);
    // one inline script of data and one of code, nothing else
    assert.equal(html.match(/<script/g)?.length, 2);
    const data = /<script type="application\/json" id="run-data">(.*?)<\/script>/s.exec(html)![1]!;
    assert.doesNotMatch(data, /[<>]/);
    const nodes = JSON.parse(data).nodes as unknown[][];
    assert.match(String(nodes.find((n) => n[0] === "train")![7]), /<\/script><script>window.__pwned/);
  });

  it("records a run that is still going: toHTML() works mid-run, the running nodes cut at now", async () => {
    const { report } = await recordRun(pipeline());
    report.record({ type: "run:start", time: Date.now() });
    report.record({ type: "node:start", node: "load", time: Date.now() });
    report.record({
      type: "node:waiting",
      node: "load",
      time: Date.now(),
      message: "no worker takes <jobs>",
    });
    const html = report.toHTML();
    assert.match(html, /class="run-state stop">unfinished</);
    assert.match(html, /"no worker takes \\u003cjobs\\u003e"/, "why it waited, for its details");
    assert.match(html, /id="count-not-run" data-value="8"/);
  });

  it("draws graphs beyond 1,000 nodes collapsed by layers, with every node still in the timeline and table", async () => {
    const spec: GraphSpec = {};
    for (let i = 0; i < 1200; i++) {
      spec[`n${i}`] = { node: "Work", inputs: i < 10 ? {} : { a: `\${n${i - 10}.o}` } };
    }
    const { html } = await recordRun(buildGraph(spec), { concurrency: 16 });
    assert.equal(html.match(/<g class="layer/g)?.length, 120);
    assert.equal(html.match(/<g class="n /g), null);
    assert.equal(html.match(/<g class="b /g)?.length, 1200);
    assert.equal(html.match(/<tr data-i=/g)?.length, 1200);
  });
});

describe("critical path and lanes", () => {
  it("walks back from the last node to end through the parent that ended last", () => {
    const records = new Map(
      [record("a", 0, 10), record("b", 0, 30), record("c", 30, 40), record("d", 10, 15)].map((r) => [
        r.name,
        r,
      ]),
    );
    const parents: Record<string, string[]> = { c: ["a", "b"], d: ["a"] };
    assert.deepEqual(
      criticalPath(records, (n) => parents[n] ?? []),
      ["b", "c"],
    );
  });

  it("puts overlapping bars on separate lanes and reuses a lane once it is free", () => {
    const bars = timelineLanes(
      [record("a", 0, 10), record("b", 5, 20), record("c", 10, 30), record("x")],
      30,
    );
    assert.deepEqual(
      bars.map((b) => [b.name, b.lane]),
      [
        ["a", 0],
        ["b", 1],
        ["c", 0],
      ],
    );
  });
});
