import type { RedisOptions } from "ioredis";
import { CacheConfigurationError } from "../errors/cache-configuration-error";
import type { CacheOperation } from "../errors/cache-operation-details";
import { CacheReadError } from "../errors/cache-read-error";
import { CacheWriteError } from "../errors/cache-write-error";
import { messageOf } from "../util/error-text";
import { isHexHash } from "../util/hex-hash";
import { assertCacheKey, assertCacheValue } from "./cache-key";
import { CacheProvider } from "./cache-provider";
import { withTimeout } from "./with-timeout";

/** Options of {@link RedisCacheProvider}. */
export interface RedisCacheOptions {
  /**
   * A client you manage: used as is (its own queueing and retry settings apply, each call still bounded by
   * `commandTimeoutMs`) and never closed by `close()`. Leave it out to let the provider create one from `url`.
   */
  client?: RedisCacheClient;
  /** The server when no `client` is given, e.g. `"redis://:secret@cache.internal:6379/2"`. Default `redis://127.0.0.1:6379`. */
  url?: string;
  /** Prepended to every key; `clear()` removes only entries under it. Default `"moirae:"`. */
  prefix?: string;
  /** Expiry of each entry in seconds (`SET … EX`), counted from its last write. Default: entries do not expire. */
  ttlSeconds?: number;
  /** Longest wait for one call (connecting included) before it throws. Default 1000 ms. */
  commandTimeoutMs?: number;
}

/**
 * The part of an ioredis client the provider uses, typed structurally so a client of ioredis 5 or 6 (or any
 * compatible client) is accepted whatever copy of ioredis the app has.
 */
export interface RedisCacheClient {
  readonly status: string;
  readonly options: {
    readonly path?: string | null;
    readonly host?: string;
    readonly port?: number;
    readonly db?: number;
  };
  connect(): Promise<unknown>;
  quit(): Promise<unknown>;
  disconnect(): void;
  on(event: "error", listener: (error: Error) => void): unknown;
  getBuffer(key: string): Promise<Buffer | null>;
  set(key: string, value: Buffer): Promise<unknown>;
  set(key: string, value: Buffer, expiry: "EX", seconds: number): Promise<unknown>;
  exists(...keys: string[]): Promise<number>;
  unlink(...keys: string[]): Promise<number>;
  scan(
    cursor: string,
    match: "MATCH",
    pattern: string,
    count: "COUNT",
    n: number,
  ): Promise<[string, string[]]>;
}

const PROVIDER = "RedisCacheProvider";
const DEFAULT_URL = "redis://127.0.0.1:6379";
/** After a failed connection attempt, calls fail at once (without dialing again) for this long. */
const RECONNECT_INTERVAL_MS = 1000;
const SCAN_COUNT = 500;

/**
 * A cache in Redis (ioredis), shared by every process and machine that reaches the server: each entry is one
 * binary-safe string value at `prefix + key`, optionally with a TTL.
 *
 * An unreachable, dead or hung server never stalls or crashes a run: every call is bounded by
 * `commandTimeoutMs` and throws `CacheReadError` / `CacheWriteError` (the executor counts it as a miss). A client
 * the provider creates itself connects on first use, does not queue commands while disconnected, does not
 * reconnect in the background (it redials on demand, at most once a second), and has an `'error'` listener, so
 * it leaves no timer or socket behind once `close()` is called, nor after a failed connection.
 *
 * @example
 * ```ts
 * const cache = new RedisCacheProvider({ url: process.env.REDIS_URL, ttlSeconds: 7 * 24 * 3600 });
 * container.register(CacheProvider, { useValue: cache });
 * try { await execute(graph, { container }); } finally { await cache.close(); }
 * ```
 */
export class RedisCacheProvider extends CacheProvider {
  /** The prefix in front of every key. */
  readonly prefix: string;
  /** The server and prefix, as error messages name them. */
  readonly location: string;
  private readonly server: string;
  private readonly client: RedisCacheClient;
  private readonly ownsClient: boolean;
  private readonly ttlSeconds: number | undefined;
  private readonly commandTimeoutMs: number;
  private connecting: Promise<void> | undefined;
  private redialAfter = 0;
  private lastFailure: Error | undefined;
  private closed = false;

