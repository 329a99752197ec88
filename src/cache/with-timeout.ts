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
  let unsubscribe: (() => void) | undefined;
  if (signal) {
    racers.push(
      new Promise<never>((_, reject) => {
        unsubscribe = onAbort(signal, () => {
          givenUp = true;
          reject(signal.reason);
        });
      }),
    );
  }
  try {
    return await Promise.race(racers);
  } finally {
    timer.abort(); // clears the timer; its promise then rejects into the settled race, unobserved
    unsubscribe?.();
  }
}

/** The callbacks waiting on each signal, behind one `abort` listener per signal. */
const waiting = new WeakMap<AbortSignal, Set<() => void>>();

/**
 * Calls `callback` when `signal` aborts; returns the unsubscribe function. Thousands of cache operations of a run
 * wait on its one signal at once: they share a single listener instead of each adding one (which also keeps
 * Node's MaxListenersExceededWarning away).
 */
function onAbort(signal: AbortSignal, callback: () => void): () => void {
  let callbacks = waiting.get(signal);
  if (callbacks === undefined) {
    const set = new Set<() => void>();
    callbacks = set;
    waiting.set(signal, set);
    signal.addEventListener(
      "abort",
      () => {
        waiting.delete(signal);
        for (const fn of set) fn();
      },
      { once: true },
    );
  }
  callbacks.add(callback);
  return () => callbacks.delete(callback);
}
