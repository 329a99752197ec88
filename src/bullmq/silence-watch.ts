import type { Redis } from "ioredis";

/** How often a closing worker asks Redis whether it is still there. */
const PING_EVERY_MS = 250;

/**
 * Resolves to true once `client` has answered no PING for `silentMs` (Redis is down, unreachable or stuck), or
 * to false as soon as `until` settles. Used while a worker closes: BullMQ's close waits for Redis for ever.
 */
export async function whenSilent(client: Redis, silentMs: number, until: Promise<unknown>): Promise<boolean> {
  let settled = false;
  const over = until.then(
    () => {
      settled = true;
    },
    () => {
      settled = true;
    },
  );
  let answeredAt = Date.now();
  while (!settled) {
    // a PING to a lost server waits in ioredis's offline queue (or fails): either way it does not answer
    client.ping().then(
      () => {
        answeredAt = Date.now();
      },
      () => {},
    );
    await Promise.race([over, new Promise((resolve) => setTimeout(resolve, PING_EVERY_MS))]);
    if (!settled && Date.now() - answeredAt >= silentMs) return true;
  }
  return false;
}
