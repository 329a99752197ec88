import { CacheKeyError } from "../errors/cache-key-error";
import { CacheWriteError } from "../errors/cache-write-error";
import { isHexHash } from "../util/hex-hash";

/** Throws `CacheKeyError` unless `key` is a node hash: 64 lowercase hex characters. */
export function assertCacheKey(key: unknown, provider: string): asserts key is string {
  if (isHexHash(key)) return;
  throw new CacheKeyError(
    key,
    provider,
    keyProblem(key),
    "A cache key is a node hash: exactly 64 lowercase hexadecimal characters (a SHA-256 digest, " +
      'e.g. "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"). Use graph.hashOf(node), ' +
      "not a node name or a path.",
  );
}

function keyProblem(key: unknown): string {
  if (typeof key !== "string") return `it is ${key === null ? "null" : `a ${typeof key}`}, not a string`;
  if (key.length !== 64) return `it has ${key.length} characters`;
  const bad = [...key].find((c) => !/[0-9a-f]/.test(c))!;
  return /[A-F]/.test(bad) ? "it contains uppercase hex digits" : `it contains ${JSON.stringify(bad)}`;
}

/** Throws `CacheWriteError` from `set` unless `value` is bytes (`problem` adds a provider's own limit). */
export function assertCacheValue(
  key: string,
  value: unknown,
  where: { provider: string; location: string },
  tooLarge?: (bytes: Uint8Array) => { reason: string; fix: string } | undefined,
): asserts value is Uint8Array {
  const problem = !(value instanceof Uint8Array)
    ? {
        reason: `the value is ${typeof value}, not a Uint8Array`,
        fix: "Encode the output to bytes before storing it.",
      }
    : tooLarge?.(value);
  if (problem === undefined) return;
  throw new CacheWriteError({
    provider: where.provider,
    operation: "set",
    key,
    location: where.location,
    ...problem,
  });
}
