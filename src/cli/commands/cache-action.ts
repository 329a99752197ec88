import * as fs from "node:fs";
import { FileCacheProvider } from "../../cache/file-cache-provider";
import type { CommandContext } from "../command-context";
import { CorruptRecordError } from "../corrupt-record-error";
import { formatBytes, plural } from "../format";
import { displayPath } from "../options";
import { type RunManifest, readManifest } from "../run-manifest";
import { UsageError } from "../usage-error";

export interface CacheOptions {
  cacheDir: string;
  json?: boolean;
}

/** Runs `moirae cache stats`: how many entries the cache holds and their size, and the last run recorded. */
export async function cacheStats(ctx: CommandContext, options: CacheOptions): Promise<void> {
  const cache = openDirectory(options.cacheDir);
  const { entries, bytes } = await cache.stats();
  let manifest: RunManifest | undefined;
  try {
    manifest = await readManifest(cache);
  } catch (error) {
    if (!(error instanceof CorruptRecordError)) throw error;
    ctx.io.stderr.write(`warning: ${error.message}\n`); // the entries are counted all the same
  }
  const lastRun = manifest && {
    spec: manifest.spec,
    time: manifest.time,
    nodes: Object.keys(manifest.nodes).length,
  };
  ctx.io.stdout.write(
    options.json
      ? `${JSON.stringify({ dir: cache.dir, entries, bytes, lastRun })}\n`
      : `${displayPath(cache.dir)}: ${plural(entries, "entry", "entries")}, ${formatBytes(bytes)}` +
          `${lastRun ? `; last run ${lastRun.time} (${lastRun.spec}, ${plural(lastRun.nodes, "node")})` : ""}\n`,
  );
}

/** Runs `moirae cache clear`: removes every entry (the run records in meta/ stay). */
export async function clearCache(ctx: CommandContext, options: CacheOptions): Promise<void> {
  const cache = openDirectory(options.cacheDir);
  const { entries, bytes } = await cache.stats();
  await cache.clear();
  ctx.io.stdout.write(
    options.json
      ? `${JSON.stringify({ dir: cache.dir, removed: entries, bytes })}\n`
      : `removed ${plural(entries, "entry", "entries")} (${formatBytes(bytes)}) from ${displayPath(cache.dir)}\n`,
  );
}

/** The file cache in `dir`; a usage error when the path exists but is not a directory. */
function openDirectory(dir: string): FileCacheProvider {
  const cache = new FileCacheProvider({ dir });
  let stat: fs.Stats | undefined;
  try {
    stat = fs.statSync(cache.dir);
  } catch {
    stat = undefined; // a cache that does not exist yet is empty
  }
  if (stat !== undefined && !stat.isDirectory()) {
    throw new UsageError(
      `--cache-dir ${displayPath(cache.dir)} is ${stat.isFile() ? "a file" : "not a directory"}, not a cache directory; give the directory the runs use`,
    );
  }
  return cache;
}
