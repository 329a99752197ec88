import assert from "node:assert/strict";
import { createHash, randomBytes } from "node:crypto";
import * as net from "node:net";
import { after, before, describe, it, type TestContext } from "node:test";
import { Redis } from "ioredis";
import { RedisCacheProvider } from "../../src/cache/redis-cache-provider";
import { CacheConfigurationError } from "../../src/errors/cache-configuration-error";
import { CacheKeyError } from "../../src/errors/cache-key-error";
import { CacheReadError } from "../../src/errors/cache-read-error";
import { CacheWriteError } from "../../src/errors/cache-write-error";
import { connectLiveRedis, deleteKeys, REDIS_HOST, REDIS_PORT, uniqueName } from "../fixtures/live-redis";

const HOST = REDIS_HOST;
const PORT = REDIS_PORT;
const RUN_PREFIX = `${uniqueName("provider")}:`;

const key = (label: string) => createHash("sha256").update(label).digest("hex");
let prefixes = 0;
const uniquePrefix = () => `${RUN_PREFIX}${++prefixes}:`;

/** A port on 127.0.0.1 with nothing listening. */
async function deadPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, HOST, resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Sockets and timers the process holds: what would keep it from exiting. */
function openHandles(): number {
  return process.getActiveResourcesInfo().filter((r) => r === "TCPSocketWrap" || r === "Timeout").length;
}

async function settle(ms = 50): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * The sockets and timers the process holds once they stop changing (a connection closed a moment ago, e.g. by
 * the test before, can take a while to go on a busy machine): the same count three times 50 ms apart.
 */
async function steadyHandles(): Promise<number> {
  let count = openHandles();
  for (let same = 0, i = 0; same < 3 && i < 60; i++) {
    await settle();
    const now = openHandles();
    same = now === count ? same + 1 : 0;
    count = now;
  }
  return count;
}

/** The sockets and timers the process holds, once back to `count` (or after 3 s: a leak stays). */
async function handlesBackTo(count: number): Promise<number> {
  for (let i = 0; i < 60 && openHandles() !== count; i++) await settle();
  return openHandles();
}

async function timed(work: () => Promise<unknown>): Promise<{ ms: number; error: unknown }> {
  const start = Date.now();
  try {
    await work();
    return { ms: Date.now() - start, error: undefined };
  } catch (error) {
    return { ms: Date.now() - start, error };
  }
}

