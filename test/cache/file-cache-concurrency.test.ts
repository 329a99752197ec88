import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { after, describe, it } from "node:test";
import { FileCacheProvider } from "../../src/cache/file-cache-provider";

const PROVIDER_MODULE = path.join(__dirname, "..", "..", "src", "cache", "file-cache-provider.js");
const WRITES = 60;
/** Each writer stores one value again and again: `size` bytes of `fill`. */
const WRITERS = [
  { fill: 0x41, size: 96 * 1024 },
  { fill: 0x42, size: 160 * 1024 + 3 },
];

/** Writes the value WRITES times; after each write it reads the key back and checks it is a complete value. */
const WRITER_SCRIPT = `
const [modulePath, dir, key, fill, size, writes, allowed] = process.argv.slice(1);
const { FileCacheProvider } = require(modulePath);
const sizes = JSON.parse(allowed);
(async () => {
  const cache = new FileCacheProvider({ dir });
  const value = Buffer.alloc(Number(size), Number(fill));
  for (let i = 0; i < Number(writes); i++) {
    await cache.set(key, value);
    const read = Buffer.from(await cache.get(key));
    const want = sizes[read[0]];
    if (want === undefined || read.length !== want || read.some((b) => b !== read[0])) {
      console.error("incomplete or mixed value: length " + read.length + ", first byte " + read[0]);
      process.exit(1);
    }
  }
})().catch((error) => { console.error(error); process.exit(1); });
`;

interface Writer {
  done: Promise<{ code: number | null; stderr: string }>;
  stop(): void;
}

function startWriter(dir: string, key: string, fill: number, size: number): Writer {
  const allowed = JSON.stringify(Object.fromEntries(WRITERS.map((w) => [w.fill, w.size])));
  const args = [
    "-e",
    WRITER_SCRIPT,
    PROVIDER_MODULE,
    dir,
    key,
    String(fill),
    String(size),
    String(WRITES),
    allowed,
  ];
  const child = spawn(process.execPath, args, { stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (chunk) => {
    stderr += chunk;
  });
  const done = new Promise<{ code: number | null; stderr: string }>((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stderr }));
  });
  return { done, stop: () => child.kill() };
}

describe("FileCacheProvider with several processes", () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "moirae-file-race-"));
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  it("two processes writing one key at once: every read is one of the complete values", async (t) => {
    const dir = path.join(root, "cache");
    const key = createHash("sha256").update("contended").digest("hex");
    const cache = new FileCacheProvider({ dir });

    const writers = WRITERS.map((w) => startWriter(dir, key, w.fill, w.size));
    let writersDone = false;
    const finished = Promise.all(writers.map((w) => w.done)).finally(() => {
      writersDone = true;
    });
    // a failed assertion must not leave writers running (and re-creating the directory after cleanup)
    t.after(async () => {
      for (const w of writers) w.stop();
      await finished.catch(() => {});
    });

    let reads = 0;
    let seenAValue = false;
    const seen = new Set<number>();
    while (!writersDone) {
      const value = await cache.get(key); // throws CacheReadError on a partial or corrupt file
      if (value === undefined) {
        assert.equal(seenAValue, false, "an entry never disappears while it is being replaced");
      } else {
        seenAValue = true;
        reads += 1;
        const writer = WRITERS.find((w) => w.fill === value[0]);
        assert.ok(writer, `unexpected first byte ${value[0]}`);
        assert.equal(value.length, writer.size);
        assert.ok(
          value.every((b) => b === writer.fill),
          "a value mixes two writes",
        );
        seen.add(writer.fill);
      }
      await new Promise((resolve) => setImmediate(resolve));
    }

    for (const result of await finished) assert.equal(result.code, 0, result.stderr);
    assert.ok(reads > 0, "the parent read the entry while the writers ran");
    const final = await cache.get(key);
    assert.ok(final && WRITERS.some((w) => w.fill === final[0] && w.size === final.length));
    const folder = fs.readdirSync(path.join(dir, key.slice(0, 2)));
    assert.deepEqual(folder, [key], "no temporary file is left behind");
    assert.deepEqual(await cache.stats(), { entries: 1, bytes: 48 + final.length });
    console.log(
      `# ${reads} concurrent reads, values seen from writers: ${[...seen].map((f) => String.fromCharCode(f)).join(", ")}`,
    );
  });
});
