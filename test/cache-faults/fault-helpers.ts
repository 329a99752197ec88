import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as net from "node:net";
import * as path from "node:path";
import type { CliRun } from "../cli/cli-harness";
import { jsonLines, resultsOf } from "../cli/cli-harness";

/** The seed graph: a = 2·(1 + 2) = 6, b = 3·2 = 6, c = b + a = 12 (AddMul and Multiply of test/cli/fixtures). */
export const SEED_OUTPUTS = { a: { o: 6 }, b: { o: 6 }, c: { o: 12 } };

/**
 * What every faulty-cache run must show: it completed (exit 0), every node has its right output, every
 * `cache:error` event is counted in the summary's `cacheErrors`, and there is at least `atLeast` of them.
 */
export function assertSurvived(run: CliRun, atLeast: number): number {
  assert.equal(run.code, 0, `exit ${run.code}\n${run.stderr}`);
  const results = resultsOf(run);
  for (const [node, output] of Object.entries(SEED_OUTPUTS)) {
    assert.deepEqual(results[node]?.output, output, `${node}: no wrong value is ever served`);
  }
  const lines = jsonLines(run);
  const errors = lines.filter((l) => l.type === "cache:error");
  const summary = lines.find((l) => l.type === "summary")!;
  assert.equal(summary.cacheErrors, errors.length, "the summary counts every cache:error event");
  assert.ok(
    errors.length >= atLeast,
    `expected at least ${atLeast} cache:error events, got ${errors.length}`,
  );
  for (const e of errors) assert.ok(typeof e.error?.message === "string" && e.error.message.length > 0);
  if (errors.length > 0)
    assert.match(run.stderr, /warning: \d+ cache errors?; those nodes counted as misses/);
  return errors.length;
}

/** Mounts a tmpfs of `size` at `dir` (root only; false when this machine does not allow it). */
export function mountTmpfs(dir: string, options: string): boolean {
  fs.mkdirSync(dir, { recursive: true });
  if (process.getuid?.() !== 0) return false;
  return spawnSync("mount", ["-t", "tmpfs", "-o", options, "tmpfs", dir]).status === 0;
}

export function unmount(dir: string): void {
  spawnSync("umount", [dir]);
}

/** A TCP port nobody listens on now. */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** A private redis-server on a free port (never the shared one), or undefined when redis-server is missing. */
export async function startPrivateRedis(): Promise<{ url: string; kill: () => void } | undefined> {
  if (spawnSync("redis-server", ["--version"]).status !== 0) return undefined;
  const port = await freePort();
  const child = spawn("redis-server", ["--port", String(port), "--save", "", "--appendonly", "no"], {
    stdio: "ignore",
  });
  const url = `redis://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    const up = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, "127.0.0.1", () => {
        socket.end();
        resolve(true);
      });
      socket.on("error", () => resolve(false));
    });
    if (up) return { url, kill: () => child.kill("SIGKILL") };
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  child.kill("SIGKILL");
  throw new Error(`redis-server did not start on port ${port}`);
}

export function fillUp(dir: string): void {
  // Fill the file system, leaving no room for a cache entry.
  const filler = path.join(dir, "filler");
  const chunk = Buffer.alloc(64 * 1024);
  const fd = fs.openSync(filler, "w");
  try {
    for (;;) fs.writeSync(fd, chunk);
  } catch {
    // ENOSPC: full
  } finally {
    fs.closeSync(fd);
  }
  for (let size = 4096; size >= 1; size >>= 1) {
    try {
      fs.appendFileSync(filler, Buffer.alloc(size));
    } catch {
      // as full as it gets
    }
  }
}
