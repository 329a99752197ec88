// Timing and peak-RSS sampling shared by the benchmarks.

let peakRss = 0;
let calls = 0;

/** Samples RSS every 2048 calls: nodes call it, because no-op runs never yield to timers. */
export function tick(): void {
  if ((++calls & 2047) === 0) sampleRss();
}

/** Samples RSS now. */
export function sampleRss(): void {
  const rss = process.memoryUsage.rss();
  if (rss > peakRss) peakRss = rss;
}

/** Collects garbage (when run with --expose-gc) and returns the RSS afterwards. */
export function settle(): number {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc) {
    gc();
    gc();
  }
  return process.memoryUsage.rss();
}

export interface Measurement {
  /** Wall time in ms. */
  readonly ms: number;
  /** Peak RSS during the case, in bytes. */
  readonly peakRss: number;
  /** RSS before the case, after a GC, in bytes. */
  readonly baseRss: number;
}

/** Runs `fn` once after a GC, timing it and sampling RSS on a 5 ms interval, in its nodes, and at the end. */
export async function measure(fn: () => Promise<unknown>): Promise<Measurement> {
  const baseRss = settle();
  peakRss = baseRss;
  const timer = setInterval(sampleRss, 5);
  const start = performance.now();
  try {
    await fn();
  } finally {
    clearInterval(timer);
  }
  const ms = performance.now() - start;
  sampleRss();
  return { ms, peakRss, baseRss };
}

/** Runs `fn` `times` times and returns the measurement with the median time (peak RSS: the highest). */
export async function median(times: number, fn: () => Promise<unknown>): Promise<Measurement> {
  const runs: Measurement[] = [];
  for (let k = 0; k < times; k++) runs.push(await measure(fn));
  runs.sort((a, b) => a.ms - b.ms);
  const mid = runs[Math.floor(runs.length / 2)]!;
  return { ms: mid.ms, baseRss: mid.baseRss, peakRss: Math.max(...runs.map((r) => r.peakRss)) };
}

export const mb = (bytes: number): string => `${(bytes / 2 ** 20).toFixed(0)} MB`;

/** How many times nodes have called `tick` so far (in the cache suite: how many nodes executed). */
export function ticks(): number {
  return calls;
}
