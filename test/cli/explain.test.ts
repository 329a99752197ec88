import assert from "node:assert/strict";
import * as path from "node:path";
import { after, describe, it } from "node:test";
import {
  assertExit,
  CONCURRENCY,
  cleanUp,
  jsonLines,
  moirae,
  NODES,
  seedYaml,
  tempDir,
  writeFile,
} from "./cli-harness";

after(cleanUp);

function workspace(): { dir: string; spec: string; cache: string } {
  const dir = tempDir();
  return { dir, spec: writeFile(dir, "seed.yaml", seedYaml(2)), cache: path.join(dir, "cache") };
}

describe("moirae explain", { concurrency: CONCURRENCY }, () => {
  it("after an argument changed: the changed argument, and for a dependent the upstream node's reason", async () => {
    const { dir, spec, cache } = workspace();
    assertExit(await moirae(["run", spec, "--require", NODES, "--cache-dir", cache]), 0);
    writeFile(dir, "seed.yaml", seedYaml(3));

    const a = await moirae(["explain", spec, "a", "--require", NODES, "--cache-dir", cache]);
    assertExit(a, 0);
    assert.match(a.stdout, /^last run: .*seed\.yaml at \d{4}-\d\d-\d\dT/m);
    assert.match(a.stdout, /^a: miss: its hash changed since the last run:$/m);
    assert.match(a.stdout, /^ {2}- argument coef: 2 → 3$/m);

    const c = await moirae(["explain", spec, "c", "--require", NODES, "--cache-dir", cache]);
    assertExit(c, 0);
    assert.match(c.stdout, /^ {2}- upstream a \(input y\) changed, because:\n {6}- argument coef: 2 → 3$/m);
    assert.match(c.stdout, /^root causes:\n {2}- a: argument coef: 2 → 3$/m);
  });

  it("an unchanged node: same hash as the last run, hit when its entry is present", async () => {
    const { dir, spec, cache } = workspace();
    assertExit(await moirae(["run", spec, "--require", NODES, "--cache-dir", cache]), 0);
    writeFile(dir, "seed.yaml", seedYaml(3));
    const b = await moirae(["explain", spec, "b", "--require", NODES, "--cache-dir", cache]);
    assertExit(b, 0);
    assert.match(b.stdout, /^b: cached: same hash as the last run, and .* holds its entry: hit\.$/m);

    assertExit(await moirae(["cache", "clear", "--cache-dir", cache]), 0);
    const cleared = await moirae(["explain", spec, "b", "--require", NODES, "--cache-dir", cache]);
    assert.match(cleared.stdout, /^b: same hash as the last run, but .* holds no entry for it: miss/m);
  });

  it("--json gives the verdict and the changes as data", async () => {
    const { dir, spec, cache } = workspace();
    assertExit(await moirae(["run", spec, "--require", NODES, "--cache-dir", cache]), 0);
    writeFile(dir, "seed.yaml", seedYaml(3));
    const run = await moirae(["explain", spec, "c", "--require", NODES, "--cache-dir", cache, "--json"]);
    assertExit(run, 0);
    const [verdict] = jsonLines(run);
    assert.equal(verdict!.node, "c");
    assert.equal(verdict!.hit, false);
    assert.equal(verdict!.reason, "changed");
    assert.deepEqual(verdict!.rootCauses, [{ change: "argument coef: 2 → 3", nodes: ["a"] }]);
    assert.deepEqual(verdict!.changes, [
      { text: "upstream a (input y) changed", upstream: [{ text: "argument coef: 2 → 3" }] },
    ]);
  });

  it("no run recorded, and a node that was not in the last run", async () => {
    const { spec, cache } = workspace();
    const none = await moirae(["explain", spec, "a", "--require", NODES, "--cache-dir", cache]);
    assertExit(none, 0);
    assert.match(none.stdout, /^no run recorded in .*cache; a: .* holds no entry for its hash: miss\.$/m);

    assertExit(await moirae(["run", spec, "--require", NODES, "--cache-dir", cache, "--target", "a"]), 0);
    const c = await moirae(["explain", spec, "c", "--require", NODES, "--cache-dir", cache]);
    assertExit(c, 0);
    assert.match(c.stdout, /^node c was not in the last run; /m);
  });

  it("a node that is not in the graph is a usage error", async () => {
    const { spec, cache } = workspace();
    const run = await moirae(["explain", spec, "cc", "--require", NODES, "--cache-dir", cache]);
    assertExit(run, 2);
    assert.match(run.stderr, /^error: node "cc" is not a node of the graph; did you mean "c"/);
  });
});

