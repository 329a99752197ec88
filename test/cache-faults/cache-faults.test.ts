// The cache fault suite: whatever a cache does — refuse writes, fill up, hang, answer garbage, die mid-run —
// a run completes with the right outputs, every failure is a `cache:error` event, and the CLI summary counts
// them (`cacheErrors`). No wrong value is ever served.
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { after, describe, it } from "node:test";
import { parse } from "yaml";
import {
  buildGraph,
  CacheProvider,
  type ExecutionEvent,
  execute,
  FileCacheProvider,
  MemoryCacheProvider,
  RedisCacheProvider,
} from "../../src/index";
import { cleanUp, moirae, NODES, seedYaml, tempDir, writeFile } from "../cli/cli-harness";
import "../cli/fixtures/nodes";
import {
  assertSurvived,
  fillUp,
  mountTmpfs,
  SEED_OUTPUTS,
  startPrivateRedis,
  unmount,
} from "./fault-helpers";

const mounts: string[] = [];
after(() => {
  for (const dir of mounts.splice(0)) unmount(dir);
  cleanUp();
});

/** Runs the seed graph through `moirae run --json` with `cacheArgs`. */
async function cliRun(cacheArgs: string[]) {
  const dir = tempDir();
  const spec = writeFile(dir, "seed.yaml", seedYaml(2));
  return moirae(["run", spec, "--require", NODES, "--json", ...cacheArgs]);
}

/** Runs the seed graph with `cache` in this process; the outputs must be right. Returns the events. */
async function libraryRun(
  cache: CacheProvider,
  cacheTimeoutMs?: number,
  onEvent?: (e: ExecutionEvent) => void,
) {
  const events: ExecutionEvent[] = [];
  const outputs = await execute(buildGraph(parse(seedYaml(2))), {
    cache,
    cacheTimeoutMs,
    onEvent: (event) => {
      events.push(event);
      onEvent?.(event);
    },
  });
  assert.deepEqual(JSON.parse(JSON.stringify(outputs)), SEED_OUTPUTS, "no wrong value is ever served");
  return events;
}

const errorsOf = (events: ExecutionEvent[]) => events.filter((e) => e.type === "cache:error");

describe("cache faults: the file cache", () => {
  it("a read-only cache directory: every write is a cache:error, the run completes", async () => {
    const dir = tempDir();
    const cache = path.join(dir, "cache");
    if (mountTmpfs(cache, "size=1m")) {
      mounts.push(cache);
      fs.mkdirSync(path.join(cache, "meta"));
      assert.equal(
        (await import("node:child_process")).spawnSync("mount", ["-o", "remount,ro", cache]).status,
        0,
      );
    } else {
      fs.mkdirSync(cache, { mode: 0o555 });
    }
    const run = await moirae([
      "run",
      writeFile(dir, "seed.yaml", seedYaml(2)),
      "--require",
      NODES,
      "--json",
      "--cache-dir",
      cache,
    ]);
    assertSurvived(run, 3);
    assert.match(run.stderr, /warning: could not record the run/);
  });

  it("a --cache-dir that is a regular file: every write is a cache:error, the run completes", async () => {
    const dir = tempDir();
    const file = writeFile(dir, "cache", "not a directory");
    assertSurvived(await cliRun(["--cache-dir", file]), 3);
    assert.equal(fs.readFileSync(file, "utf8"), "not a directory", "the file is left alone");
  });

  it("a full disk (a small tmpfs filled up, or a provider that fails after N bytes): cache:error, no partial entry", async () => {
    const dir = tempDir();
    const cache = path.join(dir, "cache");
    if (mountTmpfs(cache, "size=64k")) {
      mounts.push(cache);
      fillUp(cache);
      const run = await cliRun(["--cache-dir", cache]);
      assertSurvived(run, 3);
      assert.match(run.stdout, /ENOSPC/);
      fs.rmSync(path.join(cache, "filler"));
      // nothing half-written was left to be served: the next run executes every node and caches it
      const again = await cliRun(["--cache-dir", cache]);
      assertSurvived(again, 0);
    }
    // A provider that fails once it holds more than 100 bytes (the fallback where no tmpfs can be mounted).
    class Quota extends FileCacheProvider {
      private used = 0;
      override async set(key: string, value: Uint8Array): Promise<void> {
        if (this.used + value.byteLength > 100)
          throw Object.assign(new Error("ENOSPC: no space left on device"), { code: "ENOSPC" });
        this.used += value.byteLength;
        return super.set(key, value);
      }
    }
    const quota = new Quota({ dir: path.join(dir, "quota") });
    const errors = errorsOf(await libraryRun(quota));
    assert.ok(errors.length >= 1 && errors.every((e) => /ENOSPC/.test(e.error!.message)));
    const second = await libraryRun(quota);
    assert.equal(second.filter((e) => e.type === "cache:hit").length, 3 - errors.length);
  });

  it("a FIFO at an entry's path: a cache:error, the node runs, no thread is blocked", async () => {
    const dir = tempDir();
    const cache = new FileCacheProvider({ dir: path.join(dir, "cache") });
    const graph = buildGraph(parse(seedYaml(2)));
    for (const name of ["a", "b", "c"]) {
      const file = cache.pathOf(graph.hashOf(name));
      fs.mkdirSync(path.dirname(file), { recursive: true });
      (await import("node:child_process")).spawnSync("mkfifo", [file]);
    }
    const errors = errorsOf(await libraryRun(cache));
    assert.ok(errors.length >= 3);
    assert.ok(errors.some((e) => /FIFO/.test(e.error!.message)));
  });
});

