/** How long the cached nodes of a run took when they last executed: the time the cache saved. */
export interface TimeSaved {
  /** The recorded durations of the cached nodes added up, in ms. */
  readonly savedMs: number;
  /** How many cached nodes had a recorded duration (the others are not in `savedMs`). */
  readonly savedKnown: number;
}

/**
 * Adds up the earlier durations (`durations`: ms by topological hash) of the nodes that came from the cache.
 * The CLI keeps such durations in the file cache (`meta/durations.json`); the run summary and the run report
 * both show the result.
 */
export function timeSaved(
  nodes: Iterable<{ readonly status: string; readonly hash: string }>,
  durations: Readonly<Record<string, number>>,
): TimeSaved {
  let savedMs = 0;
  let savedKnown = 0;
  for (const node of nodes) {
    if (node.status !== "cached") continue;
    const ms = durations[node.hash];
    if (typeof ms !== "number" || !Number.isFinite(ms)) continue;
    savedMs += ms;
    savedKnown++;
  }
  return { savedMs: Math.round(savedMs * 1000) / 1000, savedKnown };
}