describe("RedisCacheProvider against a live server", () => {
  let admin: Redis | undefined;
  let unavailable = "";

  before(async () => {
    ({ admin, unavailable } = await connectLiveRedis("the live Redis tests"));
  });

  after(async () => {
    if (!admin) return;
    await deleteKeys(admin, RUN_PREFIX);
    await admin.quit();
  });

  /** The admin client, or undefined after skipping the test when Redis is not there. */
  function live(t: TestContext): Redis | undefined {
    if (admin) return admin;
    t.skip(`${unavailable}; set MOIRAE_REQUIRE_REDIS=1 to fail instead`);
    return undefined;
  }

  it("round-trips binary bytes: NUL, 0xff, invalid UTF-8, 1 MiB of random bytes", async (t) => {
    if (!live(t)) return;
    const cache = new RedisCacheProvider({ prefix: uniquePrefix() });
    try {
      const tricky = new Uint8Array([0x00, 0xff, 0xc3, 0x28, 0xa0, 0xa1, 0xe2, 0x28, 0xa1, 0x00]);
      const big = randomBytes(2 ** 20);
      await cache.set(key("tricky"), tricky);
      await cache.set(key("big"), big);
      await cache.set(key("empty"), new Uint8Array());
      const back = await cache.get(key("tricky"));
      assert.equal(Object.getPrototypeOf(back), Uint8Array.prototype);
      assert.deepEqual(back, tricky);
      assert.ok(Buffer.from((await cache.get(key("big")))!).equals(big));
      assert.deepEqual(await cache.get(key("empty")), new Uint8Array());
      assert.equal(await cache.get(key("missing")), undefined);
      assert.equal(await cache.has(key("tricky")), true);
      assert.equal(await cache.has(key("missing")), false);
      assert.equal(await cache.delete(key("tricky")), true);
      assert.equal(await cache.delete(key("tricky")), false);
      assert.equal(await cache.get(key("tricky")), undefined);
    } finally {
      await cache.clear();
      await cache.close();
    }
  });

  it("stores each entry at prefix + key, and providers with other prefixes do not see it", async (t) => {
    const redis = live(t);
    if (!redis) return;
    const prefix = uniquePrefix();
    const one = new RedisCacheProvider({ prefix });
    const other = new RedisCacheProvider({ prefix: uniquePrefix() });
    try {
      await one.set(key("a"), new Uint8Array([1, 2]));
      assert.deepEqual(await redis.getBuffer(prefix + key("a")), Buffer.from([1, 2]));
      assert.equal(await other.get(key("a")), undefined);
      assert.equal(await other.has(key("a")), false);
      await other.set(key("a"), new Uint8Array([3]));
      assert.deepEqual(await one.get(key("a")), new Uint8Array([1, 2]));
    } finally {
      await one.clear();
      await other.clear();
      await one.close();
      await other.close();
    }
  });

  it("sets an expiry with ttlSeconds, and none without", async (t) => {
    const redis = live(t);
    if (!redis) return;
    const prefix = uniquePrefix();
    const expiring = new RedisCacheProvider({ prefix, ttlSeconds: 60 });
    const lasting = new RedisCacheProvider({ prefix });
    try {
      await expiring.set(key("a"), new Uint8Array([1]));
      const pttl = await redis.pttl(prefix + key("a"));
      assert.ok(pttl > 55_000 && pttl <= 60_000, `PTTL ${pttl}`);
      await lasting.set(key("b"), new Uint8Array([1]));
      assert.equal(await redis.ttl(prefix + key("b")), -1);
    } finally {
      await lasting.clear();
      await expiring.close();
      await lasting.close();
    }
  });

  it("clear() removes only entries under its prefix, in batches", async (t) => {
    const redis = live(t);
    if (!redis) return;
    const prefix = uniquePrefix();
    const cache = new RedisCacheProvider({ prefix });
    const nested = new RedisCacheProvider({ prefix: `${prefix}nested:` });
    const sibling = new RedisCacheProvider({ prefix: uniquePrefix() });
    try {
      const many = Array.from({ length: 1200 }, (_, i) => key(`entry ${i}`));
      const pipeline = redis.pipeline();
      for (const k of many) pipeline.set(prefix + k, "x");
      await pipeline.exec();
      await nested.set(key("n"), new Uint8Array([1]));
      await sibling.set(key("s"), new Uint8Array([2]));
      await redis.set(`${prefix}not-an-entry`, "user data");

      await cache.clear();

      assert.deepEqual(await redis.keys(`${prefix}[0-9a-f]*`), []);
      assert.deepEqual(await nested.get(key("n")), new Uint8Array([1]));
      assert.deepEqual(await sibling.get(key("s")), new Uint8Array([2]));
      assert.equal(await redis.get(`${prefix}not-an-entry`), "user data");
    } finally {
      await nested.clear();
      await sibling.clear();
      await redis.unlink(`${prefix}not-an-entry`);
      await Promise.all([cache.close(), nested.close(), sibling.close()]);
    }
  });

  it("close() leaves a client that was passed in open, and the provider refuses further calls", async (t) => {
    if (!live(t)) return;
    const client = new Redis({ host: HOST, port: PORT });
    const cache = new RedisCacheProvider({ client, prefix: uniquePrefix() });
    try {
      await cache.set(key("a"), new Uint8Array([1]));
      await cache.close();
      assert.equal(client.status, "ready");
      assert.equal(await client.ping(), "PONG");
      await assert.rejects(cache.get(key("a")), (error: unknown) => {
        assert.ok(error instanceof CacheReadError);
        assert.match(error.message, /the provider is closed\. close\(\) was called/);
        return true;
      });
      await new RedisCacheProvider({ client, prefix: cache.prefix }).clear();
    } finally {
      await client.quit();
    }
  });

  it("close() disconnects the client it created, leaving no socket or timer", async (t) => {
    if (!live(t)) return;
    const before = await steadyHandles();
    const cache = new RedisCacheProvider({ prefix: uniquePrefix() });
    await cache.set(key("a"), new Uint8Array([1]));
    assert.ok(openHandles() > before, "the provider holds a connection while in use");
    await cache.clear();
    await cache.close();
    assert.equal(await handlesBackTo(before), before);
  });

  it("reconnects on demand after the server went away and came back", async (t) => {
    if (!live(t)) return;
    // a TCP proxy in front of the real server, which the test can cut and restore
    const sockets = new Set<net.Socket>();
    const proxy = net.createServer((inbound) => {
      const outbound = net.connect(PORT, HOST);
      for (const s of [inbound, outbound]) {
        sockets.add(s);
        s.on("error", () => {});
        s.on("close", () => sockets.delete(s));
      }
      inbound.pipe(outbound).pipe(inbound);
    });
    await new Promise<void>((resolve) => proxy.listen(0, HOST, resolve));
    const { port } = proxy.address() as net.AddressInfo;
    const cache = new RedisCacheProvider({ url: `redis://${HOST}:${port}`, prefix: uniquePrefix() });
    try {
      await cache.set(key("a"), new Uint8Array([1]));

      await new Promise((resolve) => {
        proxy.close(resolve);
        for (const s of sockets) s.destroy();
      });
      const down = await timed(() => cache.get(key("a")));
      assert.ok(down.error instanceof CacheReadError, String(down.error));
      assert.ok(down.ms < 1000, `took ${down.ms} ms`);

      await new Promise<void>((resolve) => proxy.listen(port, HOST, resolve));
      await settle(1100); // the provider redials at most once a second
      assert.deepEqual(await cache.get(key("a")), new Uint8Array([1]));
    } finally {
      await cache.clear().catch(() => {});
      await cache.close();
      for (const s of sockets) s.destroy();
      await new Promise((resolve) => proxy.close(resolve));
    }
  });
});

