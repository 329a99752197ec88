import { setTimeout as delay } from "node:timers/promises";
import { MAX_TIMER_MS } from "../util/time-limit";

/**
 * Rejects when `work` has not settled within `ms` (no limit above `MAX_TIMER_MS`, `Infinity` included), or at
 * once with the signal's reason when `signal` aborts; `work` can ask whether it has already been given up. No
 * timer outlives the call.
 */
export async function withTimeout<T>(
  work: (givenUp: () => boolean) => Promise<T>,
  ms: number,
  what: string,
  signal?: AbortSignal,
): Promise<T> {
  if (signal?.aborted) throw signal.reason;
  let givenUp = false;
  const timer = new AbortController();
  const racers: Promise<T>[] = [Promise.resolve().then(() => work(() => givenUp))];
  if (ms <= MAX_TIMER_MS) {
    racers.push(
      delay(ms, undefined, { signal: timer.signal }).then(() => {
        givenUp = true;
        throw new Error(`${what} did not answer within ${ms} ms`);
      }),
    );
  }
  let onAbort: (() => void) | undefined;
  if (signal) {
    racers.push(
      new Promise<never>((_, reject) => {
        onAbort = () => {
          givenUp = true;
          reject(signal.reason);
        };
        signal.addEventListener("abort", onAbort, { once: true });
      }),
    );
  }
  try {
    return await Promise.race(racers);
  } finally {
    timer.abort(); // clears the timer; its promise then rejects into the settled race, unobserved
    if (onAbort) signal!.removeEventListener("abort", onAbort);
  }
}
