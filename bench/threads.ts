// Worker threads: CPU-bound `thread: true` nodes on every core, the cost of a trivial thread node, and how fast
// a stuck node's timeout fires.
import { availableParallelism } from "node:os";
import { threadId } from "node:worker_threads";
import { IsInt, IsNumber, IsOptional, Min } from "class-validator";
import {
  buildGraph,
  type ExecutionEvent,
  execute,
  type GraphSpec,
  Input,
  Node,
  NodeTimeoutError,
  Output,
} from "../src/index";
import { progress, type Section } from "./report";

@Input()
class WorkInput {
  @IsOptional() @IsNumber() x?: number;
}

@Output()
class WorkOutput {
  @IsNumber() value!: number;
  @IsInt() thread!: number;
}

/** `iterations` rounds of integer hashing: fixed work, whatever else runs on the machine. */
function work(iterations: number, seed: number): number {
  let h = seed | 0;
  for (let i = 0; i < iterations; i++) h = Math.imul(h ^ (h >>> 13), 0x5bd1e995) + i;
  return h;
}

@Node({ input: WorkInput, output: WorkOutput, thread: true, name: "BenchThreadWork" })
class BenchThreadWork {
  @IsInt() @Min(0) iterations = 0;
  @IsInt() id = 0;
  execute(input: WorkInput): WorkOutput {
    return { value: work(this.iterations, this.id + (input.x ?? 0)), thread: threadId };
  }
}

@Node({ input: WorkInput, output: WorkOutput, name: "BenchLoopWork" })
class BenchLoopWork extends BenchThreadWork {}

@Node({ input: WorkInput, output: WorkOutput, thread: true, name: "BenchThreadStuck" })
class BenchThreadStuck {
  execute(): WorkOutput {
    for (;;) {}
  }
}
void [BenchLoopWork, BenchThreadStuck]; // registered by @Node; referenced by name in specs

const GOAL_CPU_RATIO = 1.15;
const GOAL_OVERHEAD_MS = 0.3;
const GOAL_TIMEOUT_MS = 50;
const NODE_MS = 250;

function workSpec(node: string, n: number, iterations: number, salt: number): GraphSpec {
  const spec: GraphSpec = {};
  for (let i = 0; i < n; i++)
    spec[`w${i}`] = { node, arguments: { iterations, id: salt * 1000 + i }, inputs: {} };
  return spec;
}

async function timed(spec: GraphSpec): Promise<{ ms: number; threads: Set<number> }> {
  const graph = buildGraph(spec);
  const start = performance.now();
  const out = await execute(graph);
  const ms = performance.now() - start;
  return { ms, threads: new Set(Object.values(out).map((o) => (o as WorkOutput).thread)) };
}

/** Runs small thread nodes until every thread of the pool has run one. */
async function warmUp(cores: number, salt: number): Promise<void> {
  const seen = new Set<number>();
  for (let i = 0; i < 50 && seen.size < cores; i++) {
    for (const t of (await timed(workSpec("BenchThreadWork", cores * 2, 200_000, salt * 100 + i))).threads) {
      seen.add(t);
    }
  }
}