describe("a corrupt run record (meta/last-run.json)", { concurrency: CONCURRENCY }, () => {
  const corrupt: [string, string, RegExp][] = [
    ["nodes is null", '{"version":1,"spec":"s","time":"t","nodes":null}', /nodes is null, not an object/],
    ["garbage", "\u0000\u0001 not json", /it is not JSON/],
    ["truncated", '{"version":1,"spec":"s","time":"t","nod', /it is not JSON/],
    ["a list", "[1, 2]", /it holds a list, not an object/],
    [
      "wrong types inside",
      '{"version":1,"spec":"s","time":"t","nodes":{"a":{"status":"done","hash":{"hash":5}}}}',
      /nodes\.a\.hash\.hash is 5, not a node hash/,
    ],
    [
      "an entry without a fingerprint",
      `{"version":1,"spec":"s","time":"t","nodes":{"a":{"status":"done","hash":{"hash":"${"ab".repeat(32)}","node":"a","formatVersion":1}}}}`,
      /nodes\.a\.hash\.fingerprint is missing, not an object/,
    ],
  ];
  for (const [what, text, reason] of corrupt) {
    it(`${what}: explain and graph --cache-dir say which file is corrupt and why (exit 1); cache stats warns`, async () => {
      const { spec, cache } = workspace();
      assertExit(await moirae(["run", spec, "--require", NODES, "--cache-dir", cache]), 0);
      const record = path.join(cache, "meta", "last-run.json");
      writeFile(path.dirname(record), "last-run.json", text);
      for (const args of [
        ["explain", spec, "c", "--require", NODES, "--cache-dir", cache],
        ["graph", spec, "--require", NODES, "--cache-dir", cache],
      ]) {
        const run = await moirae(args);
        assertExit(run, 1);
        assert.equal(run.stdout, "");
        assert.match(run.stderr, /^error: CorruptRecordError: the run record .*last-run\.json is corrupt: /);
        assert.match(run.stderr, reason);
        assert.match(
          run.stderr,
          /Run the graph again with this cache directory to rewrite it, or delete the file\./,
        );
        assert.doesNotMatch(run.stderr, /TypeError|^\s+at /m);
      }
      const stats = await moirae(["cache", "stats", "--cache-dir", cache]);
      assertExit(stats, 0);
      assert.match(stats.stdout, /cache: 3 entries/);
      assert.match(stats.stderr, /^warning: the run record .*is corrupt/);
      // the next run rewrites it
      assertExit(await moirae(["run", spec, "--require", NODES, "--cache-dir", cache]), 0);
      assertExit(await moirae(["explain", spec, "c", "--require", NODES, "--cache-dir", cache]), 0);
    });
  }
});

describe("moirae cache", { concurrency: CONCURRENCY }, () => {
  it("stats and clear on a --cache-dir that is a regular file: a usage error naming it (exit 2)", async () => {
    const dir = tempDir();
    const file = writeFile(dir, "not-a-dir", "hello");
    for (const command of ["stats", "clear"]) {
      const run = await moirae(["cache", command, "--cache-dir", file]);
      assertExit(run, 2);
      assert.equal(run.stdout, "");
      assert.match(run.stderr, /^error: --cache-dir .*not-a-dir is a file, not a cache directory/);
    }
  });

  it("stats counts entries and bytes; clear removes them and says how many", async () => {
    const { spec, cache } = workspace();
    const empty = await moirae(["cache", "stats", "--cache-dir", cache]);
    assertExit(empty, 0);
    assert.match(empty.stdout, /cache: 0 entries, 0 B$/m);

    assertExit(await moirae(["run", spec, "--require", NODES, "--cache-dir", cache]), 0);
    const stats = await moirae(["cache", "stats", "--cache-dir", cache]);
    assertExit(stats, 0);
    assert.match(stats.stdout, /cache: 3 entries, \d+(\.\d)? (B|KiB); last run .*seed\.yaml, 3 nodes\)$/m);
    const [json] = jsonLines(await moirae(["cache", "stats", "--cache-dir", cache, "--json"]));
    assert.equal(json!.entries, 3);
    assert.ok(json!.bytes > 0);

    const clear = await moirae(["cache", "clear", "--cache-dir", cache]);
    assertExit(clear, 0);
    assert.match(clear.stdout, /^removed 3 entries \(\d+(\.\d)? (B|KiB)\) from .*cache$/m);
    assert.match((await moirae(["cache", "stats", "--cache-dir", cache])).stdout, /0 entries, 0 B/);
  });

  it("cache without a subcommand shows its help as a usage error", async () => {
    const run = await moirae(["cache"]);
    assertExit(run, 2);
    assert.match(run.stderr, /stats/);
  });
});
