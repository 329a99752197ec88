import type { Dirent } from "node:fs";
import * as fs from "node:fs/promises";
import * as path from "node:path";
import { CacheConfigurationError } from "../errors/cache-configuration-error";
import { CacheKeyError } from "../errors/cache-key-error";
import type { CacheOperation } from "../errors/cache-operation-details";
import { CacheReadError } from "../errors/cache-read-error";
import { CacheWriteError } from "../errors/cache-write-error";
import { messageOf } from "../util/error-text";
import { isHexHash } from "../util/hex-hash";
import { TEMP_FILE, writeAtomically } from "../util/write-atomically";
import { assertCacheKey, assertCacheValue } from "./cache-key";
import { CacheProvider } from "./cache-provider";
import { FRAME_MAX_PAYLOAD_BYTES, frameHeader, isOutputEntryFor, RAW_ENTRY, readEntry } from "./entry-frame";
import { queueEntryRead } from "./entry-reader";

/** Options of {@link FileCacheProvider}. */
export interface FileCacheOptions {
  /** The cache directory (resolved against the current directory now); created on the first write. */
  dir: string;
  /** `fsync` each entry before renaming it into place: survives power loss, costs a disk flush per write. Default false. */
  fsync?: boolean;
}

const PROVIDER = "FileCacheProvider";
const FAN_OUT_DIR = /^[0-9a-f]{2}$/;
const META_NAME = /^[A-Za-z0-9_-][A-Za-z0-9._-]{0,127}$/;
const CORRUPT_FIX =
  "The entry counts as a miss and is rewritten by the next run that computes it; delete the file or call clear() to remove it now.";

/**
 * A cache on the local disk, shared by every process that uses the same directory: one file per key at
 * `dir/ab/abcdef…` (the first two hex characters fan entries out over 256 folders). Each file is one cache entry
 * frame (magic, format version, length, CRC-32, key: see `entry-frame.ts`) — an encoded output is stored as the
 * codec framed it, other bytes get a frame of their own — so a truncated or corrupt entry, or one copied from
 * another key, is reported as a `CacheReadError`, never returned as data. Writes go to a temporary file in the same folder and are renamed into
 * place, so concurrent writers of one key are safe (the last rename wins) and readers never see a partial entry.
 * Reads never block the event loop; when a run asks for many entries at once (a warm run), they are read in
 * batches by one reader thread (see `entry-reader.ts`).
 *
 * The directory may hold other things: `clear()` and `stats()` only look at entry and temporary files in the
 * two-character folders, and `dir/meta/` is left to the CLI (see {@link FileCacheProvider.metaPath}).
 *
 * @example
 * ```ts
 * container.register(CacheProvider, { useValue: new FileCacheProvider({ dir: ".moirae-cache" }) });
 * ```
 */
export class FileCacheProvider extends CacheProvider {
  /** The cache directory, absolute. */
  readonly dir: string;
  private readonly fsync: boolean;
  /** `dir` and a separator: entry paths are concatenated (what `path.join` would give for a hex key). */
  private readonly prefix: string;

  constructor(options: FileCacheOptions) {
    super();
    if (typeof options?.dir !== "string" || options.dir === "") {
      throw new CacheConfigurationError(
        PROVIDER,
        "dir",
        `expected a directory path, got ${JSON.stringify(options?.dir)}`,
        'Pass the cache directory, e.g. new FileCacheProvider({ dir: ".moirae-cache" }).',
      );
    }
    this.dir = path.resolve(options.dir);
    this.prefix = this.dir.endsWith(path.sep) ? this.dir : this.dir + path.sep;
    this.fsync = options.fsync ?? false;
  }

  /** The file that holds the entry for `key`: `dir/ab/abcdef…`. Throws `CacheKeyError` for a non-hash key. */
  pathOf(key: string): string {
    assertCacheKey(key, PROVIDER);
    return `${this.prefix}${key.slice(0, 2)}${path.sep}${key}`;
  }

  /**
   * A path inside `dir/meta/` for a file the CLI keeps beside the entries (run manifests). The folder is not
   * created here, and entry operations never read, count or clear it. `name` must be a plain file name.
   */
  metaPath(name: string): string {
    if (typeof name !== "string" || !META_NAME.test(name)) {
      throw new CacheKeyError(
        name,
        PROVIDER,
        typeof name !== "string" ? `it is a ${typeof name}` : "it is not a plain file name",
        'A meta file name is 1 to 128 letters, digits, ".", "_" or "-", not starting with "."; ' +
          'e.g. "run-2024-05-01T10-00-00Z.json".',
        "meta file name",
      );
    }
    return path.join(this.dir, "meta", name);
  }

  override async get(key: string): Promise<Uint8Array | undefined> {
    const file = this.pathOf(key);
    let bytes: Buffer | undefined;
    try {
      bytes = await queueEntryRead(file);
    } catch (error) {
      throw this.readError("get", key, file, error);
    }
    if (bytes === undefined) return undefined;
    const frame = readEntry(bytes, key);
    if (!frame.ok) {
      throw new CacheReadError({
        provider: PROVIDER,
        operation: "get",
        key,
        location: file,
        reason: frame.reason,
        fix: CORRUPT_FIX,
      });
    }
    // An encoded output is returned with its frame, as the codec wrote it; other bytes without the frame added here.
    const entry = frame.kind === RAW_ENTRY ? frame.payload : bytes;
    return new Uint8Array(entry.buffer, entry.byteOffset, entry.byteLength);
  }

