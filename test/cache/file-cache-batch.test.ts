import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterEach, beforeEach, describe, it } from "node:test";
import { startEntryReader } from "../../src/cache/entry-reader";
import { FileCacheProvider } from "../../src/cache/file-cache-provider";
import { CacheReadError } from "../../src/errors/cache-read-error";

const key = (label: string) => createHash("sha256").update(label).digest("hex");

describe("FileCacheProvider: many reads at once (a warm run)", () => {
  let root: string;
  let dir: string;
  let cache: FileCacheProvider;

  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), "moirae-file-batch-"));
    dir = path.join(root, "cache");
    cache = new FileCacheProvider({ dir });
  });

  afterEach(() => {
    fs.rmSync(root, { recursive: true, force: true });
  });

  const entryPath = (k: string) => path.join(dir, k.slice(0, 2), k);
  const place = (k: string) => {
    fs.mkdirSync(path.dirname(entryPath(k)), { recursive: true });
    return entryPath(k);
  };

  it("returns the same values, misses and errors as reads one at a time, entries and faults mixed", {
    timeout: 20_000,
  }, async () => {
    assert.equal(await startEntryReader(), true, "the reader thread starts");
    const values = new Map<string, Buffer>();
    for (let i = 0; i < 40; i++) values.set(key(`v${i}`), randomBytes((i * 997) % 3000));
    for (const size of [16 * 1024 - 49, 16 * 1024 - 48, 16 * 1024 - 47, 16 * 1024, 100_000, 3 * 2 ** 20]) {
      values.set(key(`s${size}`), randomBytes(size));
    }
    for (const [k, value] of values) await cache.set(k, value);
    const truncated = key("truncated");
    await cache.set(truncated, randomBytes(500));
    fs.truncateSync(entryPath(truncated), 100);
    const garbage = key("garbage");
    fs.writeFileSync(place(garbage), randomBytes(300));
    const empty = key("empty file");
    fs.writeFileSync(place(empty), "");
    const directory = key("directory");
    fs.mkdirSync(place(directory));
    const fifo = key("fifo");
    assert.equal(spawnSync("mkfifo", [place(fifo)]).status, 0, "mkfifo");
    const device = key("device");
    fs.symlinkSync("/dev/zero", place(device));
    const missing = Array.from({ length: 10 }, (_, i) => key(`missing${i}`));
    const faults = [truncated, garbage, empty, directory, fifo, device];
    const keys = [...values.keys(), ...faults, ...missing];

    const together = await Promise.allSettled(keys.map((k) => cache.get(k)));
    const alone: PromiseSettledResult<Uint8Array | undefined>[] = [];
    for (const k of keys) alone.push((await Promise.allSettled([cache.get(k)]))[0]!);

    for (let i = 0; i < keys.length; i++) {
      const k = keys[i]!;
      const [a, b] = [together[i]!, alone[i]!];
      assert.equal(a.status, b.status, k);
      if (a.status === "fulfilled" && b.status === "fulfilled") {
        assert.deepEqual(a.value, b.value, k);
        if (values.has(k)) assert.ok(Buffer.from(a.value!).equals(values.get(k)!), k);
        else assert.equal(a.value, undefined, k);
      } else {
        const [ea, eb] = [(a as PromiseRejectedResult).reason, (b as PromiseRejectedResult).reason];
        assert.ok(ea instanceof CacheReadError, String(ea));
        assert.equal(ea.message, eb.message);
        assert.equal(ea.location, entryPath(k));
      }
    }
    assert.deepEqual(
      faults.map((k) => together[keys.indexOf(k)]!.status),
      faults.map(() => "rejected"),
    );
    const reasons = faults.map((k) => String((together[keys.indexOf(k)] as PromiseRejectedResult).reason));
    assert.match(reasons[0]!, /truncated/);
    assert.match(reasons[1]!, /not a moirae cache entry/);
    assert.match(reasons[2]!, /truncated \(0 bytes/);
    assert.match(reasons[3]!, /is a directory, not a regular file/);
    assert.match(reasons[4]!, /is a FIFO \(named pipe\), not a regular file/);
    assert.match(reasons[5]!, /is a device, not a regular file/);
  });

  it("keeps the process alive while entries are read, and lets it exit right after", {
    timeout: 30_000,
  }, () => {
    const provider = path.join(__dirname, "../../src/cache/file-cache-provider.js");
    const reader = path.join(__dirname, "../../src/cache/entry-reader.js");
    const script = `
      const { FileCacheProvider } = require(${JSON.stringify(provider)});
      const { startEntryReader } = require(${JSON.stringify(reader)});
      const { createHash } = require("node:crypto");
      const key = (i) => createHash("sha256").update(String(i)).digest("hex");
      (async () => {
        const cache = new FileCacheProvider({ dir: ${JSON.stringify(dir)} });
        for (let i = 0; i < 200; i++) await cache.set(key(i), new Uint8Array([i % 256, 1, 2]));
        if (!(await startEntryReader())) throw new Error("no reader thread");
        // nothing but the reads keeps the process alive now
        const got = await Promise.all(Array.from({ length: 200 }, (_, i) => cache.get(key(i))));
        const right = got.filter((bytes, i) => bytes && bytes[0] === i % 256 && bytes.length === 3).length;
        const done = performance.now();
        process.on("exit", () => console.log(JSON.stringify({ right, exitAfterMs: performance.now() - done })));
      })();
    `;
    const child = spawnSync(process.execPath, ["-e", script], { encoding: "utf8", timeout: 25_000 });
    assert.equal(child.status, 0, child.stderr);
    const report = JSON.parse(child.stdout.trim()) as { right: number; exitAfterMs: number };
    assert.equal(report.right, 200);
    // the idle reader thread ends on its own after 5 s; the process does not wait for that
    assert.ok(report.exitAfterMs < 2500, `exited ${report.exitAfterMs} ms after the last read`);
  });
});
