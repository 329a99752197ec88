// `npm run bench`: prints figures, asserts nothing.
import "reflect-metadata";
import { throughput } from "./throughput";

async function main(): Promise<void> {
  const started = performance.now();
  if (!(globalThis as { gc?: unknown }).gc)
    console.log("(run with node --expose-gc for comparable RSS figures)");
  console.log(`# moirae benchmarks — node ${process.version}, ${require("node:os").cpus().length} CPUs`);
  const only = process.argv.slice(2);
  const suites: [string, () => Promise<unknown>][] = [["throughput", throughput]];
  for (const [name, suite] of suites) if (only.length === 0 || only.includes(name)) await suite();
  console.log(`\ntotal ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
