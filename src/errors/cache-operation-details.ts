/** A cache provider method, as named in messages and on `CacheReadError` / `CacheWriteError`. */
export type CacheOperation = "get" | "has" | "set" | "delete" | "clear" | "stats";

/** What a provider knows about a failed cache operation; the fields of the message. */
export interface CacheOperationDetails {
  /** The provider's class name, e.g. `"FileCacheProvider"`. */
  provider: string;
  operation: CacheOperation;
  /** The entry's key; absent for whole-cache operations (`clear`, `stats`). */
  key?: string;
  /** Where: a file path, a directory, or a server such as `redis://127.0.0.1:6379 (prefix "moirae:")`. */
  location: string;
  /** What broke, one clause without a final period. */
  reason: string;
  /** How to fix it, one or more sentences. */
  fix: string;
  cause?: unknown;
}

/** Formats `FileCacheProvider.get("ab…") failed at /x/ab/ab…: <reason>. <fix>`. */
export function formatCacheFailure(details: CacheOperationDetails): string {
  const call = `${details.provider}.${details.operation}(${details.key === undefined ? "" : JSON.stringify(details.key)})`;
  return `${call} failed at ${details.location}: ${details.reason}. ${details.fix}`;
}
