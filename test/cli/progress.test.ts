import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as path from "node:path";
import { PassThrough } from "node:stream";
import { after, describe, it } from "node:test";
import { summaryLine, summaryTable } from "../../src/cli/human-reporter";
import { ProgressBar } from "../../src/cli/progress";
import { type RunSummary, RunTally } from "../../src/cli/run-tally";
import { CLI, cleanUp, NODES, tempDir, writeFile } from "./cli-harness";

after(cleanUp);

const hashOf = (name: string) => name.repeat(64).slice(0, 64);
const graph = { hashOf };

/** A stream that says it is a terminal, collecting what is drawn on it. */
function fakeTerminal(): PassThrough & { isTTY: boolean; columns: number; text(): string } {
  const stream = new PassThrough() as PassThrough & { isTTY: boolean; columns: number; text(): string };
  let written = "";
  stream.on("data", (chunk) => {
    written += chunk.toString();
  });
  stream.isTTY = true;
  stream.columns = 160;
  stream.text = () => written;
  return stream;
}

const summary = (over: Partial<RunSummary>): RunSummary => ({
  type: "summary",
  ok: true,
  nodes: 3,
  executed: 3,
  cached: 0,
  failed: 0,
  skipped: 0,
  notRun: 0,
  wallMs: 1530,
  savedMs: 0,
  savedKnown: 0,
  cache: "/tmp/cache",
  cacheErrors: 0,
  ...over,
});

describe("progress on a terminal", () => {
  it("the bar shows done / cached / failed / running counts and the running nodes' names", async () => {
    const tally = new RunTally(graph, ["a", "b", "c", "d"], {}, "none");
    const terminal = fakeTerminal();
    const bar = new ProgressBar(tally, terminal);
    bar.start();
    tally.event({ type: "node:start", node: "a", time: 0 });
    tally.event({ type: "node:start", node: "b", time: 0 });
    tally.result({
      node: "c",
      status: "cached",
      hash: hashOf("c"),
      durationMs: 0,
      attempts: 0,
      output: { o: 1 },
    });
    assert.equal(bar.counts(), "· done 0 · cached 1 · failed 0 · running 2: a, b");
    tally.result({
      node: "a",
      status: "done",
      hash: hashOf("a"),
      durationMs: 5,
      attempts: 1,
      output: { o: 2 },
    });
    tally.result({
      node: "b",
      status: "failed",
      hash: hashOf("b"),
      durationMs: 5,
      attempts: 1,
      error: new Error("x"),
    });
    tally.result({ node: "d", status: "skipped", hash: hashOf("d"), durationMs: 0, attempts: 0 });
    assert.equal(bar.counts(), "· done 1 · cached 1 · failed 1 · skipped 1 · running 0");
    bar.update();
    bar.stop();
    const drawn = terminal.text();
    assert.match(drawn, /\] 0\/4 · done 0/);
    assert.match(drawn, /\[█{24}\] 4\/4 · done 1 · cached 1 · failed 1 · skipped 1 · running 0/);
  });

  it("long lists of running nodes are cut", () => {
    const names = Array.from({ length: 30 }, (_, i) => `tokenize_document_${i}`);
    const tally = new RunTally(graph, names, {}, "none");
    for (const node of names) tally.event({ type: "node:start", node, time: 0 });
    const counts = new ProgressBar(tally, fakeTerminal()).counts();
    assert.ok(counts.length < 120, counts);
    assert.match(counts, /running 30: tokenize_document_0, .*…$/);
  });

  it("the summary table lists node, status, duration and output, cut to the width", () => {
    const tally = new RunTally(graph, ["a", "b", "c"], {}, "none");
    tally.result({
      node: "a",
      status: "done",
      hash: hashOf("a"),
      durationMs: 1530,
      attempts: 2,
      output: { o: 6 },
    });
    tally.result({
      node: "b",
      status: "cached",
      hash: hashOf("b"),
      durationMs: 0.2,
      attempts: 0,
      output: { text: "x".repeat(500) },
    });
    const lines = summaryTable(tally.table(), 80);
    assert.equal(lines[0], "node  status   duration  tries  output");
    assert.equal(lines[1], 'a     done     1.53 s    2      {"o":6}');
    assert.match(lines[2]!, /^b {5}cached .*\{"text":"x+…$/);
    assert.ok(lines[2]!.length <= 80, lines[2]);
    assert.match(lines[3]!, /^c {5}not-run$/);
  });

  it("the summary line: executed vs cached, wall time, time saved by the cache", () => {
    assert.equal(summaryLine(summary({})), "3 nodes: 3 executed, 0 cached · wall 1.53 s");
    assert.equal(
      summaryLine(summary({ executed: 1, cached: 2, savedMs: 2400, savedKnown: 2 })),
      "3 nodes: 1 executed, 2 cached · wall 1.53 s · saved by the cache ≈ 2.40 s of node time",
    );
    assert.equal(
      summaryLine(summary({ executed: 0, cached: 3, savedMs: 400, savedKnown: 2 })),
      "3 nodes: 0 executed, 3 cached · wall 1.53 s · saved by the cache ≈ 400 ms of node time (2 of 3 cached nodes have a recorded duration)",
    );
    assert.equal(
      summaryLine(summary({ ok: false, executed: 1, failed: 1, notRun: 1 })),
      "3 nodes: 1 executed, 0 cached, 1 failed, 1 not run · wall 1.53 s · FAILED",
    );
  });

  it("the time saved adds up the recorded durations of the cached nodes", () => {
    const tally = new RunTally(graph, ["a", "b", "c"], { [hashOf("a")]: 1000, [hashOf("b")]: 250 }, "none");
    tally.result({ node: "a", status: "cached", hash: hashOf("a"), durationMs: 0, attempts: 0, output: {} });
    tally.result({ node: "b", status: "done", hash: hashOf("b"), durationMs: 260, attempts: 1, output: {} });
    tally.result({ node: "c", status: "cached", hash: hashOf("c"), durationMs: 0, attempts: 0, output: {} });
    const s = tally.summary();
    assert.equal(s.savedMs, 1000);
    assert.equal(s.savedKnown, 1);
    assert.deepEqual([...tally.executedDurations()], [[hashOf("b"), 260]]);
  });

  const hasScript = spawnSync("script", ["--version"]).status === 0;
  it("end to end in a pseudo-terminal: the bar, then the table", {
    skip: !hasScript && "no `script` command",
  }, () => {
    const dir = tempDir();
    const spec = writeFile(
      dir,
      "slow.yaml",
      [
        "p: { node: Multiply, arguments: { delayMs: 300 }, inputs: { x: 1, y: 2 } }",
        "q: { node: AddMul, inputs: { x: '${p.o}', y: 1 } }",
        "",
      ].join("\n"),
    );
    const command = [process.execPath, CLI, "run", spec, "--require", NODES, "--no-cache"]
      .map((a) => `'${a.replace(/'/g, "'\\''")}'`)
      .join(" ");
    const child = spawnSync("script", ["-qec", command, "/dev/null"], {
      encoding: "utf8",
      timeout: 30_000,
      cwd: path.dirname(spec),
    });
    assert.equal(child.status, 0, child.stdout);
    assert.match(child.stdout, /\[[█░]{24}\] 0\/2 · done 0 · cached 0 · failed 0 · running 1: p/);
    assert.match(child.stdout, /node {2}status {2}duration +output/);
    assert.match(child.stdout, /2 nodes: 2 executed, 0 cached · wall/);
  });
});
