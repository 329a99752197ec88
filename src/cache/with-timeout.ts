import { MAX_TIMER_MS } from "../util/time-limit";

/**
 * Rejects when `work` has not settled within `ms` (no limit above `MAX_TIMER_MS`, `Infinity` included), or at
 * once with the signal's reason when `signal` aborts; `work` can ask whether it has already been given up. No
 * timer outlives the call.
 *
 * Every cache lookup and write goes through here, so it is built for many short calls: one plain `setTimeout`
 * cleared on settling (Node keeps timers of one duration in one list behind one OS timer) and one promise. An
 * abortable `timers/promises` delay costs several times more per call: clearing it rejects with an `AbortError`
 * (a DOMException with a stack trace), which alone doubled the cost of a warm cache hit.
 */
export function withTimeout<T>(
  work: (givenUp: () => boolean) => Promise<T>,
  ms: number,
  what: string,
  signal?: AbortSignal,
): Promise<T> {
  if (signal?.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    let givenUp = false;
    let settled = false;
    let timer: NodeJS.Timeout | undefined;
    let unsubscribe: (() => void) | undefined;
    const settle = () => {
      settled = true;
      if (timer !== undefined) clearTimeout(timer);
      unsubscribe?.();
    };
    if (ms <= MAX_TIMER_MS) {
      timer = setTimeout(() => {
        if (settled) return;
        givenUp = true;
        settle();
        reject(new Error(`${what} did not answer within ${ms} ms`));
      }, ms);
    }
    if (signal) {
      unsubscribe = onAbort(signal, () => {
        if (settled) return;
        givenUp = true;
        settle();
        reject(signal.reason);
      });
    }
    let pending: Promise<T>;
    try {
      pending = work(() => givenUp);
    } catch (error) {
      pending = Promise.reject(error);
    }
    Promise.resolve(pending).then(
      (value) => {
        if (settled) return;
        settle();
        resolve(value);
      },
      (error: unknown) => {
        if (settled) return;
        settle();
        reject(error);
      },
    );
  });
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
