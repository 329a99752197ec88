import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { describe, it } from "node:test";
import { MemoryCacheProvider } from "../../src/cache/memory-cache-provider";
import { CacheConfigurationError } from "../../src/errors/cache-configuration-error";
import { CacheKeyError } from "../../src/errors/cache-key-error";
import { CacheWriteError } from "../../src/errors/cache-write-error";

const key = (label: string) => createHash("sha256").update(label).digest("hex");
const bytes = (...values: number[]) => new Uint8Array(values);

describe("MemoryCacheProvider", () => {
  it("stores and returns bytes; a missing key is undefined", async () => {
    const cache = new MemoryCacheProvider();
    await cache.set(key("a"), bytes(0, 255, 0xc3, 0x28));
    await cache.set(key("empty"), bytes());
    assert.deepEqual(await cache.get(key("a")), bytes(0, 255, 0xc3, 0x28));
    assert.deepEqual(await cache.get(key("empty")), bytes());
    assert.equal(await cache.get(key("missing")), undefined);
    assert.equal(await cache.has(key("a")), true);
    assert.equal(await cache.has(key("missing")), false);
    assert.equal(await cache.delete(key("a")), true);
    assert.equal(await cache.delete(key("a")), false);
    assert.equal(await cache.get(key("a")), undefined);
    await cache.clear();
    assert.deepEqual(cache.stats(), { entries: 0, bytes: 0 });
  });

  it("evicts the least recently used entry beyond maxEntries", async () => {
    const cache = new MemoryCacheProvider({ maxEntries: 2 });
    await cache.set(key("a"), bytes(1));
    await cache.set(key("b"), bytes(2));
    await cache.get(key("a")); // a is now more recent than b
    await cache.set(key("c"), bytes(3));
    assert.deepEqual(await cache.get(key("a")), bytes(1));
    assert.equal(await cache.get(key("b")), undefined);
    assert.deepEqual(await cache.get(key("c")), bytes(3));
    assert.deepEqual(cache.stats(), { entries: 2, bytes: 2 });
  });

  it("evicts the least recently used entries beyond maxBytes, counting value lengths", async () => {
    const cache = new MemoryCacheProvider({ maxBytes: 10 });
    await cache.set(key("a"), new Uint8Array(4));
    await cache.set(key("b"), new Uint8Array(4));
    assert.deepEqual(cache.stats(), { entries: 2, bytes: 8 });
    await cache.set(key("c"), new Uint8Array(4));
    assert.equal(await cache.has(key("a")), false);
    assert.equal(await cache.has(key("b")), true);
    assert.equal(await cache.has(key("c")), true);
    assert.deepEqual(cache.stats(), { entries: 2, bytes: 8 });
    await cache.set(key("d"), new Uint8Array(10));
    assert.deepEqual(cache.stats(), { entries: 1, bytes: 10 });
  });

  it("refuses a value larger than maxBytes with a CacheWriteError that says so", async () => {
    const cache = new MemoryCacheProvider({ maxBytes: 10 });
    await assert.rejects(cache.set(key("big"), new Uint8Array(11)), (error: unknown) => {
      assert.ok(error instanceof CacheWriteError);
      assert.equal(error.key, key("big"));
      assert.match(error.message, /11 bytes, more than maxBytes \(10\)\. Raise maxBytes/);
      return true;
    });
    assert.equal(await cache.has(key("big")), false);
  });

  it("copies bytes on set and on get, so mutating a buffer cannot change the cache", async () => {
    const cache = new MemoryCacheProvider();
    const input = bytes(1, 2, 3);
    await cache.set(key("a"), input);
    input[0] = 99;
    const first = await cache.get(key("a"));
    assert.deepEqual(first, bytes(1, 2, 3));
    first![1] = 99;
    assert.deepEqual(await cache.get(key("a")), bytes(1, 2, 3));
  });

  it("returns a plain Uint8Array when given a Buffer", async () => {
    const cache = new MemoryCacheProvider();
    await cache.set(key("a"), Buffer.from([1, 2]));
    const value = await cache.get(key("a"));
    assert.equal(Object.getPrototypeOf(value), Uint8Array.prototype);
    assert.deepEqual(value, bytes(1, 2));
  });

  it("rejects keys that are not node hashes", async () => {
    const cache = new MemoryCacheProvider();
    for (const bad of ["a", "../etc/passwd", key("a").toUpperCase(), `${key("a")}0`, ""]) {
      await assert.rejects(cache.set(bad, bytes(1)), CacheKeyError);
      await assert.rejects(cache.get(bad), CacheKeyError);
    }
    await assert.rejects(
      cache.get("node-a"),
      /Invalid cache key "node-a" for MemoryCacheProvider: it has 6 characters\. A cache key is a node hash: exactly 64 lowercase hexadecimal characters/,
    );
    await assert.rejects(cache.get(key("a").toUpperCase()), /it contains uppercase hex digits/);
  });

  it("rejects sizes that are not positive integers", () => {
    assert.throws(() => new MemoryCacheProvider({ maxBytes: 0 }), CacheConfigurationError);
    assert.throws(
      () => new MemoryCacheProvider({ maxEntries: 1.5 }),
      /Invalid MemoryCacheProvider option "maxEntries": expected a positive integer, got 1\.5/,
    );
  });
});
