// Distributed: nodes on `moirae worker` processes through BullMQ (moirae/bullmq), against raw BullMQ on the same
// Redis in the same run: the round trip of one job, the throughput of 3,000 no-op jobs on one worker process, a
// 300-node chain, a 3,000-node wide graph, and 16 CPU-bound nodes on one and on two worker processes.
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import * as path from "node:path";
import { Queue, QueueEvents } from "bullmq";
import { Redis } from "ioredis";
import { container as rootContainer } from "tsyringe";
import { QueueDispatcher } from "../src/bullmq/index";
import { buildGraph, execute, type Graph, type GraphSpec, NodeDispatcher } from "../src/index";
import { probeRedis, REDIS_HOST, REDIS_PORT, REDIS_URL } from "../test/fixtures/live-redis";
import "./distributed-nodes";
import { progress, type Section } from "./report";

const REDIS = { host: REDIS_HOST, port: REDIS_PORT };
const ROOT = path.resolve(__dirname, "..", "..");
const CLI = path.join(ROOT, "dist-test", "src", "cli", "main.js");
const NODES = path.join(__dirname, "distributed-nodes.js");
const RAW_WORKER = path.join(__dirname, "raw-bullmq-worker.js");
/** Jobs one worker process runs at once in the round-trip and throughput cases (raw and moirae alike). */
const CONCURRENCY = 16;
const CHAIN = 300;
const WIDE = 3000;
const SPIN_NODES = 16;
const SPIN_MS = 200;
const REPEATS = 3;

/** Goals of issue 10. */
const GOAL_CHAIN_RATIO = 1.3;
const GOAL_WIDE_RATIO = 0.7;
const GOAL_SPEEDUP = 1.8;

