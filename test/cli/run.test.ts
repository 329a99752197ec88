import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { after, describe, it } from "node:test";
import {
  assertExit,
  assertNoStack,
  CLI,
  CONCURRENCY,
  cleanUp,
  jsonLines,
  moirae,
  NODES,
  resultsOf,
  seedYaml,
  tempDir,
  writeFile,
} from "./cli-harness";

after(cleanUp);

/** A temp dir with the seed spec (coef as given) and a cache directory path. */
function workspace(coef = 2): { dir: string; spec: string; cache: string } {
  const dir = tempDir();
  return { dir, spec: writeFile(dir, "seed.yaml", seedYaml(coef)), cache: path.join(dir, "cache") };
}

const FAILING = [
  "a: { node: AddMul, inputs: { x: 1, y: 2 } }",
  'boom: { node: Explode, arguments: { reason: "bad luck" }, inputs: { x: 1, y: 2 } }',
  "slow: { node: Multiply, arguments: { delayMs: 200 }, inputs: { x: 1, y: 2 } }",
  "after: { node: AddMul, inputs: { x: '${boom.o}', y: '${a.o}' } }",
  "",
].join("\n");

describe("moirae run", { concurrency: CONCURRENCY }, () => {
  it("runs the graph: exit 0, one result per node with its output, then a summary", async () => {
    const { spec, cache } = workspace();
    const run = await moirae(["run", spec, "--require", NODES, "--cache-dir", cache]);
    assertExit(run, 0);
    const results = resultsOf(run);
    assert.deepEqual(Object.fromEntries(Object.entries(results).map(([n, r]) => [n, [r.status, r.output]])), {
      a: ["done", { o: 6 }],
      b: ["done", { o: 6 }],
      c: ["done", { o: 12 }],
    });
    const summary = jsonLines(run).at(-1)!;
    assert.equal(summary.type, "summary");
    assert.equal(summary.ok, true);
    assert.equal(summary.executed, 3);
    assert.equal(summary.cached, 0);
    assert.equal(summary.cache, cache);
  });

  it("a rerun takes every node from the cache, and tells the time it saved", async () => {
    const { spec, cache } = workspace();
    assertExit(await moirae(["run", spec, "--require", NODES, "--cache-dir", cache]), 0);
    const rerun = await moirae(["run", spec, "--require", NODES, "--cache-dir", cache]);
    assertExit(rerun, 0);
    const results = resultsOf(rerun);
    assert.deepEqual(Object.keys(results).sort(), ["a", "b", "c"]);
    for (const result of Object.values(results))
      assert.equal(result.status, "cached", JSON.stringify(result));
    assert.deepEqual(results.c!.output, { o: 12 });
    const summary = jsonLines(rerun).at(-1)!;
    assert.equal(summary.executed, 0);
    assert.equal(summary.cached, 3);
    assert.equal(summary.savedKnown, 3);
    assert.ok(summary.savedMs > 0);
  });

  it("after an argument changes, only that node and its dependents run again", async () => {
    const first = workspace(2);
    assertExit(await moirae(["run", first.spec, "--require", NODES, "--cache-dir", first.cache]), 0);
    writeFile(first.dir, "seed.yaml", seedYaml(3));
    const run = await moirae(["run", first.spec, "--require", NODES, "--cache-dir", first.cache]);
    assertExit(run, 0);
    const results = resultsOf(run);
    assert.equal(results.a!.status, "done");
    assert.equal(results.b!.status, "cached");
    assert.equal(results.c!.status, "done");
    assert.deepEqual(results.c!.output, { o: 15 });
  });

  it("--json: every line parses; events, results and a final summary", async () => {
    const { spec, cache } = workspace();
    const run = await moirae(["run", spec, "--require", NODES, "--cache-dir", cache, "--json"]);
    assertExit(run, 0);
    const lines = jsonLines(run);
    const types = new Set(lines.map((l) => l.type));
    for (const type of ["run:start", "node:start", "node:done", "result", "run:done", "summary"]) {
      assert.ok(types.has(type), `no ${type} line`);
    }
    assert.equal(lines.filter((l) => l.type === "summary").length, 1);
    assert.equal(lines.at(-1)!.type, "summary");
    for (const line of lines.filter((l) => l.type.startsWith("node:"))) {
      assert.equal(typeof line.node, "string");
      assert.match(line.hash, /^[0-9a-f]{64}$/);
      assert.equal(typeof line.time, "number");
    }
  });

  it("--no-cache executes everything, even with a filled cache, and records nothing", async () => {
    const { dir, spec } = workspace();
    assertExit(await moirae(["run", spec, "--require", NODES], { cwd: dir }), 0);
    assert.ok(fs.existsSync(path.join(dir, ".moirae-cache")), "the default cache directory is .moirae-cache");
    const before = fs.readFileSync(path.join(dir, ".moirae-cache", "meta", "last-run.json"), "utf8");
    const run = await moirae(["run", spec, "--require", NODES, "--no-cache"], { cwd: dir });
    assertExit(run, 0);
    for (const result of Object.values(resultsOf(run))) assert.equal(result.status, "done");
    assert.equal(jsonLines(run).at(-1)!.cache, "none");
    assert.equal(fs.readFileSync(path.join(dir, ".moirae-cache", "meta", "last-run.json"), "utf8"), before);
  });

  it("a failing node: exit 1, the node, its message and cause chain on stderr, an error result", async () => {
    const dir = tempDir();
    const spec = writeFile(dir, "failing.yaml", FAILING);
    const run = await moirae(["run", spec, "--require", NODES, "--no-cache"]);
    assertExit(run, 1);
    assert.match(run.stderr, /^failed: boom: exploded: bad luck$/m);
    assert.match(run.stderr, /^ {2}caused by RangeError: the fuse was too short$/m);
    assertNoStack(run.stderr);
    const boom = resultsOf(run).boom!;
    assert.equal(boom.status, "failed");
    assert.equal(boom.error.name, "NodeExecutionError");
    assert.equal(boom.error.cause.message, "exploded: bad luck");
    assert.deepEqual(boom.error.cause.cause, { name: "RangeError", message: "the fuse was too short" });
    const summary = jsonLines(run).at(-1)!;
    assert.equal(summary.ok, false);
    assert.equal(summary.failed, 1);
  });

  it("a node that throws an object without prototype: exit 1 with a message, never a TypeError", async () => {
    const dir = tempDir();
    const spec = writeFile(dir, "odd.yaml", "odd: { node: ThrowNull, inputs: { x: 1, y: 2 } }\n");
    for (const flags of [["--json"], ["--no-json"], ["--json", "--verbose"]]) {
      const run = await moirae(["run", spec, "--require", NODES, "--no-cache", ...flags]);
      assertExit(run, 1);
      assert.match(run.stderr, /^failed: odd: .*an object without prototype/m);
      assert.doesNotMatch(run.stderr + run.stdout, /TypeError|Cannot convert object/);
    }
  });

  it("--verbose adds the stack of the failed node's error and its causes", async () => {
    const dir = tempDir();
    const spec = writeFile(dir, "failing.yaml", FAILING);
    const run = await moirae(["run", spec, "--require", NODES, "--no-cache", "--verbose"]);
    assertExit(run, 1);
    assert.match(run.stderr, /^ {4}caused by Error: exploded: bad luck\n {8}at Explode\.execute /m);
  });

  it("--continue finishes the independent branches and skips the failed node's dependents", async () => {
    const dir = tempDir();
    const spec = writeFile(dir, "failing.yaml", FAILING);
    const run = await moirae(["run", spec, "--require", NODES, "--no-cache", "--continue"]);
    assertExit(run, 1);
    const results = resultsOf(run);
    assert.equal(results.a!.status, "done");
    assert.equal(results.slow!.status, "done");
    assert.equal(results.boom!.status, "failed");
    assert.equal(results.after!.status, "skipped");
    assert.match(run.stderr, /^skipped: after \(an ancestor failed\)$/m);
  });

  it("--target runs only the target and its ancestors", async () => {
    const { spec, cache } = workspace();
    const run = await moirae(["run", spec, "--require", NODES, "--cache-dir", cache, "--target", "a"]);
    assertExit(run, 0);
    assert.deepEqual(Object.keys(resultsOf(run)), ["a"]);
    assert.equal(jsonLines(run).at(-1)!.nodes, 1);
  });

  it("--print shows a node's output or one field of it after the run", async () => {
    const { spec } = workspace();
    const human = await moirae([
      "run",
      spec,
      "--require",
      NODES,
      "--no-cache",
      "--no-json",
      "--print",
      "c.o",
      "-p",
      "a",
    ]);
    assertExit(human, 0);
    assert.match(human.stdout, /· wall [\d.]+ m?s\n12\n\{\n {2}"o": 6\n\}\n$/);
    const json = await moirae(["run", spec, "--require", NODES, "--no-cache", "--print", "c.o"]);
    assertExit(json, 0);
    assert.deepEqual(jsonLines(json).at(-1), { type: "print", node: "c", field: "o", text: "12" });
    const unknown = await moirae(["run", spec, "--require", NODES, "--no-cache", "--print", "z.o"]);
    assertExit(unknown, 2);
    assert.match(unknown.stderr, /^error: --print "z" is not a node of the graph/);
  });

  it("--concurrency 1 runs one node at a time", async () => {
    const dir = tempDir();
    const spec = writeFile(
      dir,
      "parallel.yaml",
      [
        "p: { node: Multiply, arguments: { delayMs: 50 }, inputs: { x: 1, y: 2 } }",
        "q: { node: Multiply, arguments: { delayMs: 50 }, inputs: { x: 3, y: 4 } }",
        "",
      ].join("\n"),
    );
    const run = await moirae(["run", spec, "--require", NODES, "--no-cache", "--concurrency", "1"]);
    assertExit(run, 0);
    let running = 0;
    let most = 0;
    for (const line of jsonLines(run)) {
      if (line.type === "node:start") most = Math.max(most, ++running);
      if (line.type === "node:done") running--;
    }
    assert.equal(most, 1);
  });

  it("--timeout fails a node that takes longer", async () => {
    const dir = tempDir();
    const spec = writeFile(
      dir,
      "slow.yaml",
      "s: { node: Multiply, arguments: { delayMs: 2000 }, inputs: { x: 1, y: 2 } }\n",
    );
    const run = await moirae(["run", spec, "--require", NODES, "--no-cache", "--timeout", "50"]);
    assertExit(run, 1);
    assert.equal(resultsOf(run).s!.error.name, "NodeTimeoutError");
    assert.match(run.stderr, /^failed: s: /m);
  });

  it("an invalid spec: exit 1, its problems on stderr", async () => {
    const dir = tempDir();
    const spec = writeFile(dir, "bad.yaml", "a: { node: AddMul, inputs: { x: 1 } }\n");
    const run = await moirae(["run", spec, "--require", NODES, "--no-cache"]);
    assertExit(run, 1);
    assert.equal(run.stdout, "");
    assert.match(
      run.stderr,
      /bad\.yaml: invalid graph, 1 problem:\n {2}.*bad\.yaml:1:\d+: a\.inputs\.y \[missing-input\]/,
    );
  });

  it("--no-json prints a summary table: node, status, duration, output; executed vs cached; time saved", async () => {
    const { spec, cache } = workspace();
    const first = await moirae(["run", spec, "--require", NODES, "--cache-dir", cache, "--no-json"]);
    assertExit(first, 0);
    assert.match(first.stdout, /^node {2}status {2}duration +output$/m);
    assert.match(first.stdout, /^c {5}done {4}[\d.]+ ms +\{"o":12\}$/m);
    assert.match(first.stdout, /^3 nodes: 3 executed, 0 cached · wall [\d.]+ m?s$/m);
    const second = await moirae(["run", spec, "--require", NODES, "--cache-dir", cache, "--no-json"]);
    assertExit(second, 0);
    assert.match(second.stdout, /^a {5}cached/m);
    assert.match(
      second.stdout,
      /^3 nodes: 0 executed, 3 cached · wall [\d.]+ m?s · saved by the cache ≈ [\d.]+ m?s of node time$/m,
    );
  });
});

