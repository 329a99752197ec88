// CPU-bound nodes on every core: four CountPrimes nodes (thread: true) count the primes below 1,000,000 in
// parallel worker threads; AddCounts adds them up on the event loop.
// Run with: npm run sample -- samples/threads.ts
import { availableParallelism } from "node:os";
import { buildGraph, execute } from "../src/index";
import type { PrimeCount, Total } from "./threads/count-primes";
import "./threads/count-primes"; // registers CountPrimes and AddCounts

const quarter = 250_000;
const range = (i: number) => ({ node: "CountPrimes", inputs: { from: i * quarter, to: (i + 1) * quarter } });
const graph = buildGraph({
  q0: range(0),
  q1: range(1),
  q2: range(2),
  q3: range(3),
  total: {
    node: "AddCounts",
    inputs: { a: "${q0.count}", b: "${q1.count}", c: "${q2.count}", d: "${q3.count}" },
  },
});

async function main(): Promise<void> {
  const started = performance.now();
  const out = await execute(graph);
  const ms = performance.now() - started;
  const threads = new Set(["q0", "q1", "q2", "q3"].map((q) => (out[q] as PrimeCount).thread));
  console.log(`primes below 1,000,000: ${(out.total as Total).total}`); // 78498
  console.log(`counted in worker threads: ${!threads.has(0)}`); // true
  console.log(`${threads.size} threads of ${availableParallelism()} cores, ${(ms / 1000).toFixed(1)} s`);
}

main();
