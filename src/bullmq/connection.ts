import type { ConnectionOptions } from "bullmq";
import type { RedisOptions } from "ioredis";
import { QueueConfigurationError } from "../errors/queue-configuration-error";

/**
 * The Redis server of a queue: a `redis://` or `rediss://` URL (`redis://:secret@host:6379/0`), or ioredis
 * options (`{ host, port, password, db, tls }`). BullMQ and moirae open their own connections from it and close
 * them on `close()`.
 */
export type QueueConnection = string | RedisOptions;

/** The default server: a local Redis. */
export const DEFAULT_CONNECTION = "redis://127.0.0.1:6379";

/** ioredis options for `connection` (a URL is parsed; options are copied). */
export function redisOptions(connection: QueueConnection | undefined, component: string): RedisOptions {
  const given = connection ?? DEFAULT_CONNECTION;
  if (typeof given === "string") return optionsFromUrl(given, component);
  if (given === null || typeof given !== "object") {
    throw new QueueConfigurationError(
      component,
      "connection",
      `must be a redis:// URL or ioredis options ({ host, port, … }), got ${String(given)}`,
    );
  }
  return { ...given };
}

/** `redis[s]://[[user]:password@]host[:port][/db]` as ioredis options. */
function optionsFromUrl(url: string, component: string): RedisOptions {
  const invalid = (problem: string) => new QueueConfigurationError(component, "connection", problem);
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw invalid(`must be a redis:// or rediss:// URL, got "${url}"`);
  }
  if (parsed.protocol !== "redis:" && parsed.protocol !== "rediss:") {
    throw invalid(`must be a redis:// or rediss:// URL, got "${url}"`);
  }
  const options: RedisOptions = {
    host: parsed.hostname.replace(/^\[(.*)\]$/, "$1") || "127.0.0.1",
    port: parsed.port ? Number(parsed.port) : 6379,
  };
  if (parsed.username) options.username = decodeURIComponent(parsed.username);
  if (parsed.password) options.password = decodeURIComponent(parsed.password);
  const db = parsed.pathname.replace(/^\//, "");
  if (db) {
    if (!/^\d+$/.test(db)) {
      throw invalid(`names database "${db}" in "${url}"; use a number (/0, /1, …)`);
    }
    options.db = Number(db);
  }
  if (parsed.protocol === "rediss:") options.tls = {};
  return options;
}

/** The server in words for messages (no password): `redis://host:port/db`. */
export function describeServer(options: RedisOptions): string {
  const host = options.host?.includes(":") ? `[${options.host}]` : (options.host ?? "127.0.0.1");
  const scheme = options.tls ? "rediss" : "redis";
  return `${scheme}://${host}:${options.port ?? 6379}${options.db ? `/${options.db}` : ""}`;
}

/**
 * The same options typed as BullMQ's `ConnectionOptions`: BullMQ declares its own copy of ioredis's option type,
 * which differs from ioredis 6's in details (`retryStrategy` may return null) while accepting the same values.
 */
export function bullmqConnection(options: RedisOptions): ConnectionOptions {
  return options as ConnectionOptions;
}