describe("RedisCacheProvider when the server is down or hung", () => {
  it("throws CacheReadError / CacheWriteError fast for every call, without crashing or keeping the process alive", async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on("unhandledRejection", onUnhandled);
    const before = await steadyHandles();
    const port = await deadPort();
    const cache = new RedisCacheProvider({ url: `redis://${HOST}:${port}` });
    try {
      const calls = [
        ["get", () => cache.get(key("a")), CacheReadError],
        ["has", () => cache.has(key("a")), CacheReadError],
        ["set", () => cache.set(key("a"), new Uint8Array([1])), CacheWriteError],
        ["delete", () => cache.delete(key("a")), CacheWriteError],
        ["clear", () => cache.clear(), CacheWriteError],
      ] as const;
      for (const [name, call, type] of calls) {
        const { ms, error } = await timed(call);
        assert.ok(error instanceof type, `${name}: ${String(error)}`);
        assert.ok(ms < 1000, `${name} took ${ms} ms`);
        assert.ok(error.message.includes(`redis://${HOST}:${port}/0`), error.message);
      }
      const { error } = await timed(() => cache.get(key("a")));
      assert.match((error as Error).message, /ECONNREFUSED.*Check that Redis is running and reachable/);
      // concurrent calls while down all fail too
      const results = await Promise.allSettled(Array.from({ length: 20 }, (_, i) => cache.get(key(`c${i}`))));
      assert.ok(results.every((r) => r.status === "rejected" && r.reason instanceof CacheReadError));
    } finally {
      await cache.close();
    }
    const after = await handlesBackTo(before);
    process.off("unhandledRejection", onUnhandled);
    assert.deepEqual(unhandled, []);
    assert.equal(after, before, "no socket or timer is left behind");
  });

  it("gives up after commandTimeoutMs on a server that accepts connections but never answers", async () => {
    const sockets = new Set<net.Socket>();
    const silent = net.createServer((socket) => {
      sockets.add(socket);
      socket.on("error", () => {});
    });
    await new Promise<void>((resolve) => silent.listen(0, HOST, resolve));
    const { port } = silent.address() as net.AddressInfo;
    const before = await steadyHandles();
    const cache = new RedisCacheProvider({ url: `redis://${HOST}:${port}`, commandTimeoutMs: 300 });
    try {
      const read = await timed(() => cache.get(key("a")));
      assert.ok(read.error instanceof CacheReadError, String(read.error));
      assert.match(read.error.message, /Redis did not answer within 300 ms/);
      assert.ok(read.ms >= 250 && read.ms < 1000, `took ${read.ms} ms`);
      const write = await timed(() => cache.set(key("a"), new Uint8Array([1])));
      assert.ok(write.error instanceof CacheWriteError, String(write.error));
      assert.ok(write.ms < 1000, `took ${write.ms} ms`);
    } finally {
      await cache.close();
      for (const s of sockets) s.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
    assert.equal(await handlesBackTo(before), before, "no socket or timer is left behind");
  });

  it("bounds a passed-in client that queues commands while disconnected", async () => {
    const port = await deadPort();
    const client = new Redis({ host: HOST, port, lazyConnect: true }); // ioredis defaults: offline queue, retries
    client.on("error", () => {});
    const cache = new RedisCacheProvider({ client, commandTimeoutMs: 300 });
    try {
      const { ms, error } = await timed(() => cache.get(key("a")));
      assert.ok(error instanceof CacheReadError, String(error));
      assert.ok(ms < 1000, `took ${ms} ms`);
    } finally {
      await cache.close();
      client.disconnect();
    }
  });
});

describe("RedisCacheProvider options and keys", () => {
  it("rejects keys that are not node hashes before touching the server", async () => {
    const cache = new RedisCacheProvider({ url: `redis://${HOST}:${await deadPort()}` });
    try {
      await assert.rejects(cache.get("moirae:*"), CacheKeyError);
      await assert.rejects(
        cache.set("../a", new Uint8Array()),
        /Invalid cache key "..\/a" for RedisCacheProvider/,
      );
    } finally {
      await cache.close();
    }
  });

  it("rejects contradictory or out-of-range options", () => {
    const client = new Redis({ lazyConnect: true });
    try {
      assert.throws(() => new RedisCacheProvider({ client, url: "redis://x" }), CacheConfigurationError);
      assert.throws(
        () => new RedisCacheProvider({ client, ttlSeconds: 0 }),
        /option "ttlSeconds": expected a positive integer, got 0/,
      );
      assert.throws(() => new RedisCacheProvider({ client, commandTimeoutMs: -1 }), CacheConfigurationError);
    } finally {
      client.disconnect();
    }
  });
});
