import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { after, describe, it } from "node:test";
import { assertExit, CONCURRENCY, cleanUp, FIXTURES, moirae, NODES, seedYaml, tempDir } from "./cli-harness";

after(cleanUp);

const seed = path.join(FIXTURES, "seed.yaml");

describe("moirae graph", { concurrency: CONCURRENCY }, () => {
  it("prints a Mermaid flowchart by default", async () => {
    const run = await moirae(["graph", seed, "--require", NODES]);
    assertExit(run, 0);
    assert.match(run.stdout, /^flowchart/);
    assert.match(run.stdout, /n_b -- "o → x" --> n_c/);
  });

  it("prints Graphviz DOT with --format dot", async () => {
    const run = await moirae(["graph", seed, "--require", NODES, "--format", "dot"]);
    assertExit(run, 0);
    assert.match(run.stdout, /^digraph/);
  });

  it("prints JSON that parses with --format json", async () => {
    const run = await moirae(["graph", seed, "--require", NODES, "-f", "json"]);
    assertExit(run, 0);
    const graph = JSON.parse(run.stdout);
    assert.deepEqual(graph.order.slice().sort(), ["a", "b", "c"]);
    assert.equal(graph.edges.length, 2);
    assert.match(graph.nodes[0].hash, /^[0-9a-f]{64}$/);
  });

  it("writes the picture to --output and says so on standard error", async () => {
    const file = path.join(tempDir(), "pictures", "seed.mmd");
    const run = await moirae(["graph", seed, "--require", NODES, "--output", file]);
    assertExit(run, 0);
    assert.equal(run.stdout, "");
    assert.match(run.stderr, /wrote .*seed\.mmd \(mermaid, 3 nodes\)/);
    assert.match(fs.readFileSync(file, "utf8"), /^flowchart/);
  });

  it("draws only a target and its ancestors with --target", async () => {
    const run = await moirae(["graph", seed, "--require", NODES, "-f", "json", "--target", "a"]);
    assertExit(run, 0);
    assert.deepEqual(JSON.parse(run.stdout).order, ["a"]);
  });

  it("--cache-dir colours the nodes by the last run recorded there; changed nodes are pending", async () => {
    const dir = tempDir();
    const cache = path.join(dir, "cache");
    const spec = path.join(dir, "seed.yaml");
    fs.writeFileSync(spec, seedYaml(2));
    assertExit(await moirae(["run", spec, "--require", NODES, "--cache-dir", cache, "--target", "a"]), 0);
    fs.writeFileSync(spec, seedYaml(2).replace("x: 3, y: 2", "x: 4, y: 2"));
    const run = await moirae(["graph", spec, "--require", NODES, "--cache-dir", cache]);
    assertExit(run, 0);
    assert.match(run.stdout, /^ {2}class n_a done$/m);
    assert.match(run.stdout, /^ {2}class n_b pending$/m);
    assert.match(run.stdout, /^ {2}class n_c pending$/m);
    assert.match(run.stdout, /^ {2}classDef done fill:/m);
    const none = await moirae(["graph", spec, "--require", NODES, "--cache-dir", path.join(dir, "nothing")]);
    assertExit(none, 2);
    assert.match(none.stderr, /^error: no run recorded in /);
  });

  it("rejects an unknown format and an unknown target as usage errors", async () => {
    const format = await moirae(["graph", seed, "--require", NODES, "--format", "png"]);
    assertExit(format, 2);
    assert.match(format.stderr, /argument 'png' is invalid\. Allowed choices are mermaid, dot, json/);
    const target = await moirae(["graph", seed, "--require", NODES, "--target", "cc"]);
    assertExit(target, 2);
    assert.match(target.stderr, /^error: --target "cc" is not a node of the graph; did you mean "c"/);
  });
});
