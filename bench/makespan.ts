// Makespan: how close to the ideal schedule runs of sleeping nodes get (unlimited and limited concurrency).
import { IsInt, IsNumber, IsOptional, Min } from "class-validator";
import { container } from "tsyringe";
import { buildGraph, Executor, type Graph, type GraphSpec, Input, Node, Output } from "../src/index";
import { type PlainGraph, plainGraph, runHandWritten, runPGraph } from "./baselines";
import { progress, type Section } from "./report";

@Input()
class SleepInput {
  @IsOptional() @IsNumber() x?: number;
  @IsOptional() @IsNumber() y?: number;
}

@Output()
class SleepOutput {
  @IsNumber() o!: number;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Sleeps `ms` milliseconds; `id` keeps otherwise equal nodes apart (equal hashes would share one execution). */
@Node({ input: SleepInput, output: SleepOutput, name: "BenchSleep" })
class BenchSleep {
  @IsInt() @Min(0) ms = 0;
  @IsInt() id = 0;
  async execute(input: SleepInput): Promise<SleepOutput> {
    await sleep(this.ms);
    return { o: (input.x ?? 0) + (input.y ?? 0) + 1 };
  }
}
void BenchSleep; // registered by @Node; referenced by name in specs

/** A graph of sleeping nodes: `durations[i]` ms, node i fed by `parents[i]` (at most two). */
function sleepGraph(durations: readonly number[], parents: readonly (readonly number[])[]): Graph {
  const spec: GraphSpec = {};
  durations.forEach((ms, i) => {
    const inputs: Record<string, string> = {};
    parents[i]!.forEach((p, k) => {
      inputs[k === 0 ? "x" : "y"] = `\${s${p}.o}`;
    });
    spec[`s${i}`] = { node: "BenchSleep", arguments: { ms, id: i }, inputs };
  });
  return buildGraph(spec);
}

/** The same durations for p-graph and the hand-written scheduler, by plain-graph index. */
function sleeper(graph: Graph, plain: PlainGraph): (i: number) => Promise<void> {
  const ms = plain.names.map((n) => graph.nodes.get(n)!.arguments.ms as number);
  return (i) => sleep(ms[i]!);
}

/** Longest path weighted by duration, and total work. */
function bounds(durations: readonly number[], parents: readonly (readonly number[])[]) {
  const finish: number[] = [];
  durations.forEach((d, i) => {
    finish[i] = d + Math.max(0, ...parents[i]!.map((p) => finish[p]!));
  });
  return { critical: Math.max(...finish), total: durations.reduce((a, b) => a + b, 0) };
}

/** Seeded PRNG (mulberry32). */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A random DAG of `size` nodes lasting 10–100 ms; each node has up to two earlier parents. */
function randomDag(seed: number, size = 30) {
  const next = random(seed);
  const durations: number[] = [];
  const parents: number[][] = [];
  for (let i = 0; i < size; i++) {
    durations.push(10 + Math.floor(next() * 91));
    const mine: number[] = [];
    for (let j = 0; j < i && mine.length < 2; j++) if (next() < 0.12) mine.push(j);
    parents.push(mine);
  }
  return { durations, parents };
}

async function time(fn: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await fn();
  return performance.now() - start;
}

/** Goals of issue 4. */
const GOAL_LAYERED = 1.03;
const GOAL_RANDOM = 1.05;

export async function makespan(section: Section): Promise<void> {
  const executor = container.resolve(Executor);
  const ratio = (ms: number, ideal: number) => `${(ms / ideal).toFixed(3)}×`;

  section.heading("100 nodes in 10 layers of 10, each sleeping 50 ms, unlimited concurrency");
  section.text(
    "The critical path is 10 × 50 ms = 500 ms (the ideal). Each node takes its inputs from two nodes of the " +
      "layer before (the layered shape). moirae: 3 runs after a warm-up, the best one counts; p-graph and the " +
      "hand-written scheduler: one run each.",
  );
  {
    const durations = Array.from({ length: 100 }, () => 50);
    const parents = durations.map((_, i) => {
      const l = Math.floor(i / 10);
      const j = i % 10;
      return l === 0 ? [] : [(l - 1) * 10 + ((j * 7 + 1) % 10), (l - 1) * 10 + ((j * 13 + 3) % 10)];
    });
    const graph = sleepGraph(durations, parents);
    const plain = plainGraph(graph);
    await executor.run(graph); // warm-up
    const runs: number[] = [];
    for (let k = 0; k < 3; k++) runs.push(await time(() => executor.run(graph)));
    const pgraph = await time(() => runPGraph(plain, sleeper(graph, plain)));
    const hand = await time(() => runHandWritten(plain, sleeper(graph, plain)));
    const best = Math.min(...runs);
    progress(`makespan: layered moirae ${best.toFixed(0)} ms`);
    section.table(
      ["scheduler", "runs ms", "makespan ms", "÷ 500 ms"],
      [
        ["moirae", runs.map((r) => r.toFixed(0)).join(" / "), best.toFixed(0), ratio(best, 500)],
        ["p-graph", pgraph.toFixed(0), pgraph.toFixed(0), ratio(pgraph, 500)],
        ["hand-written", hand.toFixed(0), hand.toFixed(0), ratio(hand, 500)],
      ],
    );
    section.goal(
      `makespan ≤ ${GOAL_LAYERED}× the 500 ms critical path`,
      best / 500 <= GOAL_LAYERED,
      `${best.toFixed(0)} ms = ${ratio(best, 500)}`,
    );
  }

  section.heading("Concurrency 2: 10 seeded random DAGs of 30 nodes lasting 10–100 ms");
  section.text(
    "Ratio = makespan ÷ the lower bound max(critical path, total work ÷ 2). moirae picks the ready node with " +
      "the longest remaining path (in nodes); p-graph is given priority 1 per node (it adds priorities up along " +
      "paths: the same rule); the hand-written scheduler is FIFO. One run each.",
  );
  const ratios = { moirae: [] as number[], pgraph: [] as number[], fifo: [] as number[] };
  const rows: string[][] = [];
  for (let seed = 1; seed <= 10; seed++) {
    const { durations, parents } = randomDag(seed);
    const { critical, total } = bounds(durations, parents);
    const bound = Math.max(critical, total / 2);
    const graph = sleepGraph(durations, parents);
    const plain = plainGraph(graph);
    const m = await time(() => executor.run(graph, { concurrency: 2 }));
    const p = await time(() =>
      runPGraph(plain, sleeper(graph, plain), { concurrency: 2, priority: () => 1 }),
    );
    const f = await time(() => runHandWritten(plain, sleeper(graph, plain), 2));
    ratios.moirae.push(m / bound);
    ratios.pgraph.push(p / bound);
    ratios.fifo.push(f / bound);
    rows.push([
      `seed ${seed}`,
      bound.toFixed(0),
      m.toFixed(0),
      (m / bound).toFixed(3),
      p.toFixed(0),
      (p / bound).toFixed(3),
      f.toFixed(0),
      (f / bound).toFixed(3),
    ]);
  }
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  rows.push([
    "mean",
    "",
    "",
    mean(ratios.moirae).toFixed(3),
    "",
    mean(ratios.pgraph).toFixed(3),
    "",
    mean(ratios.fifo).toFixed(3),
  ]);
  section.table(["DAG", "bound ms", "moirae ms", "ratio", "p-graph ms", "ratio", "FIFO ms", "ratio"], rows);
  const meanMoirae = mean(ratios.moirae);
  const meanPGraph = mean(ratios.pgraph);
  progress(`makespan: random DAGs mean moirae ${meanMoirae.toFixed(3)}, p-graph ${meanPGraph.toFixed(3)}`);
  section.goal(`mean ratio ≤ ${GOAL_RANDOM}`, meanMoirae <= GOAL_RANDOM, `moirae ${meanMoirae.toFixed(3)}`);
  section.goal(
    "mean ratio no worse than p-graph's at the same concurrency",
    meanMoirae <= meanPGraph,
    `moirae ${meanMoirae.toFixed(3)}, p-graph ${meanPGraph.toFixed(3)}`,
  );

  section.heading(
    "FIFO-hostile: 20 independent 10 ms nodes listed before a chain of 10 × 50 ms, concurrency 2",
  );
  section.text(
    "The ideal is 500 ms: the chain runs in one slot while the short nodes share the other. FIFO order runs " +
      "the short nodes first and delays the chain.",
  );
  {
    const durations = [...Array.from({ length: 20 }, () => 10), ...Array.from({ length: 10 }, () => 50)];
    const parents = durations.map((_, i) => (i > 20 ? [i - 1] : []));
    const graph = sleepGraph(durations, parents);
    const plain = plainGraph(graph);
    const m = await time(() => executor.run(graph, { concurrency: 2 }));
    const p = await time(() =>
      runPGraph(plain, sleeper(graph, plain), { concurrency: 2, priority: () => 1 }),
    );
    const f = await time(() => runHandWritten(plain, sleeper(graph, plain), 2));
    section.table(
      ["scheduler", "makespan ms", "÷ 500 ms"],
      [
        ["moirae (critical path first)", m.toFixed(0), ratio(m, 500)],
        ["p-graph (priority 1 per node)", p.toFixed(0), ratio(p, 500)],
        ["hand-written (FIFO)", f.toFixed(0), ratio(f, 500)],
      ],
    );
  }
}