export async function distributed(section: Section): Promise<void> {
  const { client: probe, problem } = await probeRedis();
  if (!probe) {
    section.text(`_Skipped: ${problem}._`);
    return;
  }
  probe.disconnect();
  const base = `moirae-bench-${process.pid}-${randomBytes(3).toString("hex")}`;
  const queues = [`${base}-raw`, `${base}-moirae`, `${base}-cpu`];
  const children: ChildProcess[] = [];
  const dispatchers: QueueDispatcher[] = [];
  try {
    progress("  distributed: starting worker processes");
    const [raw] = await Promise.all([
      start(children, [RAW_WORKER, queues[0]!, String(CONCURRENCY)], "ready"),
      start(children, worker(queues[1]!, CONCURRENCY), '"type":"ready"'),
      start(children, worker(queues[2]!, 1), '"type":"ready"'),
    ]);
    void raw;
    const floor = await RawFloor.open(queues[0]!);
    const moirae = on(queues[1]!, dispatchers);
    const chain = buildGraph(chainSpec(CHAIN));
    const wide = buildGraph(wideSpec(WIDE));

    progress("  distributed: warming up");
    await floor.roundTrip(20);
    await execute(buildGraph(chainSpec(20)), { container: moirae });

    const rt: number[] = [];
    const perNode: number[] = [];
    const rawRate: number[] = [];
    const wideRate: number[] = [];
    for (let k = 0; k < REPEATS; k++) {
      progress(`  distributed: round trip and chain (${k + 1}/${REPEATS})`);
      rt.push(await floor.roundTrip(CHAIN));
      perNode.push((await timed(chain, moirae)) / CHAIN);
      progress(`  distributed: throughput and wide graph (${k + 1}/${REPEATS})`);
      rawRate.push(await floor.throughput(WIDE));
      wideRate.push(WIDE / ((await timed(wide, moirae)) / 1000));
    }
    await floor.close();

    progress("  distributed: CPU-bound nodes on one, then two worker processes");
    const cpu = on(queues[2]!, dispatchers);
    const spin = buildGraph(spinSpec(SPIN_NODES));
    const one = await timed(spin, cpu);
    await start(children, worker(queues[2]!, 1), '"type":"ready"');
    const two = await timed(spin, cpu);

    const rtMs = median(rt);
    const nodeMs = median(perNode);
    const raw3k = median(rawRate);
    const wide3k = median(wideRate);
    section.text(
      `Raw BullMQ ${"\u2014"} a plain \`Worker\` process whose processor does nothing ${"\u2014"} is the floor, ` +
        "measured on the same Redis in the same run. Round trip: one job added, its `completed` event received " +
        `(\`QueueEvents\`), one after the other; throughput: ${WIDE.toLocaleString("en-US")} jobs added at once ` +
        `(\`addBulk\`), one worker process running ${CONCURRENCY} at a time. moirae runs the same no-op on a ` +
        `\`moirae worker --concurrency ${CONCURRENCY}\` process through a \`QueueDispatcher\` (no cache). Medians ` +
        `of ${REPEATS} alternating runs; the CPU-bound case runs ${SPIN_NODES} nodes of ~${SPIN_MS} ms each on ` +
        "`moirae worker --concurrency 1` processes.",
    );
    section.table(
      ["case", "raw BullMQ", "moirae", "moirae / raw"],
      [
        [
          `${CHAIN}-node chain: ms per node (raw: per round trip)`,
          rtMs.toFixed(2),
          nodeMs.toFixed(2),
          `${(nodeMs / rtMs).toFixed(2)}×`,
        ],
        [
          `${WIDE.toLocaleString("en-US")} independent nodes: jobs per second`,
          raw3k.toFixed(0),
          wide3k.toFixed(0),
          `${(wide3k / raw3k).toFixed(2)}×`,
        ],
      ],
    );
    section.table(
      [`${SPIN_NODES} CPU-bound nodes`, "wall"],
      [
        ["1 worker process", `${(one / 1000).toFixed(2)} s`],
        ["2 worker processes", `${(two / 1000).toFixed(2)} s`],
      ],
    );
    section.goal(
      `${CHAIN}-node chain on one worker ≤ ${GOAL_CHAIN_RATIO}× the raw round trip per node`,
      nodeMs <= GOAL_CHAIN_RATIO * rtMs,
      `${nodeMs.toFixed(2)} ms per node vs ${rtMs.toFixed(2)} ms (${(nodeMs / rtMs).toFixed(2)}×)`,
    );
    section.goal(
      `${WIDE.toLocaleString("en-US")}-node wide graph ≥ ${GOAL_WIDE_RATIO}× raw BullMQ throughput`,
      wide3k >= GOAL_WIDE_RATIO * raw3k,
      `${wide3k.toFixed(0)} vs ${raw3k.toFixed(0)} jobs/s (${(wide3k / raw3k).toFixed(2)}×)`,
    );
    section.goal(
      `${SPIN_NODES} CPU-bound nodes on 2 worker processes ≥ ${GOAL_SPEEDUP}× faster than on 1`,
      one / two >= GOAL_SPEEDUP,
      `${(one / 1000).toFixed(2)} s vs ${(two / 1000).toFixed(2)} s (${(one / two).toFixed(2)}×)`,
    );
  } finally {
    await Promise.all(dispatchers.map((d) => d.close()));
    await Promise.all(children.map(stop));
    await Promise.all(queues.map(obliterate));
  }
}

/** The raw BullMQ floor: a queue, its events, and a worker process (started by the caller). */
class RawFloor {
  private sequence = 0;

  private constructor(
    private readonly queue: Queue,
    private readonly events: QueueEvents,
  ) {}

  static async open(name: string): Promise<RawFloor> {
    const queue = new Queue(name, { connection: REDIS });
    // Read the events from the stream's current end: a QueueEvents that starts at "$" misses the events written
    // before its first blocking read, and a round trip would wait forever for its `completed`.
    const client = new Redis(REDIS);
    const last = (await client.xrevrange(queue.toKey("events"), "+", "-", "COUNT", 1)) as [string, unknown][];
    client.disconnect();
    const events = new QueueEvents(name, { connection: REDIS, lastEventId: last[0]?.[0] ?? "0-0" });
    await Promise.all([queue.waitUntilReady(), events.waitUntilReady()]);
    return new RawFloor(queue, events);
  }