describe("cache faults: providers that hang or answer garbage", () => {
  it("a provider that never answers: each call is a cache:error after cacheTimeoutMs, the run completes", async () => {
    class Hanging extends CacheProvider {
      override get(): Promise<Uint8Array | undefined> {
        return new Promise(() => {});
      }
      override set(): Promise<void> {
        return new Promise(() => {});
      }
    }
    const errors = errorsOf(await libraryRun(new Hanging(), 30));
    assert.equal(errors.length, 6, "3 reads and 3 writes");
    assert.ok(errors.every((e) => /did not answer within 30 ms/.test(e.error!.message)));
  });

  const garbage: [
    string,
    (real: MemoryCacheProvider, key: string, graph: ReturnType<typeof buildGraph>) => unknown,
  ][] = [
    ["random bytes", () => new Uint8Array([0x4d, 0x4f, 0x49, 0x52, 2, 0, 0, 0, 1, 2, 3])],
    [
      "the entry of another node (keys swapped)",
      (real, key, graph) => {
        const other = graph.order.map((n) => graph.hashOf(n)).find((h) => h !== key)!;
        return real.get(other);
      },
    ],
    ["a string instead of bytes", () => "MOIR"],
    ["a truncated entry", async (real, key) => (await real.get(key))!.subarray(0, -1)],
    [
      "a non-Error thrown",
      () => {
        throw Object.create(null);
      },
    ],
  ];
  for (const [what, answer] of garbage) {
    it(`a provider answering ${what}: a cache:error per node, never that value`, async () => {
      const real = new MemoryCacheProvider();
      const graph = buildGraph(parse(seedYaml(2)));
      await execute(graph, { cache: real }); // every entry exists, right
      class Garbage extends CacheProvider {
        override async get(key: string): Promise<Uint8Array | undefined> {
          return (await answer(real, key, graph)) as Uint8Array;
        }
        override async set(): Promise<void> {}
      }
      const events = await libraryRun(new Garbage());
      assert.equal(errorsOf(events).length, 3);
      assert.equal(events.filter((e) => e.type === "cache:hit").length, 0);
    });
  }
});

describe("cache faults: Redis", () => {
  it("a private Redis killed mid-run: the run completes, the failures are cache:error events", async (t) => {
    const redis = await startPrivateRedis();
    if (!redis) {
      if (process.env.MOIRAE_REQUIRE_REDIS === "1")
        throw new Error("redis-server is missing and MOIRAE_REQUIRE_REDIS=1");
      t.skip("redis-server is not installed");
      return;
    }
    const cache = new RedisCacheProvider({
      url: redis.url,
      prefix: `faults:${process.pid}:`,
      commandTimeoutMs: 300,
    });
    try {
      let killed = false;
      const events = await libraryRun(cache, undefined, (event) => {
        if (event.type === "node:done" && !killed) {
          killed = true;
          redis.kill();
        }
      });
      assert.ok(killed);
      assert.ok(errorsOf(events).length >= 1, "the writes after the kill fail as cache:error");
      // The CLI against the dead server: every failure is counted in its summary.
      assertSurvived(await cliRun(["--redis", redis.url, "--cache-dir", path.join(tempDir(), "record")]), 3);
    } finally {
      redis.kill();
      await cache.close();
    }
  });
});
