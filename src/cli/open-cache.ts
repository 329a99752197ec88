import type { CacheProvider } from "../cache/cache-provider";
import { FileCacheProvider } from "../cache/file-cache-provider";
import { UsageError } from "./usage-error";

/** The default cache directory of `run` and `explain`. */
export const DEFAULT_CACHE_DIR = ".moirae-cache";

/** The cache of a run, and the file cache whose `meta/` records the run (for `explain` and time saved). */
export interface RunCache {
  /** Where outputs are cached; undefined with `--no-cache`. */
  readonly provider?: CacheProvider;
  /** Where the run manifest and durations are kept; undefined with `--no-cache`. */
  readonly record?: FileCacheProvider;
  /** The cache in words: a directory, a Redis server, or `none`. */
  readonly description: string;
  close(): Promise<void>;
}

/**
 * `--no-cache` → none; `--redis URL` → Redis (the run is still recorded in `--cache-dir`, default
 * `.moirae-cache`); otherwise a file cache in `--cache-dir` (default `.moirae-cache`).
 */
export function openCache(options: {
  cache?: boolean;
  cacheDir?: string;
  redis?: string;
  redisPrefix?: string;
}): RunCache {
  const { cacheDir, redis, redisPrefix } = options;
  if (options.cache === false) {
    if (cacheDir !== undefined || redis !== undefined || redisPrefix !== undefined) {
      throw new UsageError("--no-cache cannot be combined with --cache-dir or --redis");
    }
    return { description: "none", close: async () => {} };
  }
  const record = new FileCacheProvider({ dir: cacheDir ?? DEFAULT_CACHE_DIR });
  if (redis === undefined) {
    if (redisPrefix !== undefined) throw new UsageError("--redis-prefix needs --redis <url>");
    return { provider: record, record, description: record.dir, close: async () => {} };
  }
  if (!/^rediss?:\/\//.test(redis)) {
    throw new UsageError(`--redis expects a redis:// or rediss:// URL, got "${redis}"`);
  }
  // ioredis is loaded only when a run uses Redis.
  const { RedisCacheProvider } =
    require("../cache/redis-cache-provider") as typeof import("../cache/redis-cache-provider");
  const provider = new RedisCacheProvider({ url: redis, prefix: redisPrefix });
  return { provider, record, description: provider.location, close: () => provider.close() };
}
