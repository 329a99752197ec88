import "reflect-metadata";
import assert from "node:assert/strict";
import * as path from "node:path";
import { describe, it } from "node:test";
import { setTimeout as delay } from "node:timers/promises";
import { NodeWorker } from "../../src/bullmq/index";
import { startPrivateRedis } from "../cache-faults/fault-helpers";
import { uniqueName } from "../fixtures/live-redis";
import { eventually, HANG_MS, WorkerProcess } from "./worker-harness";

const NODES = path.join(__dirname, "fixtures", "nodes.js");

/** Resolves to "hung" if `promise` has not settled within `ms` (the bug: closing waited for ever). */
function within<T>(promise: Promise<T>, ms: number): Promise<T | "hung"> {
  let timer: NodeJS.Timeout | undefined;
  const hung = new Promise<"hung">((resolve) => {
    timer = setTimeout(() => resolve("hung"), ms);
  });
  return Promise.race([promise, hung]).finally(() => clearTimeout(timer));
}

describe("moirae/bullmq: stopping a worker whose Redis went down", () => {
  it("`moirae worker` exits on SIGTERM with a warning and code 1 instead of hanging", async (t) => {
    const redis = await startPrivateRedis();
    if (!redis) return t.skip("redis-server is not installed");
    let worker: WorkerProcess | undefined;
    try {
      worker = await WorkerProcess.start(uniqueName("lost"), ["--require", NODES], redis.url);
      redis.kill();
      // closing right away may still succeed (nothing waits in ioredis's offline queue yet): let BullMQ queue
      // commands for the lost server, as it does within a second or two
      await eventually("a connection warning", () =>
        /\(retrying\)/.test(worker!.stderr) ? true : undefined,
      );
      await delay(2000);
      worker.child.kill("SIGTERM");
      // the worker gives up after its 5 s close grace; far more on a busy machine is still not a hang
      const code = await within(worker.exited, HANG_MS / 2);
      assert.notEqual(code, "hung", `the worker did not exit; stderr:\n${worker.stderr}`);
      assert.equal(code, 1, worker.stderr);
      assert.match(worker.stderr, /the connection to Redis was lost/);
      assert.match(worker.stderr, /taken again by another worker once their lock expires/);
      const stopped = worker.lines.find((line) => line.type === "stopped");
      assert.equal(stopped?.connectionLost, true);
    } finally {
      redis.kill();
      worker?.child.kill("SIGKILL");
    }
  });

  it("NodeWorker.close() resolves with connectionLost once Redis stays silent for closeGraceMs", async (t) => {
    const redis = await startPrivateRedis();
    if (!redis) return t.skip("redis-server is not installed");
    const errors: Error[] = [];
    const worker = new NodeWorker({
      connection: redis.url,
      queue: uniqueName("lost"),
      closeGraceMs: 300,
      onError: (error) => errors.push(error),
    });
    try {
      await worker.waitUntilReady();
      redis.kill();
      await eventually("a connection error", () => (errors.length > 0 ? true : undefined));
      await delay(2000);
      const closed = await within(worker.close(), HANG_MS / 2);
      assert.notEqual(closed, "hung", "close() waited for the lost server");
      assert.deepEqual(closed, { connectionLost: true, abandoned: [] });
    } finally {
      redis.kill();
      await within(worker.close(true), 5000);
    }
  });

  it("NodeWorker.close() with Redis up closes cleanly", async (t) => {
    const redis = await startPrivateRedis();
    if (!redis) return t.skip("redis-server is not installed");
    const worker = new NodeWorker({ connection: redis.url, queue: uniqueName("up"), closeGraceMs: 300 });
    try {
      await worker.waitUntilReady();
      assert.deepEqual(await worker.close(), { connectionLost: false, abandoned: [] });
    } finally {
      redis.kill();
    }
  });
});
