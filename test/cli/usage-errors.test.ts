import assert from "node:assert/strict";
import * as path from "node:path";
import { after, describe, it } from "node:test";
import {
  assertExit,
  assertNoStack,
  type CliRun,
  CONCURRENCY,
  cleanUp,
  FIXTURES,
  moirae,
  NODES,
  tempDir,
  writeFile,
} from "./cli-harness";

after(cleanUp);

const seed = path.join(FIXTURES, "seed.json");

/** Exit 2, nothing on standard output, one line on standard error matching `reason`, no stack trace. */
function assertUsageError(run: CliRun, reason: RegExp): void {
  assertExit(run, 2);
  assert.equal(run.stdout, "");
  const lines = run.stderr.trimEnd().split("\n");
  assert.equal(lines.length, 1, `expected one line on stderr, got:\n${run.stderr}`);
  assert.match(lines[0]!, reason);
  assertNoStack(run.stderr);
}

describe("usage errors exit 2 with a one-line reason", { concurrency: CONCURRENCY }, () => {
  it("a --require path that does not exist", async () => {
    const run = await moirae(["validate", seed, "--require", "./no/such/nodes.js"]);
    assertUsageError(
      run,
      /^error: cannot load module \.\/no\/such\/nodes\.js: no such file \(resolved to .*nodes\.js\)$/,
    );
  });

  it("a module that throws while loading; --verbose adds the stacks", async () => {
    const dir = tempDir();
    const module = writeFile(dir, "throws.js", 'throw new TypeError("cannot read the\\nconfiguration");\n');
    assertUsageError(
      await moirae(["validate", seed, "--require", module]),
      /^error: cannot load module .*throws\.js: TypeError: cannot read the configuration$/,
    );
    const verbose = await moirae(["validate", seed, "--require", module, "--verbose"]);
    assertExit(verbose, 2);
    assert.match(verbose.stderr, /caused by TypeError: cannot read the/);
    assert.match(verbose.stderr, /^\s+at .*throws\.js:1/m);
  });

  it("an ES module is imported (its error tells it ran)", async () => {
    const dir = tempDir();
    const module = writeFile(
      dir,
      "nodes.mjs",
      'export const x = 1;\nthrow new Error("loaded as an ES module");\n',
    );
    assertUsageError(
      await moirae(["validate", seed, "--require", module]),
      /^error: cannot load module .*nodes\.mjs: loaded as an ES module$/,
    );
  });

  it("a spec file that does not exist", async () => {
    assertUsageError(
      await moirae(["validate", "missing.yaml", "--require", NODES]),
      /^error: spec file not found: missing\.yaml \(resolved to .*missing\.yaml\)$/,
    );
  });

  it("an unknown flag, with commander's suggestion on the same line", async () => {
    assertUsageError(await moirae(["validate", seed, "--bogus"]), /^error: unknown option '--bogus'$/);
    assertUsageError(
      await moirae(["run", seed, "--concurency", "2"]),
      /^error: unknown option '--concurency' \(Did you mean --concurrency\?\)$/,
    );
  });

  it("a bad option value", async () => {
    assertUsageError(
      await moirae(["run", seed, "--require", NODES, "--concurrency", "0"]),
      /^error: option '-c, --concurrency <n>' argument '0' is invalid\. expected a whole number ≥ 1\.$/,
    );
    const ranges: [string, string[], RegExp][] = [
      ["--retries", ["-1", "1.5", "x", ""], /argument '.*' is invalid\. expected a whole number ≥ 0\.$/],
      [
        "--concurrency",
        ["-1", "0", "2.5", "1e3"],
        /argument '.*' is invalid\. expected a whole number ≥ 1\.$/,
      ],
      [
        "--timeout",
        ["0", "-5", "2147483648", "1e400", "abc"],
        /argument '.*' is invalid\. expected a whole number from 1 to 2147483647 \(milliseconds, at most about 24\.8 days\)\.$/,
      ],
    ];
    for (const [option, values, message] of ranges) {
      for (const value of values) {
        assertUsageError(await moirae(["run", seed, "--require", NODES, option, value]), message);
      }
    }
    // the ends of each range are accepted
    for (const ok of [
      ["--retries", "0"],
      ["--timeout", "2147483647"],
      ["--concurrency", "1"],
    ]) {
      assertExit(await moirae(["run", seed, "--require", NODES, "--no-cache", ...ok]), 0);
    }
    assertUsageError(
      await moirae(["run", seed, "--require", NODES, "--no-cache", "--cache-dir", "x"]),
      /^error: --no-cache cannot be combined with --cache-dir or --redis$/,
    );
  });

  it("an unknown command, and no command at all", async () => {
    assertUsageError(await moirae(["frobnicate"]), /^error: unknown command 'frobnicate'$/);
    const none = await moirae([]);
    assertExit(none, 2);
    assert.match(none.stderr, /Usage: moirae/);
  });

  it("a spec taken by --require says so", async () => {
    assertUsageError(
      await moirae(["validate", "--require", NODES, seed]),
      /^error: missing <spec>: ".*seed\.json" was read as a --require module; put the spec before --require, or end the modules with --$/,
    );
    assertExit(await moirae(["validate", "--require", NODES, "--", seed]), 0);
  });

  it("unparsable JSON and YAML, at file:line:col", async () => {
    const dir = tempDir();
    const json = writeFile(dir, "bad.json", '{\n  "a": {\n    "node": "AddMul",\n  }\n}\n');
    assertUsageError(
      await moirae(["validate", json, "--require", NODES]),
      /^error: .*bad\.json:4:3: invalid JSON: /,
    );
    const yaml = writeFile(dir, "bad.yaml", "a:\n  node: AddMul\n   inputs: { x: 1 }\n");
    assertUsageError(
      await moirae(["validate", yaml, "--require", NODES]),
      /^error: .*bad\.yaml:2:9: invalid YAML: /,
    );
  });
});

describe("help and version exit 0", { concurrency: CONCURRENCY }, () => {
  it("--help lists the commands", async () => {
    const run = await moirae(["--help"]);
    assertExit(run, 0);
    for (const command of ["run", "validate", "graph", "explain", "cache"]) {
      assert.match(run.stdout, new RegExp(`^  ${command} `, "m"));
    }
  });

  it("run --help lists its flags", async () => {
    const run = await moirae(["run", "--help"]);
    assertExit(run, 0);
    for (const flag of [
      "--require",
      "--cache-dir",
      "--no-cache",
      "--redis",
      "--concurrency",
      "--target",
      "--timeout",
      "--continue",
      "--json",
    ]) {
      assert.ok(run.stdout.includes(flag), `run --help should mention ${flag}`);
    }
  });

  it("--version prints the package version", async () => {
    const run = await moirae(["--version"]);
    assertExit(run, 0);
    assert.match(run.stdout, /^\d+\.\d+\.\d+/);
  });
});
