import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterEach, beforeEach, describe, it } from "node:test";
import * as zlib from "node:zlib";
import { Codec } from "../../src/cache/codec";
import { FileCacheProvider } from "../../src/cache/file-cache-provider";
import { CacheConfigurationError } from "../../src/errors/cache-configuration-error";
import { CacheKeyError } from "../../src/errors/cache-key-error";
import { CacheReadError } from "../../src/errors/cache-read-error";
import { O } from "../fixtures/data-classes";

const key = (label: string) => createHash("sha256").update(label).digest("hex");
const HEADER = 48;

describe("FileCacheProvider", () => {
  let root: string;
  let dir: string;
  let cache: FileCacheProvider;

  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), "moirae-file-cache-"));
    dir = path.join(root, "cache");
    cache = new FileCacheProvider({ dir });
  });

  afterEach(async () => {
    await cache.close();
    fs.rmSync(root, { recursive: true, force: true });
  });

  const entryPath = (k: string) => path.join(dir, k.slice(0, 2), k);

  it("stores and returns bytes; a missing key is undefined", async () => {
    const big = randomBytes(3 * 2 ** 20);
    await cache.set(key("a"), new Uint8Array([0, 255, 0xc3, 0x28]));
    await cache.set(key("empty"), new Uint8Array());
    await cache.set(key("big"), big);
    assert.deepEqual(await cache.get(key("a")), new Uint8Array([0, 255, 0xc3, 0x28]));
    assert.deepEqual(await cache.get(key("empty")), new Uint8Array());
    assert.ok(Buffer.from((await cache.get(key("big")))!).equals(big));
    assert.equal(await cache.get(key("missing")), undefined);
    assert.equal(await cache.has(key("a")), true);
    assert.equal(await cache.has(key("missing")), false);
    assert.equal(await cache.delete(key("a")), true);
    assert.equal(await cache.delete(key("a")), false);
    assert.equal(await cache.get(key("a")), undefined);
  });

  it("replaces an entry on a second set, and shares entries with another provider on the same dir", async () => {
    await cache.set(key("a"), new Uint8Array([1]));
    await cache.set(key("a"), new Uint8Array([2, 2]));
    const other = new FileCacheProvider({ dir });
    assert.deepEqual(await other.get(key("a")), new Uint8Array([2, 2]));
  });

  it("creates the directory lazily and lays entries out as dir/ab/abcdef… with nothing else left behind", async () => {
    assert.equal(fs.existsSync(dir), false, "constructing does not touch the disk");
    assert.equal(await cache.get(key("a")), undefined);
    assert.equal(fs.existsSync(dir), false, "reading does not create the directory");
    const k = key("a");
    await cache.set(k, new Uint8Array([1, 2, 3]));
    assert.deepEqual(fs.readdirSync(dir), [k.slice(0, 2)]);
    assert.deepEqual(fs.readdirSync(path.join(dir, k.slice(0, 2))), [k]);
    assert.equal(cache.pathOf(k), entryPath(k));
    const file = fs.readFileSync(entryPath(k));
    assert.equal(file.subarray(0, 4).toString("latin1"), "MOIR");
    assert.equal(file.length, HEADER + 3);
  });

  it("rejects keys that are not node hashes, so no path can escape the directory", async () => {
    const bad = [
      "../../escape",
      `../${key("a").slice(3)}`,
      "ab/../../../x",
      key("a").toUpperCase(),
      key("a").slice(1),
      "",
      "/etc/passwd",
    ];
    for (const k of bad) {
      await assert.rejects(cache.set(k, new Uint8Array([1])), CacheKeyError);
      await assert.rejects(cache.get(k), CacheKeyError);
      await assert.rejects(cache.has(k), CacheKeyError);
      await assert.rejects(cache.delete(k), CacheKeyError);
    }
    assert.deepEqual(fs.readdirSync(root), [], "nothing was written anywhere");
    await assert.rejects(
      cache.get("../../escape"),
      /Invalid cache key "..\/..\/escape" for FileCacheProvider: it has 12 characters\. A cache key is a node hash/,
    );
  });

  it("reports a truncated entry as CacheReadError naming key and file, never as data", async () => {
    const k = key("a");
    await cache.set(k, randomBytes(1000));
    fs.truncateSync(entryPath(k), HEADER + 400);
    await assert.rejects(cache.get(k), (error: unknown) => {
      assert.ok(error instanceof CacheReadError);
      assert.equal(error.key, k);
      assert.equal(error.location, entryPath(k));
      assert.ok(error.message.includes(entryPath(k)));
      assert.match(
        error.message,
        /truncated \(header: 1000 payload bytes, entry: 400\).*delete the file or call clear\(\)/,
      );
      return true;
    });
    fs.truncateSync(entryPath(k), 10);
    await assert.rejects(cache.get(k), /fewer than the 48-byte header/);
  });

  it("reports garbage, a flipped bit and an entry copied from another key as CacheReadError", async () => {
    const k = key("a");
    const value = randomBytes(500);
    await cache.set(k, value);
    const good = fs.readFileSync(entryPath(k));

    fs.writeFileSync(entryPath(k), randomBytes(good.length));
    await assert.rejects(cache.get(k), /not a moirae cache entry \(they do not start with MOIR\)/);

    const flipped = Buffer.from(good);
    flipped[HEADER + 123]! ^= 0x01;
    fs.writeFileSync(entryPath(k), flipped);
    await assert.rejects(cache.get(k), (error: unknown) => {
      assert.ok(error instanceof CacheReadError);
      assert.match(error.message, /does not match its CRC-32 checksum/);
      return true;
    });

    fs.writeFileSync(entryPath(k), Buffer.concat([good, Buffer.from([0])]));
    await assert.rejects(cache.get(k), /longer than its header says/);

    const future = Buffer.from(good);
    future[4] = 9;
    fs.writeFileSync(entryPath(k), future);
    await assert.rejects(cache.get(k), /format version 9, expected 2/);

    const other = key("b");
    fs.mkdirSync(path.dirname(entryPath(other)), { recursive: true });
    fs.writeFileSync(entryPath(other), good);
    await assert.rejects(cache.get(other), new RegExp(`for another hash \\(${k.slice(0, 12)}…, expected`));

    // the next write of the entry repairs it
    await cache.set(k, value);
    assert.ok(Buffer.from((await cache.get(k))!).equals(value));
  });

  it("stores an encoded output as the codec framed it: one 48-byte header, one hash, one checksum", async () => {
    const k = key("a");
    const bytes = new Codec().encode({ o: 3 }, O, k);
    await cache.set(k, bytes);
    const file = fs.readFileSync(entryPath(k));
    assert.ok(file.equals(bytes), "the file holds exactly the codec's bytes");
    assert.equal(file.length, HEADER + bytes.byteLength - HEADER);
    assert.equal(file.indexOf(Buffer.from(k, "hex")), 16, "the hash is written once");
    assert.equal(file.indexOf(Buffer.from(k, "hex"), 17), -1);
    const read = await cache.get(k);
    assert.deepEqual(new Codec().decode(read!, O, k), Object.assign(new O(), { o: 3 }));
  });

  it("reads an entry of the old two-header format (MOIR version 1 around MOCD) as a CacheReadError, never data", async () => {
    const k = key("a");
    const payload = Buffer.from([0x92, 0x81, 0xa1, 0x6f, 0x03, 0x80]);
    const inner = Buffer.alloc(48 + payload.length);
    inner.write("MOCD", 0, "latin1");
    inner[4] = 1;
    inner.writeUInt32BE(payload.length, 8);
    inner.writeUInt32BE(zlib.crc32(payload), 12);
    inner.write(k, 16, 32, "hex");
    payload.copy(inner, 48);
    const outer = Buffer.alloc(48);
    outer.write("MOIR", 0, "latin1");
    outer[4] = 1;
    outer.writeUInt32BE(inner.length, 8);
    outer.writeUInt32BE(zlib.crc32(inner), 12);
    outer.write(k, 16, 32, "hex");
    fs.mkdirSync(path.dirname(entryPath(k)), { recursive: true });
    fs.writeFileSync(entryPath(k), Buffer.concat([outer, inner]));
    await assert.rejects(cache.get(k), (error: unknown) => {
      assert.ok(error instanceof CacheReadError);
      assert.match(error.message, /format version 1, expected 2 \(written by another moirae version\)/);
      return true;
    });
    // Bytes of the old codec format kept by another provider are a decode error for the codec, not data.
    assert.throws(() => new Codec().decode(inner, O, k), /do not start with MOIR/);
  });

  it("reports a FIFO, a device or a directory at an entry's path as CacheReadError without blocking a thread", {
    timeout: 10_000,
  }, async () => {
    const fifos = Array.from({ length: 8 }, (_, i) => key(`fifo${i}`));
    for (const k of fifos) {
      fs.mkdirSync(path.dirname(entryPath(k)), { recursive: true });
      assert.equal(spawnSync("mkfifo", [entryPath(k)]).status, 0, "mkfifo");
    }
    // More FIFOs than libuv has threads (4): a blocking open or read would hang every file operation after them.
    const results = await Promise.allSettled(fifos.map((k) => cache.get(k)));
    for (const result of results) {
      assert.equal(result.status, "rejected");
      const error = (result as PromiseRejectedResult).reason;
      assert.ok(error instanceof CacheReadError, String(error));
      assert.match(error.message, /is a FIFO \(named pipe\), not a regular file/);
      assert.match(error.message, /must be a regular file/);
    }
    await cache.set(key("ok"), new Uint8Array([1]));
    assert.deepEqual(await cache.get(key("ok")), new Uint8Array([1]), "file operations still run");
    const device = key("device");
    fs.mkdirSync(path.dirname(entryPath(device)), { recursive: true });
    fs.symlinkSync("/dev/zero", entryPath(device));
    await assert.rejects(cache.get(device), /is a device, not a regular file/);
    fs.unlinkSync(entryPath(device));
    fs.symlinkSync("/dev/null", entryPath(device));
    await assert.rejects(cache.get(device), /is a device, not a regular file/);
  });

  it("reads entries of every size exactly, around the first read's 16 KiB", async () => {
    for (const size of [0, 1, 16 * 1024 - 49, 16 * 1024 - 48, 16 * 1024 - 47, 16 * 1024, 100_000]) {
      const value = randomBytes(size);
      await cache.set(key(`s${size}`), value);
      assert.ok(Buffer.from((await cache.get(key(`s${size}`)))!).equals(value), `size ${size}`);
    }
  });

  it("reports a directory in place of an entry as CacheReadError", async () => {
    const k = key("a");
    fs.mkdirSync(entryPath(k), { recursive: true });
    await assert.rejects(cache.get(k), CacheReadError);
  });

  it("treats a directory removed mid-run as a miss, and set recreates it", async () => {
    await cache.set(key("a"), new Uint8Array([1]));
    fs.rmSync(dir, { recursive: true });
    assert.equal(await cache.get(key("a")), undefined);
    assert.equal(await cache.has(key("a")), false);
    assert.deepEqual(await cache.stats(), { entries: 0, bytes: 0 });
    await cache.set(key("a"), new Uint8Array([2]));
    assert.deepEqual(await cache.get(key("a")), new Uint8Array([2]));
  });

  it("counts entries and their bytes on disk, ignoring temp files, meta/ and foreign files", async () => {
    assert.deepEqual(await cache.stats(), { entries: 0, bytes: 0 });
    await cache.set(key("a"), new Uint8Array(10));
    await cache.set(key("b"), new Uint8Array(20));
    await cache.set(key("c"), new Uint8Array(0));
    const ka = key("a");
    fs.writeFileSync(path.join(dir, ka.slice(0, 2), `.${ka}.123.abcdefabcdef.tmp`), "partial");
    fs.mkdirSync(path.join(dir, "meta"));
    fs.writeFileSync(cache.metaPath("run.json"), "{}");
    fs.writeFileSync(path.join(dir, "notes.txt"), "mine");
    assert.deepEqual(await cache.stats(), { entries: 3, bytes: 3 * HEADER + 30 });
  });

  it("clear() removes entries and stale temp files, and leaves everything else alone", async () => {
    const ka = key("a");
    const kb = key("b");
    await cache.set(ka, new Uint8Array([1]));
    await cache.set(kb, new Uint8Array([2]));
    const fanA = path.join(dir, ka.slice(0, 2));
    const stale = path.join(fanA, `.${ka}.4242.0123456789ab.tmp`);
    fs.writeFileSync(stale, "partial");
    const foreign = [
      path.join(dir, "README.md"),
      path.join(fanA, "notes.txt"),
      path.join(fanA, key("not under this folder").replace(/^../, "zz")),
      path.join(dir, "meta", "run.json"),
      path.join(dir, "zz", "data.bin"),
      path.join(dir, "other", kb),
    ];
    for (const file of foreign) {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, "keep me");
    }
    await cache.clear();
    assert.equal(await cache.get(ka), undefined);
    assert.equal(await cache.get(kb), undefined);
    assert.equal(fs.existsSync(stale), false);
    assert.equal(fs.existsSync(path.join(dir, kb.slice(0, 2))), false, "emptied fan-out folders are removed");
    for (const file of foreign) assert.equal(fs.readFileSync(file, "utf8"), "keep me", file);
    assert.deepEqual(await cache.stats(), { entries: 0, bytes: 0 });
    await cache.set(ka, new Uint8Array([3]));
    assert.deepEqual(await cache.get(ka), new Uint8Array([3]));
  });

  it("clear() on a directory that does not exist does nothing", async () => {
    await cache.clear();
    assert.equal(fs.existsSync(dir), false);
  });

  it("metaPath() gives a path in dir/meta/ and refuses names that are not plain file names", () => {
    assert.equal(cache.metaPath("run-2024-05-01.json"), path.join(dir, "meta", "run-2024-05-01.json"));
    for (const bad of ["../escape", "a/b", ".hidden", "", "x".repeat(200)]) {
      assert.throws(() => cache.metaPath(bad), CacheKeyError, bad);
    }
    assert.throws(
      () => cache.metaPath("../x"),
      /Invalid meta file name "..\/x" for FileCacheProvider: it is not a plain file name/,
    );
  });

  it("resolves a relative dir against the current directory and refuses an empty one", () => {
    assert.equal(new FileCacheProvider({ dir: "rel-cache" }).dir, path.resolve("rel-cache"));
    assert.throws(() => new FileCacheProvider({ dir: "" }), CacheConfigurationError);
  });

  it("writes the same frames with fsync enabled", async () => {
    const durable = new FileCacheProvider({ dir, fsync: true });
    await durable.set(key("a"), new Uint8Array([5, 6]));
    assert.deepEqual(await cache.get(key("a")), new Uint8Array([5, 6]));
  });
});