export async function threads(section: Section): Promise<void> {
  const cores = availableParallelism();
  // Calibrate: iterations for one node of ~250 ms of CPU, measured on this thread.
  const probe = 2_000_000;
  const t0 = performance.now();
  work(probe, 1);
  const iterations = Math.round((probe * NODE_MS) / Math.max(1, performance.now() - t0));
  progress(`threads: ${iterations} iterations ≈ ${NODE_MS} ms; warming the pool`);
  await warmUp(cores, 900);

  progress("threads: 8 CPU-bound nodes");
  const loop = await timed(workSpec("BenchLoopWork", 8, iterations, 1));
  const pool = await timed(workSpec("BenchThreadWork", 8, iterations, 2));
  // The event-loop run is sequential: its wall time is the nodes' total CPU time.
  const ideal = loop.ms / cores;
  section.heading(`8 CPU-bound nodes of ~${NODE_MS} ms, ${cores} cores`);
  section.text(
    "The same fixed work (integer hashing, calibrated to ~250 ms) as 8 independent nodes, once on the event " +
      "loop (its wall time is their total CPU time) and once as `thread: true` nodes. Ideal: total CPU / cores.",
  );
  section.table(
    ["run", "wall ms", "× (total CPU / cores)", "threads used"],
    [
      ["event loop", loop.ms.toFixed(0), (loop.ms / ideal).toFixed(2), "main"],
      ["thread: true", pool.ms.toFixed(0), (pool.ms / ideal).toFixed(2), String(pool.threads.size)],
    ],
  );
  section.goal(
    `8 CPU-bound nodes finish in ≤ ${GOAL_CPU_RATIO}× (total CPU / cores)`,
    pool.ms / ideal <= GOAL_CPU_RATIO,
    `${(pool.ms / ideal).toFixed(2)}× (event loop: ${(loop.ms / ideal).toFixed(2)}×)`,
  );

  progress("threads: trivial nodes");
  const n = 2000;
  const trivialLoop = await timed(workSpec("BenchLoopWork", n, 0, 3));
  const trivialPool = await timed(workSpec("BenchThreadWork", n, 0, 4));
  const overhead = (trivialPool.ms - trivialLoop.ms) / n;
  const chain: GraphSpec = {};
  for (let i = 0; i < 200; i++) {
    chain[`c${i}`] = {
      node: "BenchThreadWork",
      arguments: { iterations: 0, id: 5000 + i },
      inputs: i ? { x: `\${c${i - 1}.value}` } : {},
    };
  }
  const chained = await timed(chain);
  section.heading("Per-node overhead of a trivial thread node");
  section.text(
    `${n} independent trivial nodes on the event loop and as \`thread: true\` nodes (unlimited concurrency); ` +
      "the overhead is the difference in wall time per node. A chain of 200 trivial thread nodes gives the " +
      "round-trip latency of one node (each waits for the previous).",
  );
  section.table(
    ["run", "wall ms", "ms per node"],
    [
      [`${n} on the event loop`, trivialLoop.ms.toFixed(0), (trivialLoop.ms / n).toFixed(3)],
      [`${n} thread: true`, trivialPool.ms.toFixed(0), (trivialPool.ms / n).toFixed(3)],
      ["chain of 200 thread: true", chained.ms.toFixed(0), (chained.ms / 200).toFixed(3)],
    ],
  );
  section.goal(
    `per-node overhead of a trivial thread node ≤ ${GOAL_OVERHEAD_MS} ms`,
    overhead <= GOAL_OVERHEAD_MS,
    `${overhead.toFixed(3)} ms`,
  );

  progress("threads: stuck node");
  const limit = 200;
  const lates: number[] = [];
  for (let i = 0; i < 3; i++) {
    // Every thread started (the one a stuck node took is replaced): the limit counts from the try's start in
    // its thread, and a thread still starting up would add its start-up time to this measurement.
    await warmUp(cores, 7 + i);
    let startedAt = 0;
    const onEvent = (e: ExecutionEvent) => {
      if (e.type === "node:start") startedAt = performance.now();
    };
    const error = await execute(buildGraph({ stuck: { node: "BenchThreadStuck", inputs: {} } }), {
      timeoutMs: limit,
      onEvent,
    }).catch((e: unknown) => e);
    const late = performance.now() - startedAt - limit;
    if (!(error instanceof NodeTimeoutError))
      throw new Error(`expected a NodeTimeoutError, got ${String(error)}`);
    lates.push(late);
  }
  const recoverStart = performance.now();
  await timed(workSpec("BenchThreadWork", cores, 0, 6));
  const recovery = performance.now() - recoverStart;
  const worst = Math.max(...lates);
  section.heading("A stuck node's timeout");
  section.text(
    `A \`thread: true\` node in \`for (;;) {}\` with a ${limit} ms limit, 3 times: how long after the limit the ` +
      `run rejected with NodeTimeoutError (from the node's start). Its thread is terminated and replaced; ` +
      `${cores} trivial nodes ran ${recovery.toFixed(0)} ms later.`,
  );
  section.table(
    ["try", "late by ms"],
    lates.map((l, i) => [String(i + 1), l.toFixed(1)]),
  );
  section.goal(
    `a stuck node's timeout fires within ${GOAL_TIMEOUT_MS} ms of its limit`,
    worst <= GOAL_TIMEOUT_MS,
    `worst ${worst.toFixed(1)} ms late`,
  );
}
