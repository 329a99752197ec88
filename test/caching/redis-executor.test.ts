import "reflect-metadata";
import assert from "node:assert/strict";
import net from "node:net";
import { after, before, describe, it } from "node:test";
import { Redis } from "ioredis";
import { buildGraph, type ExecutionEvent, execute, Node, RedisCacheProvider } from "../../src/index";
import { O, X } from "../fixtures/data-classes";
import { connectLiveRedis, deleteKeys, uniqueName } from "../fixtures/live-redis";

const PREFIX = `${uniqueName("executor")}:`;
let executions = 0;

@Node({ input: X, output: O, name: "RedisSquare" })
class RedisSquare {
  async execute(input: X): Promise<O> {
    executions++;
    return { o: input.x * input.x };
  }
}
void RedisSquare;

const graph = () =>
  buildGraph({
    a: { node: "RedisSquare", inputs: { x: 3 } },
    b: { node: "RedisSquare", inputs: { x: "${a.o}" } },
  });

describe("executor + RedisCacheProvider (real server at 127.0.0.1:6379)", () => {
  let admin: Redis | undefined;
  let unavailable = "";

  before(async () => {
    ({ admin, unavailable } = await connectLiveRedis("live Redis executor tests"));
  });

  after(async () => {
    if (!admin) return;
    await deleteKeys(admin, PREFIX);
    await admin.quit();
  });

  it("caches across runs: the second run executes nothing", async (t) => {
    if (!admin) return t.skip(unavailable);
    const cache = new RedisCacheProvider({ url: "redis://127.0.0.1:6379", prefix: PREFIX });
    try {
      executions = 0;
      const first = await execute(graph(), { cache });
      assert.equal(executions, 2);
      assert.equal((first.b as O).o, 81);
      executions = 0;
      const second = await execute(graph(), { cache });
      assert.equal(executions, 0);
      assert.deepEqual(second, first);
      assert.equal((await admin.keys(`${PREFIX}*`)).length, 2);
    } finally {
      await cache.close();
    }
  });

  it("runs everything, with cache:error events, when the server is dead", async () => {
    const server = net.createServer();
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const { port } = server.address() as net.AddressInfo;
    await new Promise((r) => server.close(r));
    const cache = new RedisCacheProvider({
      url: `redis://127.0.0.1:${port}`,
      prefix: PREFIX,
      commandTimeoutMs: 300,
    });
    const events: ExecutionEvent[] = [];
    try {
      executions = 0;
      const out = await execute(graph(), { cache, onEvent: (e) => events.push(e) });
      assert.equal((out.b as O).o, 81);
      assert.equal(executions, 2);
      assert.ok(events.filter((e) => e.type === "cache:error").length >= 2);
    } finally {
      await cache.close();
    }
  });
});
