import { setTimeout as delay } from "node:timers/promises";

/** Rejects when `work` has not settled within `ms`; `work` can ask whether it has already been given up. */
export async function withTimeout<T>(
  work: (givenUp: () => boolean) => Promise<T>,
  ms: number,
  what: string,
): Promise<T> {
  let givenUp = false;
  const timer = new AbortController();
  const timeout = delay(ms, undefined, { signal: timer.signal }).then(() => {
    givenUp = true;
    throw new Error(`${what} did not answer within ${ms} ms`);
  });
  try {
    return await Promise.race([Promise.resolve().then(() => work(() => givenUp)), timeout]);
  } finally {
    timer.abort(); // clears the timer; `timeout` then rejects into the settled race, unobserved
  }
}
