import assert from "node:assert/strict";
import * as path from "node:path";
import { after, describe, it } from "node:test";
import {
  assertExit,
  CONCURRENCY,
  cleanUp,
  FIXTURES,
  jsonLines,
  moirae,
  NODES,
  seedYaml,
  tempDir,
  writeFile,
} from "./cli-harness";

after(cleanUp);

describe("moirae validate", { concurrency: CONCURRENCY }, () => {
  it("lists every problem of a broken spec, one per line with its position, path and code, and exits 1", async () => {
    const run = await moirae(["validate", path.join(FIXTURES, "broken.yaml"), "--require", NODES]);
    assertExit(run, 1);
    const lines = run.stdout.trimEnd().split("\n");
    assert.match(lines[0]!, /broken\.yaml: invalid graph, 6 problems:$/);
    const problems = lines.slice(1).map((l) => l.trim());
    assert.equal(problems.length, 6);
    const expected = [
      ["2:9", "a.node", "unknown-node-class", /"AddMull"; did you mean "AddMul"\?/],
      ["6:25", "b.arguments.delayMs", "invalid-argument", /delayMs must not be less than 0/],
      ["7:22", "b.inputs.z", "unknown-input", /XY has no field "z"/],
      ["7:11", "b.inputs.y", "missing-input", /input field "y"/],
      ["11:8", "c.inputs.x", "unknown-output-field", /Multiply's output has no field "q"/],
      ["12:8", "c.inputs.y", "unknown-reference-node", /refers to node "d", which is not in the graph/],
    ] as const;
    for (const [position, specPath, code, message] of expected) {
      const line = problems.find((p) => p.includes(` ${specPath} [${code}] `));
      assert.ok(line, `no line for ${specPath} [${code}] in:\n${run.stdout}`);
      assert.ok(line.includes(`broken.yaml:${position}: `), `${line} should point at ${position}`);
      assert.match(line, message);
    }
  });

  it("prints a one-line summary and exits 0 for a valid JSON spec", async () => {
    const run = await moirae(["validate", path.join(FIXTURES, "seed.json"), "--require", NODES]);
    assertExit(run, 0);
    assert.equal(run.stdout.trimEnd().split("\n").length, 1);
    assert.match(run.stdout, /seed\.json: valid graph, 3 nodes \(AddMul ×2, Multiply\), 2 edges/);
    assert.equal(run.stderr, "");
  });

  it("reads YAML specs, references written unquoted", async () => {
    const run = await moirae(["validate", path.join(FIXTURES, "seed.yaml"), "--require", NODES]);
    assertExit(run, 0);
    assert.match(run.stdout, /valid graph, 3 nodes/);
  });

  it("resolves --require and the spec against the current directory", async () => {
    const dir = tempDir();
    writeFile(dir, "spec.yml", seedYaml());
    const run = await moirae(["validate", "spec.yml", "-r", path.relative(dir, NODES)], { cwd: dir });
    assertExit(run, 0);
  });

  it("reads the spec from standard input with -", async () => {
    const run = await moirae(["validate", "-", "--require", NODES], { input: seedYaml() });
    assertExit(run, 0);
    assert.match(run.stdout, /^-: valid graph/);
  });

  it("--json prints the issues as data", async () => {
    const run = await moirae(["validate", path.join(FIXTURES, "broken.yaml"), "--require", NODES, "--json"]);
    assertExit(run, 1);
    const [report] = jsonLines(run);
    assert.equal(report!.valid, false);
    assert.equal(report!.issues.length, 6);
    assert.deepEqual(Object.keys(report!.issues[0]).sort(), ["code", "location", "message", "node", "path"]);
  });

  it("points a cycle at the file", async () => {
    const dir = tempDir();
    const spec = writeFile(
      dir,
      "cycle.yaml",
      "a: { node: AddMul, inputs: { x: '${b.o}', y: 1 } }\nb: { node: AddMul, inputs: { x: '${a.o}', y: 1 } }\n",
    );
    const run = await moirae(["validate", spec, "--require", NODES]);
    assertExit(run, 1);
    assert.match(run.stdout, /\[cycle\] cycle: a -> b -> a/);
  });
});
