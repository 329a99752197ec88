// Trace context across processes, for real: a `moirae worker` process set up as docs/report.md shows runs a node
// dispatched by this process's QueueDispatcher, and the try runs in this process's trace.
import "reflect-metadata";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { context, trace } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from "@opentelemetry/sdk-trace-base";
import type { Redis } from "ioredis";
import { container as rootContainer } from "tsyringe";
import { QueueDispatcher } from "../../src/bullmq/index";
import { buildGraph, execute, NodeDispatcher } from "../../src/index";
import { obliterate, ROOT, WorkerProcess } from "../bullmq/worker-harness";
import { connectLiveRedis, REDIS_URL, uniqueName } from "../fixtures/live-redis";
import { TracedWorkerNode, type WorkerTrace } from "./fixtures/traced-worker-node";

const SETUP = path.join(__dirname, "fixtures", "worker-tracing.js");
const NODES = path.join(__dirname, "fixtures", "traced-worker-node.js");

/** The code lines of a TypeScript text: no comments, no blank lines, whitespace trimmed. */
function codeLines(text: string): string[] {
  return text
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line !== "" && !line.startsWith("//"));
}

describe("OpenTelemetry tracing across BullMQ workers (real Redis, a real `moirae worker`)", () => {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  const queue = uniqueName("trace");
  let admin: Redis | undefined;
  let unavailable = "";
  let worker: WorkerProcess | undefined;
  let dispatcher: QueueDispatcher | undefined;

  before(async () => {
    ({ admin, unavailable } = await connectLiveRedis("the BullMQ tracing test"));
    if (!admin) return;
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    trace.setGlobalTracerProvider(provider);
    // the worker loads the set-up first, then the node module: the command line docs/report.md shows
    worker = await WorkerProcess.start(queue, ["--require", SETUP, "--require", NODES]);
    dispatcher = new QueueDispatcher({ connection: REDIS_URL, queue });
  });

  after(async () => {
    await dispatcher?.close();
    await worker?.stop("SIGKILL");
    if (admin) {
      await obliterate(queue);
      admin.disconnect();
    }
    trace.disable();
    context.disable();
  });

  it("runs a worker's try in the coordinator's trace: the node span's context, as a remote parent", async (t) => {
    if (!admin) return t.skip(unavailable);
    const child = rootContainer.createChildContainer();
    child.register(NodeDispatcher, { useValue: dispatcher! });
    const graph = buildGraph({
      a: { node: TracedWorkerNode, inputs: { from: "start" } },
      b: { node: TracedWorkerNode, inputs: { from: "${a.from}" } },
    });
    const outputs = (await execute(graph, { container: child })) as Record<string, WorkerTrace>;

    const spans = exporter.getFinishedSpans();
    const runs = spans.filter((s) => s.name === "moirae.run");
    assert.equal(runs.length, 1);
    const run = runs[0]!.spanContext();
    const nodeSpan = (name: string) =>
      spans.find((s) => s.name === "moirae.node" && s.attributes["moirae.node"] === name)!;
    for (const name of ["a", "b"]) {
      const seen = outputs[name]!;
      const node = nodeSpan(name);
      assert.ok(node, `no moirae.node span for ${name}`);
      assert.equal(seen.pid, worker!.pid, `${name} ran in the worker process`);
      assert.equal(node.parentSpanContext?.spanId, run.spanId);
      // inside execute, on the worker: the active span is the coordinator's moirae.node span of this node
      assert.equal(seen.traceId, run.traceId, `${name}'s try ran in the run's trace`);
      assert.equal(seen.spanId, node.spanContext().spanId, `${name}'s try ran in its moirae.node span`);
      // a span the node made on the worker is a child of that moirae.node span, in the same trace
      assert.equal(seen.childTraceId, run.traceId);
      assert.equal(seen.childParentSpanId, node.spanContext().spanId);
    }
    // and the worker's own exporter (the docs' console exporter) wrote those spans, in the run's trace
    const printed = worker!.lines
      .filter((line) => line.type === "text")
      .map((line) => String(line.text))
      .join("\n");
    assert.match(printed, /name: 'worker span'/);
    assert.ok(printed.includes(`traceId: '${run.traceId}'`), `the worker printed:\n${printed}`);
  });

  it("docs/report.md shows the set-up this worker ran, line for line", () => {
    const page = readFileSync(path.join(ROOT, "docs", "report.md"), "utf8");
    const at = page.indexOf("In a `moirae worker` process");
    assert.ok(at >= 0, 'docs/report.md has no "In a `moirae worker` process"');
    const block = /```ts\n([\s\S]*?)```/.exec(page.slice(at));
    assert.ok(block, "no ts block after it");
    const fixture = readFileSync(path.join(ROOT, "test", "tracing", "fixtures", "worker-tracing.ts"), "utf8");
    assert.deepEqual(codeLines(block[1]!), codeLines(fixture));
    const command = /```sh\n([\s\S]*?)```/.exec(page.slice(at));
    assert.match(command?.[1] ?? "", /moirae worker .*--require \S*tracing\.js --require \S*nodes\.js/);
  });
});
