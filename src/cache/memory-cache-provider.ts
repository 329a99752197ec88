import { LRUCache } from "lru-cache";
import { CacheConfigurationError } from "../errors/cache-configuration-error";
import { messageOf } from "../util/error-text";
import { assertCacheKey, assertCacheValue } from "./cache-key";
import { CacheProvider } from "./cache-provider";

/** Options of {@link MemoryCacheProvider}. */
export interface MemoryCacheOptions {
  /** Most bytes kept (sum of value lengths); least recently used entries go first. Default 256 MiB. */
  maxBytes?: number;
  /** Most entries kept; least recently used entries go first. Default 10 000. */
  maxEntries?: number;
}

const PROVIDER = "MemoryCacheProvider";
const LOCATION = "process memory";

/**
 * An in-process LRU cache (lru-cache), bounded by entry count and by total bytes. Values are copied on `set` and
 * on `get`, so mutating a buffer you passed in or got back never changes the cache. Entries live as long as the
 * provider: use it for tests, notebooks and repeated runs in one process.
 *
 * @example
 * ```ts
 * container.register(CacheProvider, { useValue: new MemoryCacheProvider({ maxBytes: 64 * 2 ** 20 }) });
 * ```
 */
export class MemoryCacheProvider extends CacheProvider {
  private readonly entries: LRUCache<string, Uint8Array>;
  private readonly maxBytes: number;

  constructor(options: MemoryCacheOptions = {}) {
    super();
    this.maxBytes = positiveInteger(options.maxBytes ?? 256 * 2 ** 20, "maxBytes");
    this.entries = new LRUCache<string, Uint8Array>({
      max: positiveInteger(options.maxEntries ?? 10_000, "maxEntries"),
      maxSize: this.maxBytes,
      // lru-cache needs a positive size; an empty value counts as one byte towards maxBytes.
      sizeCalculation: (value) => Math.max(1, value.byteLength),
    });
  }

  override async get(key: string): Promise<Uint8Array | undefined> {
    assertCacheKey(key, PROVIDER);
    return this.entries.get(key)?.slice();
  }

  override async set(key: string, value: Uint8Array): Promise<void> {
    assertCacheKey(key, PROVIDER);
    assertCacheValue(key, value, { provider: PROVIDER, location: LOCATION }, (bytes) =>
      bytes.byteLength > this.maxBytes
        ? {
            reason: `the value has ${bytes.byteLength} bytes, more than maxBytes (${this.maxBytes})`,
            fix: "Raise maxBytes, or use a FileCacheProvider for large outputs.",
          }
        : undefined,
    );
    this.entries.set(key, new Uint8Array(value));
  }

  override async has(key: string): Promise<boolean> {
    assertCacheKey(key, PROVIDER);
    return this.entries.has(key);
  }

  override async delete(key: string): Promise<boolean> {
    assertCacheKey(key, PROVIDER);
    return this.entries.delete(key);
  }

  override async clear(): Promise<void> {
    this.entries.clear();
  }

  /** How many entries are kept and the sum of their byte lengths (an empty value counts as one byte). */
  stats(): { entries: number; bytes: number } {
    return { entries: this.entries.size, bytes: this.entries.calculatedSize };
  }
}

function positiveInteger(value: number, option: string): number {
  if (Number.isSafeInteger(value) && value > 0) return value;
  throw new CacheConfigurationError(
    PROVIDER,
    option,
    `expected a positive integer, got ${messageOf(value)}`,
    "Pass a whole number above 0 or leave it out for the default.",
  );
}