  constructor(options: RedisCacheOptions = {}) {
    super();
    if (options.client !== undefined && options.url !== undefined) {
      throw new CacheConfigurationError(
        PROVIDER,
        "url",
        "both client and url are given",
        "Pass either a client you manage or a url for a client the provider manages.",
      );
    }
    this.prefix = options.prefix ?? "moirae:";
    if (typeof this.prefix !== "string") {
      throw new CacheConfigurationError(
        PROVIDER,
        "prefix",
        `expected a string, got ${typeof this.prefix}`,
        'Pass e.g. "moirae:".',
      );
    }
    this.ttlSeconds =
      options.ttlSeconds === undefined ? undefined : positiveInteger(options.ttlSeconds, "ttlSeconds");
    this.commandTimeoutMs = positiveInteger(options.commandTimeoutMs ?? 1000, "commandTimeoutMs");
    if (options.client !== undefined) {
      this.client = options.client;
      this.ownsClient = false;
    } else {
      this.client = new (loadIoredis())(options.url ?? DEFAULT_URL, this.clientSettings());
      // ioredis reports socket errors as events; keep the last one for the failing call's message.
      this.client.on("error", (error: Error) => {
        this.lastFailure = error;
      });
      this.ownsClient = true;
    }
    const { path, host, port, db } = this.client.options;
    this.server = path ? `redis+unix://${path}` : `redis://${host}:${port}/${db ?? 0}`;
    this.location = `${this.server} (prefix ${JSON.stringify(this.prefix)})`;
  }

  override async get(key: string): Promise<Uint8Array | undefined> {
    assertCacheKey(key, PROVIDER);
    const value = await this.run("get", key, (client) => client.getBuffer(this.prefix + key));
    return value === null ? undefined : new Uint8Array(value);
  }

  override async set(key: string, value: Uint8Array): Promise<void> {
    assertCacheKey(key, PROVIDER);
    assertCacheValue(key, value, { provider: PROVIDER, location: this.location });
    const bytes = Buffer.from(value.buffer, value.byteOffset, value.byteLength);
    const ttl = this.ttlSeconds;
    await this.run("set", key, (client) =>
      ttl === undefined
        ? client.set(this.prefix + key, bytes)
        : client.set(this.prefix + key, bytes, "EX", ttl),
    );
  }

  override async has(key: string): Promise<boolean> {
    assertCacheKey(key, PROVIDER);
    return (await this.run("has", key, (client) => client.exists(this.prefix + key))) === 1;
  }

  override async delete(key: string): Promise<boolean> {
    assertCacheKey(key, PROVIDER);
    return (await this.run("delete", key, (client) => client.unlink(this.prefix + key))) === 1;
  }

  /** Removes the entries under this provider's prefix (`SCAN` + `UNLINK` in batches); other keys stay. */
  override async clear(): Promise<void> {
    const pattern = `${this.prefix.replace(/[*?[\]\\]/g, "\\$&")}*`;
    try {
      let cursor = "0";
      do {
        const [next, keys] = await this.command((client) =>
          client.scan(cursor, "MATCH", pattern, "COUNT", SCAN_COUNT),
        );
        const ours = keys.filter((k) => k.startsWith(this.prefix) && isHexHash(k.slice(this.prefix.length)));
        if (ours.length > 0) await this.command((client) => client.unlink(...ours));
        cursor = next;
      } while (cursor !== "0");
    } catch (error) {
      throw this.failure("clear", undefined, error);
    }
  }

