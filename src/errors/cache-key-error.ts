import { MoiraeError } from "./moirae-error";

/**
 * A cache provider was given a key it will not use: cache keys are node hashes, exactly 64 lowercase
 * hexadecimal characters, so that no key can name a path outside the cache or collide with a foreign entry.
 */
export class CacheKeyError extends MoiraeError {
  /** The rejected key, as given. */
  readonly key: unknown;
  /** The provider's class name. */
  readonly provider: string;

  /**
   * @param problem what is wrong with the key, e.g. `it has 6 characters`
   * @param rule what a valid key (or name) looks like and how to get one
   * @param kind what the string is, when it is not an entry key (e.g. `"meta file name"`)
   */
  constructor(key: unknown, provider: string, problem: string, rule: string, kind = "cache key") {
    super(`Invalid ${kind} ${showKey(key)} for ${provider}: ${problem}. ${rule}`);
    this.key = key;
    this.provider = provider;
  }
}

function showKey(key: unknown): string {
  if (typeof key !== "string") return String(key);
  const shown = JSON.stringify(key);
  return shown.length > 80 ? `${shown.slice(0, 77)}…"` : shown;
}
