import "reflect-metadata";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { describe, it } from "node:test";
import { container, injectable } from "tsyringe";
import { CacheProvider } from "../../src/cache/cache-provider";
import { MemoryCacheProvider } from "../../src/cache/memory-cache-provider";
import { CacheKeyError } from "../../src/errors/cache-key-error";
import { CacheReadError } from "../../src/errors/cache-read-error";
import { CacheWriteError } from "../../src/errors/cache-write-error";
import { MoiraeError } from "../../src/errors/moirae-error";

const key = (label: string) => createHash("sha256").update(label).digest("hex");

@injectable()
class Store {
  readonly map = new Map<string, Uint8Array>();
}

@injectable()
class MapCache extends CacheProvider {
  constructor(readonly store: Store) {
    super();
  }
  override async get(k: string) {
    return this.store.map.get(k);
  }
  override async set(k: string, value: Uint8Array) {
    this.store.map.set(k, value);
  }
}

describe("CacheProvider", () => {
  it("resolves in a fresh container to a provider that caches nothing", async () => {
    const fresh = container.createChildContainer();
    const cache = fresh.resolve(CacheProvider);
    assert.ok(cache instanceof CacheProvider);
    await cache.set(key("a"), new Uint8Array([1, 2, 3]));
    assert.equal(await cache.get(key("a")), undefined);
    assert.equal(await cache.has(key("a")), false);
    assert.equal(await cache.delete(key("a")), false);
    await cache.clear();
    await cache.close();
  });

  it("is replaced in a child container only, by a built-in or a custom subclass", async () => {
    const parent = container.createChildContainer();
    const memoryChild = parent.createChildContainer();
    memoryChild.register(CacheProvider, { useClass: MemoryCacheProvider });
    const customChild = parent.createChildContainer();
    customChild.register(CacheProvider, { useClass: MapCache });

    const memory = memoryChild.resolve(CacheProvider);
    assert.ok(memory instanceof MemoryCacheProvider);
    await memory.set(key("a"), new Uint8Array([7]));
    assert.deepEqual(await memory.get(key("a")), new Uint8Array([7]));

    const custom = customChild.resolve(CacheProvider);
    assert.ok(custom instanceof MapCache);
    assert.ok(custom.store instanceof Store, "constructor services are injected");
    await custom.set(key("b"), new Uint8Array([9]));
    assert.deepEqual(await custom.get(key("b")), new Uint8Array([9]));

    assert.equal(parent.resolve(CacheProvider).constructor, CacheProvider);
  });
});

describe("cache errors", () => {
  it("are MoiraeErrors named after their class, carrying key, provider and cause", () => {
    const cause = new Error("connect ECONNREFUSED 127.0.0.1:6379");
    const details = {
      provider: "RedisCacheProvider",
      operation: "get" as const,
      key: key("a"),
      location: "redis://127.0.0.1:6379/0",
      reason: cause.message,
      fix: "Start Redis.",
      cause,
    };
    const read = new CacheReadError(details);
    const write = new CacheWriteError({ ...details, operation: "set" });
    for (const [error, name] of [
      [read, "CacheReadError"],
      [write, "CacheWriteError"],
    ] as const) {
      assert.ok(error instanceof MoiraeError);
      assert.equal(error.name, name);
      assert.equal(error.key, key("a"));
      assert.equal(error.provider, "RedisCacheProvider");
      assert.equal(error.cause, cause);
      assert.match(error.message, /redis:\/\/127\.0\.0\.1:6379\/0: connect ECONNREFUSED .*\. Start Redis\.$/);
    }
    assert.match(read.message, new RegExp(`^RedisCacheProvider\\.get\\("${key("a")}"\\) failed at `));
  });

  it("CacheKeyError says what is wrong and what a valid key is", () => {
    const error = new CacheKeyError("../x", "FileCacheProvider", "it has 4 characters", "A key is a hash.");
    assert.ok(error instanceof MoiraeError);
    assert.equal(error.name, "CacheKeyError");
    assert.equal(error.key, "../x");
    assert.equal(
      error.message,
      'Invalid cache key "../x" for FileCacheProvider: it has 4 characters. A key is a hash.',
    );
  });
});
