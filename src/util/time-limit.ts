import { messageOf } from "./error-text";

/** The longest delay `setTimeout` honours: 2^31 − 1 ms (about 24.8 days). Node fires longer ones after 1 ms. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * The timer delay of a time limit: `limitMs` itself, or undefined (no timer, no limit) when it is undefined or
 * too long for a timer (above `MAX_TIMER_MS`, `Infinity` included).
 */
export function timerDelay(limitMs: number | undefined): number | undefined {
  return limitMs !== undefined && limitMs > 0 && limitMs <= MAX_TIMER_MS ? limitMs : undefined;
}

/** What is wrong with a time-limit option (a positive number of ms), or undefined when it is valid. */
export function checkTimeLimit(value: unknown): string | undefined {
  if (value === undefined || (typeof value === "number" && value > 0)) return undefined;
  return (
    `must be a positive number of milliseconds (above ${MAX_TIMER_MS}, about 24.8 days, or Infinity: no limit), ` +
    `got ${describeOption(value)}.`
  );
}

/** A delay waited for `ms` (a backoff), within what a timer can wait. */
export function clampDelay(ms: number): number {
  return ms > 0 ? Math.min(ms, MAX_TIMER_MS) : 0; // NaN: 0
}

/** An option's value for messages: strings quoted, anything else described safely. */
export function describeOption(value: unknown): string {
  return typeof value === "string" ? JSON.stringify(value) : messageOf(value);
}
