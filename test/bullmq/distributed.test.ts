import "reflect-metadata";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import { type Job, Queue } from "bullmq";
import type { Redis } from "ioredis";
import { container as rootContainer } from "tsyringe";
import { NodeWorker, QueueDispatcher } from "../../src/bullmq/index";
import {
  buildGraph,
  type ExecuteOptions,
  ExecutionAbortedError,
  type ExecutionEvent,
  execute,
  executeStream,
  Node,
  NodeDispatcher,
  NodeExecutionError,
  type NodeResult,
  NodeTimeoutError,
} from "../../src/index";
import "../fixtures/remote-nodes";
import "./fixtures/nodes";
import { O, X } from "../fixtures/data-classes";
import { connectLiveRedis, deleteKeys, REDIS_URL, uniqueName } from "../fixtures/live-redis";
import { CLI, eventually, obliterate, ROOT, runCli, WorkerProcess } from "./worker-harness";

// The coordinator's side of DistSkewed: version 2 (workers of the "odd" queue run version 1).
@Node({ input: X, output: O, name: "DistSkewed", version: 2 })
class DistSkewed {
  execute(input: X): O {
    return { o: input.x };
  }
}
void DistSkewed;

const FIXTURES = path.join(__dirname, "fixtures");
const NODES = path.join(FIXTURES, "nodes.js");
const RICH = path.join(__dirname, "..", "fixtures", "remote-nodes.js");
/**
 * A short lock, so that the node of a killed worker is taken again within a few seconds. Only the worker the
 * SIGKILL test kills has it: a worker whose event loop a busy machine holds up for longer (encoding a 50 MB
 * output) would lose its lock and see its node taken away.
 */
const SHORT_LOCK = ["--lock-duration", "2000"];

