import "reflect-metadata";
import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { Redis } from "ioredis";
import { connectLiveRedis, deleteKeys, uniqueName } from "../fixtures/live-redis";
import { runNodeProcess } from "../fixtures/node-process";

const PREFIX = `${uniqueName("nest")}:`;

describe("app.close() with a Redis cache (real server at 127.0.0.1:6379)", () => {
  let admin: Redis | undefined;
  let unavailable = "";

  before(async () => {
    ({ admin, unavailable } = await connectLiveRedis("the Nest + Redis shutdown test"));
  });

  after(async () => {
    if (!admin) return;
    await deleteKeys(admin, PREFIX);
    await admin.quit();
  });

  it("lets the process exit by itself once the app is closed", async (t) => {
    if (!admin) return t.skip(unavailable);
    // a process that hangs is killed after 20 s, far beyond its normal second or two, and the test fails
    const {
      code,
      signal,
      stdout: out,
      stderr: err,
    } = await runNodeProcess([join(__dirname, "redis-app.js")], {
      env: { ...process.env, PREFIX },
      timeoutMs: 20_000,
    });
    assert.equal(signal, null, `the app did not exit after app.close(); stderr: ${err}`);
    assert.equal(code, 0, err);
    const { outputs, hash } = JSON.parse(out);
    assert.equal(outputs.g.text, "Hello, world #1 (hidden)");
    assert.equal(await admin.exists(PREFIX + hash), 1, "the run wrote its output to Redis");
  });
});