  /** Mean ms from `add` to the job's `completed` event, one job at a time. */
  async roundTrip(jobs: number): Promise<number> {
    const start = performance.now();
    for (let i = 0; i < jobs; i++) {
      const id = `rt-${++this.sequence}`;
      const done = new Promise((resolve) => this.events.once(`completed:${id}` as "completed", resolve));
      await this.queue.add("noop", { x: i }, { jobId: id, removeOnComplete: true, removeOnFail: true });
      await done;
    }
    return (performance.now() - start) / jobs;
  }

  /** Jobs per second: `jobs` added at once, until the last `completed` event. */
  async throughput(jobs: number): Promise<number> {
    let completed = 0;
    const all = new Promise<void>((resolve) => {
      const onCompleted = () => {
        if (++completed < jobs) return;
        this.events.off("completed", onCompleted);
        resolve();
      };
      this.events.on("completed", onCompleted);
    });
    const start = performance.now();
    await this.queue.addBulk(
      Array.from({ length: jobs }, (_, x) => ({
        name: "noop",
        data: { x },
        opts: { removeOnComplete: true, removeOnFail: true },
      })),
    );
    await all;
    return jobs / ((performance.now() - start) / 1000);
  }

  async close(): Promise<void> {
    await Promise.all([this.events.close(), this.queue.close()]);
  }
}

function chainSpec(size: number): GraphSpec {
  const spec: GraphSpec = { n0: { node: "DistBenchNoop", inputs: { x: 0 } } };
  for (let i = 1; i < size; i++) spec[`n${i}`] = { node: "DistBenchNoop", inputs: { x: `\${n${i - 1}.o}` } };
  return spec;
}

function wideSpec(size: number): GraphSpec {
  const spec: GraphSpec = {};
  for (let i = 0; i < size; i++) spec[`w${i}`] = { node: "DistBenchNoop", inputs: { x: i } };
  return spec;
}

function spinSpec(size: number): GraphSpec {
  const spec: GraphSpec = {};
  for (let i = 0; i < size; i++)
    spec[`s${i}`] = { node: "DistBenchSpin", arguments: { ms: SPIN_MS }, inputs: { x: i } };
  return spec;
}

/** A container whose runs send their nodes to `queue`. */
function on(queue: string, dispatchers: QueueDispatcher[]) {
  const dispatcher = new QueueDispatcher({ connection: REDIS_URL, queue });
  dispatchers.push(dispatcher);
  const container = rootContainer.createChildContainer();
  container.register(NodeDispatcher, { useValue: dispatcher });
  return container;
}

async function timed(graph: Graph, container: ReturnType<typeof on>): Promise<number> {
  const start = performance.now();
  await execute(graph, { container });
  return performance.now() - start;
}

function worker(queue: string, concurrency: number): string[] {
  return [CLI, "worker", "--redis", REDIS_URL, "--queue", queue, "--concurrency", String(concurrency)].concat(
    ["--require", NODES, "--json"],
  );
}

/** Spawns `node …args` and waits until its standard output contains `ready`. */
function start(children: ChildProcess[], args: string[], ready: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ["ignore", "pipe", "inherit"] });
  children.push(child);
  return new Promise((resolve, reject) => {
    let out = "";
    const onData = (chunk: string) => {
      out += chunk;
      if (!out.includes(ready)) return;
      child.stdout!.off("data", onData).resume(); // the rest is drained unread
      resolve(child);
    };
    child.stdout!.setEncoding("utf8").on("data", onData);
    child.on("exit", (code) =>
      reject(new Error(`${path.basename(args[0]!)} exited with ${code} before it was ready`)),
    );
  });
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.on("exit", () => resolve());
    child.kill("SIGKILL");
  });
}

async function obliterate(name: string): Promise<void> {
  const queue = new Queue(name, { connection: REDIS });
  try {
    await queue.obliterate({ force: true });
  } catch {
    // best effort
  } finally {
    await queue.close();
  }
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}
