import { setTimeout as delay } from "node:timers/promises";

/** Resolves after `ms`, or early (to `false`) when `signal` aborts; never rejects and leaves no timer behind. */
export async function abortableDelay(ms: number, signal: AbortSignal): Promise<boolean> {
  try {
    await delay(ms, undefined, { signal });
    return true;
  } catch {
    return false; // aborted: timers/promises has cleared the timer
  }
}
