import assert from "node:assert/strict";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import type { Redis } from "ioredis";
import { connectLiveRedis, deleteKeys, uniqueName } from "../fixtures/live-redis";
import {
  assertExit,
  cleanUp,
  jsonLines,
  moirae,
  NODES,
  resultsOf,
  seedYaml,
  tempDir,
  writeFile,
} from "./cli-harness";

const URL = "redis://127.0.0.1:6379/0";
const PREFIX = `${uniqueName("cli")}:`;

describe("moirae run --redis (real server at 127.0.0.1:6379)", () => {
  let admin: Redis | undefined;
  let unavailable = "";

  before(async () => {
    ({ admin, unavailable } = await connectLiveRedis("the CLI's Redis test"));
  });

  after(async () => {
    cleanUp();
    if (!admin) return;
    await deleteKeys(admin, PREFIX);
    admin.disconnect();
  });

  it("caches in Redis, records the run in --cache-dir, and explain looks in Redis", async (t) => {
    if (!admin) return t.skip(unavailable);
    const dir = tempDir();
    const spec = writeFile(dir, "seed.yaml", seedYaml(2));
    const record = path.join(dir, "record");
    const flags = ["--require", NODES, "--cache-dir", record, "--redis", URL, "--redis-prefix", PREFIX];

    const first = await moirae(["run", spec, ...flags]);
    assertExit(first, 0);
    for (const result of Object.values(resultsOf(first))) assert.equal(result.status, "done");
    assert.match(
      jsonLines(first).at(-1)!.cache,
      /^redis:\/\/127\.0\.0\.1:6379\/0 \(prefix "moirae-test-cli-/,
    );

    const second = await moirae(["run", spec, ...flags]);
    assertExit(second, 0);
    for (const result of Object.values(resultsOf(second))) assert.equal(result.status, "cached");
    assert.ok(jsonLines(second).at(-1)!.savedMs > 0, "durations are recorded in --cache-dir");

    const explain = await moirae(["explain", spec, "c", ...flags]);
    assertExit(explain, 0);
    assert.match(
      explain.stdout,
      /^c: cached: same hash as the last run, and redis:\/\/.* holds its entry: hit\.$/m,
    );

    const stats = await moirae(["cache", "stats", "--cache-dir", record]);
    assert.match(stats.stdout, /0 entries, 0 B; last run /, "the entries are in Redis, not in the directory");
  });
});
