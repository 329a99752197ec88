// `npm run bench [-- suite…]`: prints one markdown report on stdout (progress goes to stderr); asserts nothing.
// Suites: build, throughput, fresh, makespan, memory, cache, distributed, cli, report, threads (default: all).
import "reflect-metadata";
import { build } from "./build";
import { cache } from "./cache";
import { cli } from "./cli";
import { distributed } from "./distributed";
import { fresh } from "./fresh";
import { htmlReport } from "./html-report";
import { makespan } from "./makespan";
import { memory } from "./memory";
import { goalSummary, machine, progress, Section } from "./report";
import { threads } from "./threads";
import { throughput } from "./throughput";

interface Suite {
  readonly name: string;
  readonly title: string;
  /** The section's name in the summary of goals. */
  readonly label: string;
  readonly run: (section: Section) => Promise<unknown>;
}

/** In report order. */
const SUITES: readonly Suite[] = [
  { name: "build", title: "Build (GraphBuilder)", label: "Build", run: build },
  {
    name: "throughput",
    title: "Run throughput: moirae vs p-graph vs a hand-written scheduler",
    label: "Run throughput",
    run: throughput,
  },
  {
    name: "fresh",
    title: "Run throughput in a fresh process: moirae vs p-graph",
    label: "Fresh-process run",
    run: fresh,
  },
  { name: "makespan", title: "Makespan", label: "Makespan", run: makespan },
  { name: "memory", title: "Memory", label: "Memory", run: memory },
  { name: "cache", title: "Cache", label: "Cache", run: cache },
  {
    name: "distributed",
    title: "Distributed: nodes on BullMQ workers vs raw BullMQ",
    label: "Distributed",
    run: distributed,
  },
  { name: "cli", title: "Command line", label: "CLI", run: cli },
  { name: "report", title: "Run report and tracing", label: "Report", run: htmlReport },
  { name: "threads", title: "Worker threads", label: "Threads", run: threads },
];

/**
 * The order the suites run in: memory first (its RSS figure wants a heap the other suites have not grown yet),
 * then the build timings (before the big executor runs fragment the heap).
 */
const RUN_ORDER = [
  "memory",
  "build",
  "makespan",
  "throughput",
  "fresh",
  "cache",
  "distributed",
  "cli",
  "report",
  "threads",
];

async function main(): Promise<void> {
  const started = performance.now();
  const names = SUITES.map((s) => s.name);
  const only = process.argv.slice(2);
  const unknown = only.filter((name) => !names.includes(name));
  if (unknown.length > 0) {
    console.error(`unknown suite ${unknown.join(", ")}; the suites are ${names.join(", ")}`);
    process.exitCode = 2;
    return;
  }
  const selected = SUITES.filter((s) => only.length === 0 || only.includes(s.name));
  const sections = new Map(selected.map((s) => [s.name, new Section(s.title, s.label)]));
  const machineText = machine(); // the load average before the benchmarks add to it
  for (const name of RUN_ORDER) {
    const suite = selected.find((s) => s.name === name);
    if (!suite) continue;
    progress(`— ${name}`);
    const suiteStart = performance.now();
    await suite.run(sections.get(name)!);
    progress(`— ${name}: ${((performance.now() - suiteStart) / 1000).toFixed(1)} s`);
  }
  const total = (performance.now() - started) / 1000;

  const out: string[] = [
    "# moirae benchmarks",
    "",
    `Produced by \`npm run --silent bench${only.length > 0 ? ` -- ${only.join(" ")}` : ""} > BENCHMARKS.md\` ` +
      "(`tsc`, then `node --expose-gc dist-test/bench/index.js`: the report on stdout, progress on stderr) on " +
      `${new Date().toISOString().slice(0, 10)}; the run took ${total.toFixed(0)} s. Figures vary from run to ` +
      "run, and more on a busy shared machine: compare ratios measured in the same run rather than absolute " +
      "times across runs. Nothing here is asserted by the tests.",
    "",
    "## Machine",
    "",
    machineText,
    "",
  ];
  if (!(globalThis as { gc?: unknown }).gc) {
    out.push("_Run without `--expose-gc`: RSS figures are not comparable._", "");
  }
  for (const suite of selected) out.push(sections.get(suite.name)!.toString(), "");
  out.push("## Summary of goals", "", goalSummary([...sections.values()]), "");
  process.stdout.write(out.join("\n"));
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