describe("moirae run, its reader gone", () => {
  it("`moirae run … --json | head -1`: exits 0 quietly when standard output is closed (EPIPE), no stack trace", async () => {
    const dir = tempDir();
    const spec = writeFile(
      dir,
      "wide.yaml",
      Array.from({ length: 500 }, (_, i) => `n${i}: { node: AddMul, inputs: { x: ${i}, y: 1 } }\n`).join(""),
    );
    for (const args of [["--json"]]) {
      const child = spawn(process.execPath, [CLI, "run", spec, "--require", NODES, "--no-cache", ...args], {
        cwd: dir,
      });
      let stderr = "";
      child.stderr.on("data", (chunk) => {
        stderr += chunk;
      });
      // Read one chunk, then close the pipe as `head -1` does.
      child.stdout.once("data", () => child.stdout.destroy());
      const code = await new Promise<number | null>((resolve) => child.on("close", (c) => resolve(c)));
      assert.equal(code, 0, stderr);
      assert.doesNotMatch(stderr, /EPIPE|Unhandled|^\s+at /m);
    }
  });
});

describe("moirae run, interrupted", { concurrency: CONCURRENCY }, () => {
  it("Ctrl-C aborts the running nodes and exits 130", async () => {
    const dir = tempDir();
    const spec = writeFile(
      dir,
      "slow.yaml",
      "s: { node: Multiply, arguments: { delayMs: 20000 }, inputs: { x: 1, y: 2 } }\n",
    );
    const child = spawn(process.execPath, [CLI, "run", spec, "--require", NODES, "--no-cache"], { cwd: dir });
    let stdout = "";
    let stderr = "";
    child.stderr.on("data", (chunk) => {
      stderr += chunk;
    });
    const started = new Promise<void>((resolve) => {
      child.stdout.on("data", (chunk) => {
        stdout += chunk;
        if (stdout.includes('"type":"node:start"')) resolve();
      });
    });
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    await started;
    const sent = Date.now();
    child.kill("SIGINT");
    assert.equal(await exited, 130, stderr);
    assert.ok(Date.now() - sent < 5000, "the run stops without waiting for the node");
    assert.match(stderr, /^error: interrupted \(Ctrl-C\)/m);
    const summary = JSON.parse(stdout.trimEnd().split("\n").at(-1)!);
    assert.equal(summary.type, "summary");
    assert.equal(summary.error.name, "ExecutionAbortedError");
  });
});