describe("moirae/bullmq: nodes on `moirae worker` processes (real Redis)", () => {
  let admin: Redis | undefined;
  let unavailable = "";
  const main = uniqueName("main");
  const odd = uniqueName("odd");
  const grace = uniqueName("grace");
  const killed = uniqueName("killed");
  const single = uniqueName("single");
  const queues = [main, odd, grace, killed, single];
  const workers: WorkerProcess[] = [];
  const dispatchers: QueueDispatcher[] = [];
  let dir = "";

  /** A container whose runs send their nodes to `queue`. */
  function on(queue: string, options: { waitNoticeMs?: number } = {}) {
    const dispatcher = new QueueDispatcher({ connection: REDIS_URL, queue, ...options });
    dispatchers.push(dispatcher);
    const container = rootContainer.createChildContainer();
    container.register(NodeDispatcher, { useValue: dispatcher });
    return container;
  }

  async function results(spec: Parameters<typeof buildGraph>[0], options: ExecuteOptions) {
    const all: Record<string, NodeResult> = {};
    for await (const result of executeStream(buildGraph(spec), options)) all[result.node] = result;
    return all;
  }

  const marker = (name: string) => path.join(dir, name);
  /** A marker file's content; undefined while it is missing or still empty. */
  const read = (name: string) =>
    fs.existsSync(marker(name)) ? fs.readFileSync(marker(name), "utf8") || undefined : undefined;

  before(async () => {
    ({ admin, unavailable } = await connectLiveRedis("the BullMQ worker tests"));
    if (!admin) return;
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "moirae-dist-"));
    const started = await Promise.all([
      WorkerProcess.start(main, ["--require", NODES, RICH, "--concurrency", "2"]),
      WorkerProcess.start(main, ["--require", NODES, RICH, "--concurrency", "2"]),
      WorkerProcess.start(odd, ["--require", path.join(FIXTURES, "skew-v1.js")]),
      WorkerProcess.start(grace, ["--require", NODES]),
      WorkerProcess.start(killed, ["--require", NODES, ...SHORT_LOCK]),
      WorkerProcess.start(single, ["--require", NODES]),
    ]);
    workers.push(...started);
  });

  after(async () => {
    await Promise.all(dispatchers.map((d) => d.close()));
    await Promise.all(workers.map((w) => w.stop("SIGKILL")));
    if (admin) {
      await Promise.all(queues.map(obliterate));
      await deleteKeys(admin, `${main}:cache:`); // the Redis cache of the killed-coordinator test
      admin.disconnect();
    }
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it("runs a graph on workers with the outputs of an in-process run (rich values, a 50 MB output)", async (t) => {
    if (!admin) return t.skip(unavailable);
    const spec = {
      rich: {
        node: "RemoteRich",
        arguments: { label: "far" },
        inputs: {
          at: new Date(Date.UTC(2024, 1, 29, 12, 30, 45, 123)),
          counts: new Map([["a", 1]]),
          tags: new Set(["x"]),
          big: 2n ** 70n,
          samples: new Float64Array([1.5, Number.NaN, -Infinity]),
          bytes: new Uint8Array([0, 1, 255]),
          origin: { x: 3, y: 4 },
          path: [{ x: 6, y: 8 }],
        },
      },
      big: { node: "DistBig", arguments: { mb: 50 }, inputs: { x: 1 } },
      a: { node: "DistCounted", arguments: { dir }, inputs: { x: 2 } },
      b: { node: "DistCounted", arguments: { dir }, inputs: { x: "${a.o}" } },
    };
    const local = await execute(buildGraph(spec));
    const remote = await results(spec, { container: on(main) });
    const { big: localBig, ...localRest } = local as Record<string, { bytes?: Uint8Array }>;
    const remoteOutputs = Object.fromEntries(Object.entries(remote).map(([name, r]) => [name, r.output]));
    const { big: remoteBig, ...remoteRest } = remoteOutputs as Record<string, { bytes?: Uint8Array }>;
    assert.deepStrictEqual(remoteRest, localRest);
    assert.equal(remoteBig!.bytes!.length, 50 * 2 ** 20);
    assert.ok(
      Buffer.from(remoteBig!.bytes!).equals(Buffer.from(localBig!.bytes!)),
      "the 50 MB output is intact",
    );
    const ids = workers.slice(0, 2).map((w) => w.id);
    for (const result of Object.values(remote)) {
      assert.equal(result.status, "done");
      assert.ok(ids.includes(result.worker!), `ran on a worker, not ${result.worker}`);
    }
  });

  it("fails a node with the worker's error; retries are new jobs", async (t) => {
    if (!admin) return t.skip(unavailable);
    const container = on(main);
    const failing = buildGraph({
      f: { node: "DistFlaky", arguments: { dir, failures: 5 }, inputs: { x: 1 } },
    });
    const error = await execute(failing, { container, retries: 1 }).then(
      () => assert.fail("the run should fail"),
      (e: unknown) => e,
    );
    assert.ok(error instanceof NodeExecutionError);
    assert.equal(error.node, "f");
    assert.equal(error.attempts, 2);
    assert.ok(error.cause instanceof RangeError, "the node's own error class crosses");
    assert.match(error.cause.message, /x=1 is out of range \(try 2\)/);
    assert.equal((error.cause as RangeError & { limit: number }).limit, 7);

    const flaky = buildGraph({ g: { node: "DistFlaky", arguments: { dir, failures: 1 }, inputs: { x: 2 } } });
    assert.deepEqual({ ...(await execute(flaky, { container, retries: 1 })).g }, { o: 6 });
  });

  it("aborting a run rejects it and fires the node's ctx.signal on the worker", async (t) => {
    if (!admin) return t.skip(unavailable);
    const controller = new AbortController();
    const graph = buildGraph({
      slow: { node: "DistSleepy", arguments: { dir, ms: 60_000 }, inputs: { x: 1 } },
    });
    const run = execute(graph, { container: on(main), signal: controller.signal });
    run.catch(() => {});
    await eventually("the node to start", () => read("slow.started"));
    controller.abort(new Error("enough"));
    await assert.rejects(run, ExecutionAbortedError);
    const pid = await eventually("the worker to see the abort", () => read("slow.aborted"));
    assert.ok(workers.some((w) => String(w.pid) === pid));
  });

  it("a cancelled node that ignores ctx.signal still ends its job at once: the worker is free for the next", async (t) => {
    if (!admin) return t.skip(unavailable);
    const worker = workers[5]!; // the "single" queue's worker, concurrency 1
    const controller = new AbortController();
    const graph = buildGraph({ deaf: { node: "DistDeaf", arguments: { dir, ms: 8000 }, inputs: { x: 1 } } });
    const run = execute(graph, { container: on(single), signal: controller.signal });
    run.catch(() => {});
    await eventually("the node to start", () => read("deaf.started"));
    controller.abort(new Error("enough"));
    await assert.rejects(run, ExecutionAbortedError);
    const line = await worker.waitFor((l) => l.type === "task" && l.node === "deaf");
    assert.equal(line.status, "cancelled");
    assert.match(String((line.error as { message?: string })?.message), /stopped waiting for it/);
    // its one slot takes the next job while the deaf node's code still runs
    const next = await execute(
      buildGraph({ n: { node: "DistCounted", arguments: { dir }, inputs: { x: 4 } } }),
      {
        container: on(single),
      },
    );
    assert.deepEqual({ ...next.n }, { o: 8 });
    assert.equal(read("deaf.done"), undefined, "the deaf node was still running");
  });

  it("puts a task in its job as JSON when its values survive JSON, else as msgpack in base64", async (t) => {
    if (!admin) return t.skip(unavailable);
    const idle = uniqueName("idle");
    queues.push(idle);
    const controller = new AbortController();
    const graph = buildGraph({
      plain: { node: "DistCounted", arguments: { dir }, inputs: { x: 1.5 } },
      rich: {
        node: "RemoteRich",
        arguments: { label: "far" },
        inputs: {
          at: new Date(0),
          counts: new Map([["a", 1]]),
          tags: new Set(["x"]),
          big: 1n,
          samples: new Float64Array([1.5]),
          bytes: new Uint8Array([1]),
          origin: { x: 3, y: 4 },
          path: [],
        },
      },
    });
    const run = execute(graph, { container: on(idle), signal: controller.signal });
    run.catch(() => {});
    const queue = new Queue(idle, { connection: { host: "127.0.0.1", port: 6379 } });
    try {
      let jobs: Job[] = [];
      for (let tries = 0; jobs.length < 2 && tries < 200; tries++) {
        await new Promise((resolve) => setTimeout(resolve, 25));
        jobs = await queue.getJobs(["waiting"]);
      }
      const byNode = Object.fromEntries(jobs.map((job) => [job.data.node, job.data]));
      // readable as it is in a dashboard: the task's fields and input
      const [magic, header, input] = byNode.plain.message;
      assert.equal(magic, "moirae.task/1");
      assert.equal(header.name, "plain");
      assert.deepEqual(input, [{ x: 1.5 }, []]);
      assert.equal(byNode.plain.task, undefined);
      // a Date, a Map, a bigint, typed arrays: msgpack bytes
      assert.equal(byNode.rich.message, undefined);
      assert.match(byNode.rich.task, /^[A-Za-z0-9+/]+=*$/);
    } finally {
      controller.abort();
      await queue.close();
    }
  });

  it("refuses a node whose class differs on the worker (version skew), without retrying", async (t) => {
    if (!admin) return t.skip(unavailable);
    const graph = buildGraph({ s: { node: "DistSkewed", inputs: { x: 1 } } });
    const error = await execute(graph, { container: on(odd), retries: 3 }).then(
      () => assert.fail("the run should fail"),
      (e: unknown) => e,
    );
    assert.ok(error instanceof NodeExecutionError);
    assert.equal(error.attempts, 1);
    assert.match(error.message, /DistSkewed/);
    assert.match(error.message, new RegExp(workers[2]!.id));
    assert.match(error.message, /another version/);
    // the worker prints its lines in batches: the line may come a moment after the run failed
    await workers[2]!.waitFor(
      (line) => line.type === "task" && line.node === "s" && line.status === "refused",
    );
  });

  it("refuses a node whose module the worker was not started with", async (t) => {
    if (!admin) return t.skip(unavailable);
    const graph = buildGraph({ c: { node: "DistCounted", arguments: { dir }, inputs: { x: 1 } } });
    const error = await execute(graph, { container: on(odd) }).then(
      () => assert.fail("the run should fail"),
      (e: unknown) => e,
    );
    assert.ok(error instanceof NodeExecutionError);
    assert.match(error.message, /DistCounted/);
    assert.match(error.message, new RegExp(workers[2]!.id));
    assert.match(error.message, /--require .*nodes\.js/);
    assert.equal(read("c.runs"), undefined, "nothing ran");
  });

  it("keeps two concurrent runs of two coordinators on one queue apart", async (t) => {
    if (!admin) return t.skip(unavailable);
    const graphOf = (x: number) =>
      buildGraph({
        p: { node: "DistCounted", arguments: { dir: path.join(dir, "runs") }, inputs: { x } },
        q: {
          node: "DistFlaky",
          arguments: { dir: path.join(dir, "runs"), failures: 0 },
          inputs: { x: "${p.o}" },
        },
      });
    fs.mkdirSync(path.join(dir, "runs"));
    const runs = await Promise.all(
      [1, 2, 3, 4].map((x) => execute(graphOf(x), { container: on(main) }).then((o) => ({ ...o.q }))),
    );
    assert.deepEqual(runs, [{ o: 6 }, { o: 12 }, { o: 18 }, { o: 24 }]);
  });

  it("says so in an event when no worker consumes the queue, and times out nodes with a limit", async (t) => {
    if (!admin) return t.skip(unavailable);
    const empty = uniqueName("empty");
    queues.push(empty);
    const events: ExecutionEvent[] = [];
    const graph = buildGraph({ a: { node: "DistCounted", arguments: { dir }, inputs: { x: 1 } } });
    const error = await execute(graph, {
      container: on(empty, { waitNoticeMs: 100 }),
      timeoutMs: 1200,
      onEvent: (event) => events.push(event),
    }).then(
      () => assert.fail("the run should fail"),
      (e: unknown) => e,
    );
    assert.ok(error instanceof NodeTimeoutError, String(error));
    const waiting = events.find((e) => e.type === "node:waiting");
    assert.equal(waiting?.node, "a");
    assert.match(waiting!.message!, new RegExp(`no worker consumes BullMQ queue "${empty}"`));
  });

  it("a killed coordinator loses nothing: the rerun re-executes no node that had completed", async (t) => {
    if (!admin) return t.skip(unavailable);
    const spec = path.join(dir, "coordinator.json");
    const work = path.join(dir, "coordinator");
    fs.mkdirSync(work);
    fs.writeFileSync(
      spec,
      JSON.stringify({
        a: { node: "DistCounted", arguments: { dir: work }, inputs: { x: 5 } },
        b: { node: "DistSleepy", arguments: { dir: work, ms: 400 }, inputs: { x: "${a.o}" } },
      }),
    );
    const args = [
      CLI,
      "run",
      spec,
      "--require",
      NODES,
      "--redis",
      REDIS_URL,
      "--redis-prefix",
      `${main}:cache:`,
    ];
    args.push("--queue", main, "--json", "--cache-dir", path.join(dir, "coordinator-record"));
    const first = spawn(process.execPath, args, { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
    let printed = "";
    first.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      printed += chunk;
    });
    await eventually("a to complete and b to start", () =>
      /"type":"result","node":"a","status":"done"/.test(printed) && read("coordinator/b.started")
        ? true
        : undefined,
    );
    first.kill("SIGKILL");
    await new Promise((resolve) => first.on("exit", resolve));
    assert.doesNotMatch(printed, /"type":"result","node":"b"/, "b had not completed");

    const second = await runCli(args);
    assert.equal(second.code, 0, second.stderr);
    const statuses = Object.fromEntries(
      second.stdout
        .trim()
        .split("\n")
        .map((line) => JSON.parse(line))
        .filter((line) => line.type === "result")
        .map((line) => [line.node, [line.status, line.output]]),
    );
    assert.deepEqual(statuses, { a: ["cached", { o: 10 }], b: ["done", { o: 11 }] });
    assert.equal(read("coordinator/a.runs")?.trim().split("\n").length, 1, "a ran once");
  });

  it("a worker stopped with SIGTERM finishes its active node, takes no new job and exits 0", async (t) => {
    if (!admin) return t.skip(unavailable);
    const worker = workers[3]!;
    const work = path.join(dir, "grace");
    fs.mkdirSync(work);
    const sleepy = (x: number) => ({ node: "DistSleepy", arguments: { dir: work, ms: 400 }, inputs: { x } });
    const running = results({ g1: sleepy(1), g2: sleepy(2) }, { container: on(grace) });
    const first = await eventually("a node to start", () =>
      read("grace/g1.started") ? "g1" : read("grace/g2.started") ? "g2" : undefined,
    );
    const other = first === "g1" ? "g2" : "g1";
    worker.child.kill("SIGTERM");
    assert.equal(await worker.exited, 0);
    assert.ok(read(`grace/${first}.done`), "the active node finished");
    assert.deepEqual(
      worker.tasks.map((task) => [task.node, task.status]),
      [[first, "done"]],
    );
    assert.equal(read(`grace/${other}.started`), undefined, "the stopping worker took no new job");

    const replacement = new NodeWorker({ connection: REDIS_URL, queue: grace });
    try {
      const done = await running;
      assert.deepEqual({ ...done.g1!.output }, { o: 2 });
      assert.deepEqual({ ...done.g2!.output }, { o: 3 });
      assert.equal(done[other]!.worker, replacement.id);
    } finally {
      await replacement.close();
    }
  });

  it("completes a run when the worker running a node is killed (SIGKILL)", async (t) => {
    if (!admin) return t.skip(unavailable);
    const victim = workers[4]!;
    const running = results(
      // 2 s: the victim is killed long before it could finish, however busy the machine
      { k: { node: "DistSleepy", arguments: { dir, ms: 2000 }, inputs: { x: 41 } } },
      { container: on(killed) },
    );
    assert.equal(Number(await eventually("the node to start", () => read("k.started"))), victim.pid);
    // another worker on the queue, which finds the node once the victim's lock has run out
    const rescuer = new NodeWorker({ connection: REDIS_URL, queue: killed, stalledIntervalMs: 1000 });
    try {
      await victim.stop("SIGKILL");
      const { k } = await running;
      assert.deepEqual({ ...k!.output }, { o: 42 });
      assert.equal(k!.worker, rescuer.id, "the other worker took the node again");
    } finally {
      await rescuer.close();
    }
  });
});