  /** Disconnects the client the provider created (a client passed in stays open); later calls throw. */
  override async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (!this.ownsClient) return;
    const client = this.client;
    if (client.status === "ready") {
      try {
        await withTimeout(() => client.quit(), this.commandTimeoutMs, "QUIT");
        return;
      } catch {
        // fall through: drop the connection without waiting
      }
    }
    if (client.status !== "end") client.disconnect();
  }

  private clientSettings(): RedisOptions {
    const ms = this.commandTimeoutMs;
    return {
      lazyConnect: true, // no socket until the first call
      enableOfflineQueue: false, // not connected: commands fail at once instead of waiting in a queue
      maxRetriesPerRequest: 1,
      autoResendUnfulfilledCommands: false,
      retryStrategy: () => null, // no background reconnect timers; connection() redials on demand
      connectTimeout: ms,
      commandTimeout: ms,
      disconnectTimeout: ms,
    };
  }

  private async run<T>(
    operation: CacheOperation,
    key: string,
    command: (client: RedisCacheClient) => Promise<T>,
  ): Promise<T> {
    try {
      return await this.command(command);
    } catch (error) {
      throw this.failure(operation, key, error);
    }
  }

  /** One command, connecting included, bounded by commandTimeoutMs. */
  private command<T>(command: (client: RedisCacheClient) => Promise<T>): Promise<T> {
    return withTimeout(
      async (givenUp) => {
        const client = await this.connection();
        if (givenUp()) throw new Error("given up");
        return command(client);
      },
      this.commandTimeoutMs,
      "Redis",
    );
  }

  private async connection(): Promise<RedisCacheClient> {
    if (this.closed) throw new ClosedError();
    const client = this.client;
    if (!this.ownsClient || client.status === "ready") return client;
    if (this.connecting === undefined && (client.status === "wait" || client.status === "end")) {
      const wait = this.redialAfter - Date.now();
      if (wait > 0) {
        const last = this.lastFailure?.message ?? "the last connection attempt failed";
        throw new Error(`${last} (not redialing for another ${wait} ms)`);
      }
      this.connecting = this.connect(client);
    }
    await this.connecting;
    return client;
  }

  private connect(client: RedisCacheClient): Promise<void> {
    this.lastFailure = undefined;
    const attempt = withTimeout(() => client.connect(), this.commandTimeoutMs, "Redis").then(
      () => {
        this.connecting = undefined;
      },
      (error: Error) => {
        this.connecting = undefined;
        this.redialAfter = Date.now() + RECONNECT_INTERVAL_MS;
        this.lastFailure = this.lastFailure ?? error;
        // Abandon a half-open attempt (a server that accepts but never answers) so no socket lingers.
        if (client.status !== "end") client.disconnect();
        throw this.lastFailure;
      },
    );
    attempt.catch(() => {}); // callers that timed out first are no longer listening
    return attempt;
  }

  private failure(
    operation: CacheOperation,
    key: string | undefined,
    error: unknown,
  ): CacheReadError | CacheWriteError {
    const reason = messageOf(error);
    const fix =
      error instanceof ClosedError
        ? "close() was called on this provider; create a new RedisCacheProvider."
        : `Check that Redis is running and reachable at ${this.server} ` +
          "(redis-cli -u <url> ping) and that it accepts this client; raise commandTimeoutMs if it is only slow. " +
          "Runs go on without the cache meanwhile.";
    const details = {
      provider: PROVIDER,
      operation,
      key,
      location: this.location,
      reason,
      fix,
      cause: error,
    };
    return operation === "get" || operation === "has"
      ? new CacheReadError(details)
      : new CacheWriteError(details);
  }
}

class ClosedError extends Error {
  constructor() {
    super("the provider is closed");
  }
}

/** ioredis, loaded only when the provider creates its own client (it is an optional peer dependency). */
function loadIoredis(): new (url: string, options: RedisOptions) => RedisCacheClient {
  try {
    const ioredis = require("ioredis");
    return ioredis.Redis ?? ioredis.default ?? ioredis; // early 5.x releases export the class as the module
  } catch (error) {
    throw new CacheConfigurationError(
      PROVIDER,
      "url",
      `the ioredis package cannot be loaded (${(error as Error).message.split("\n")[0]})`,
      "Install it next to moirae: npm install ioredis (version 5 or 6), or pass a client you made.",
    );
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
