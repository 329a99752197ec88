import { describeOption, MAX_TIMER_MS } from "../util/time-limit";
import type { RetryPolicy } from "./types";

/** A retry policy with every field filled in. */
export interface NormalizedRetries {
  /** Retries after the first try. */
  readonly retries: number;
  readonly backoffMs: number;
  readonly factor: number;
}

/** A problem with a retry policy, or undefined when it is valid. */
export function checkRetries(retries: unknown): string | undefined {
  if (retries === undefined) return undefined;
  if (typeof retries === "number") {
    return Number.isInteger(retries) && retries >= 0
      ? undefined
      : `retries must be a whole number ≥ 0, got ${describeOption(retries)}.`;
  }
  if (retries !== null && typeof retries === "object") {
    const { attempts, backoffMs, factor } = retries as Record<string, unknown>;
    if (!(Number.isInteger(attempts) && (attempts as number) >= 0))
      return `retries.attempts must be a whole number ≥ 0, got ${describeOption(attempts)}.`;
    if (
      backoffMs !== undefined &&
      !(typeof backoffMs === "number" && backoffMs >= 0 && backoffMs <= MAX_TIMER_MS)
    )
      return `retries.backoffMs must be a number of milliseconds from 0 to ${MAX_TIMER_MS} (about 24.8 days), got ${describeOption(backoffMs)}.`;
    if (factor !== undefined && !(typeof factor === "number" && factor >= 1 && Number.isFinite(factor)))
      return `retries.factor must be a finite number ≥ 1, got ${describeOption(factor)}.`;
    return undefined;
  }
  return "retries must be a number or { attempts, backoffMs?, factor? }.";
}

/** Fills in a (valid) retry policy: `n` → `{ retries: n, backoffMs: 0, factor: 1 }`. */
export function normalizeRetries(policy: RetryPolicy | undefined): NormalizedRetries {
  if (policy === undefined) return { retries: 0, backoffMs: 0, factor: 1 };
  if (typeof policy === "number") return { retries: policy, backoffMs: 0, factor: 1 };
  return { retries: policy.attempts, backoffMs: policy.backoffMs ?? 0, factor: policy.factor ?? 2 };
}