  override async set(key: string, value: Uint8Array): Promise<void> {
    const file = this.pathOf(key);
    assertCacheValue(key, value, { provider: PROVIDER, location: file }, (bytes) =>
      bytes.byteLength > FRAME_MAX_PAYLOAD_BYTES
        ? {
            reason: `the value has ${bytes.byteLength} bytes; an entry holds at most ${FRAME_MAX_PAYLOAD_BYTES}`,
            fix: "Store an encoded output (a Uint8Array under 4 GiB).",
          }
        : undefined,
    );
    try {
      const chunks = isOutputEntryFor(value, key) ? [value] : [frameHeader(key, value, RAW_ENTRY), value];
      await writeAtomically(file, chunks, { fsync: this.fsync });
    } catch (error) {
      throw this.writeError("set", key, file, error);
    }
  }

  /** Whether an entry file exists for `key`; its integrity is checked by `get`, not here. */
  override async has(key: string): Promise<boolean> {
    const file = this.pathOf(key);
    try {
      return (await fs.stat(file)).isFile();
    } catch (error) {
      if (isMissing(error)) return false;
      throw this.readError("has", key, file, error);
    }
  }

  override async delete(key: string): Promise<boolean> {
    const file = this.pathOf(key);
    try {
      await fs.unlink(file);
      return true;
    } catch (error) {
      if (isMissing(error)) return false;
      throw this.writeError("delete", key, file, error);
    }
  }

  /** Removes every entry and leftover temporary file, and the fan-out folders they leave empty; nothing else. */
  override async clear(): Promise<void> {
    try {
      for (const folder of await this.fanOutFolders()) {
        const folderPath = path.join(this.dir, folder);
        for (const file of await listDir(folderPath)) {
          if (file.isFile() && (isEntryName(folder, file.name) || isTempName(folder, file.name))) {
            await fs.unlink(path.join(folderPath, file.name)).catch(ignoreMissing);
          }
        }
        await fs.rmdir(folderPath).catch((error) => {
          if (!isCode(error, "ENOTEMPTY") && !isCode(error, "EEXIST")) ignoreMissing(error);
        });
      }
    } catch (error) {
      throw this.writeError("clear", undefined, this.dir, error);
    }
  }

  /** How many entries the directory holds and their size on disk in bytes (frames included; temp files and `meta/` not). */
  async stats(): Promise<{ entries: number; bytes: number }> {
    try {
      let entries = 0;
      let bytes = 0;
      for (const folder of await this.fanOutFolders()) {
        const folderPath = path.join(this.dir, folder);
        const names = (await listDir(folderPath)).filter((f) => f.isFile() && isEntryName(folder, f.name));
        const sizes = await Promise.all(
          names.map((f) => fs.stat(path.join(folderPath, f.name)).then((s) => s.size, sizeIfPresent)),
        );
        for (const size of sizes) {
          if (size === undefined) continue;
          entries += 1;
          bytes += size;
        }
      }
      return { entries, bytes };
    } catch (error) {
      throw this.readError("stats", undefined, this.dir, error);
    }
  }

  private async fanOutFolders(): Promise<string[]> {
    const all = await listDir(this.dir);
    return all.filter((d) => d.isDirectory() && FAN_OUT_DIR.test(d.name)).map((d) => d.name);
  }

  private readError(operation: CacheOperation, key: string | undefined, location: string, cause: unknown) {
    return new CacheReadError(this.failure(operation, key, location, cause));
  }

  private writeError(operation: CacheOperation, key: string | undefined, location: string, cause: unknown) {
    return new CacheWriteError(this.failure(operation, key, location, cause));
  }

  /** The details of a failed file operation, for either error class. */
  private failure(operation: CacheOperation, key: string | undefined, location: string, cause: unknown) {
    return {
      provider: PROVIDER,
      operation,
      key,
      location,
      reason: messageOf(cause),
      fix: this.fixFor(cause),
      cause,
    };
  }

  private fixFor(error: unknown): string {
    if (isCode(error, "ENOTREG") || isCode(error, "EISDIR")) {
      return "A cache entry must be a regular file: remove what is at this path (the next run writes the entry).";
    }
    if (isCode(error, "ENOSPC") || isCode(error, "EDQUOT")) return "Free disk space or clear the cache.";
    if (isCode(error, "EACCES") || isCode(error, "EPERM") || isCode(error, "EROFS")) {
      return `Check that this process may read and write ${this.dir}, or choose another cache directory.`;
    }
    return `Check the cache directory ${this.dir}; clear() or deleting the directory resets it.`;
  }
}

function isEntryName(folder: string, name: string): boolean {
  return isHexHash(name) && name.startsWith(folder);
}

function isTempName(folder: string, name: string): boolean {
  return TEMP_FILE.test(name) && isEntryName(folder, name.slice(1, 65));
}

async function listDir(dir: string): Promise<Dirent[]> {
  try {
    return await fs.readdir(dir, { withFileTypes: true });
  } catch (error) {
    if (isMissing(error)) return [];
    throw error;
  }
}

function sizeIfPresent(error: unknown): undefined {
  ignoreMissing(error);
  return undefined;
}

function ignoreMissing(error: unknown): void {
  if (!isMissing(error)) throw error;
}

function isMissing(error: unknown): boolean {
  return isCode(error, "ENOENT") || isCode(error, "ENOTDIR");
}

function isCode(error: unknown, code: string): boolean {
  return (error as NodeJS.ErrnoException | undefined)?.code === code;
}
