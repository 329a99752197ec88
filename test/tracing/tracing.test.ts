// OpenTelemetry spans of runs, collected with the SDK's in-memory exporter; and nothing loaded without it.
import "reflect-metadata";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import path from "node:path";
import { afterEach, before, describe, it } from "node:test";
import { context, ROOT_CONTEXT, SpanStatusCode, trace } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
} from "@opentelemetry/sdk-trace-base";
import { IsNumber } from "class-validator";
import { container } from "tsyringe";
import {
  buildGraph,
  execute,
  MemoryCacheProvider,
  Node,
  NodeDispatcher,
  type NodeTask,
  Output,
  ThreadPool,
} from "../../src/index";
import { getMetadataStore } from "../../src/metadata/metadata-store";
import { encodeTask } from "../../src/remote/remote-task";
import { runRemoteTask } from "../../src/remote/run-remote-task";
import { decodeResult } from "../../src/remote/task-result";
import { withTaskTrace } from "../../src/tracing/tracing-hook";
import { NoInput } from "../fixtures/data-classes";
import { TracedThreadNode, type TraceSeen } from "../fixtures/traced-thread-node";
import { pipeline } from "../report/report-fixtures";

const exporter = new InMemorySpanExporter();

@Output()
class Seen {
  @IsNumber() spans!: number;
}

/** Makes a span of its own inside `execute`: it must be a child of the node's span. */
@Node({ input: NoInput, output: Seen })
class MakesSpan {
  async execute(): Promise<Seen> {
    trace.getTracer("user-code").startSpan("inside the node").end();
    return { spans: 1 };
  }
}

const spans = (name?: string) => exporter.getFinishedSpans().filter((s) => !name || s.name === name);
const nodeSpan = (node: string) => spans("moirae.node").find((s) => s.attributes["moirae.node"] === node)!;

describe("OpenTelemetry tracing", () => {
  before(() => {
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    trace.setGlobalTracerProvider(
      new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }),
    );
  });
  afterEach(() => exporter.reset());

  it("makes a run a moirae.run span with one moirae.node child per node, with their attributes", async () => {
    const graph = pipeline();
    await execute(graph, { retries: 1 });
    const [run, ...others] = spans("moirae.run");
    assert.ok(run);
    assert.equal(others.length, 0);
    assert.equal(run.attributes["moirae.status"], "ok");
    const nodes = spans("moirae.node");
    assert.equal(nodes.length, 8);
    for (const span of nodes) {
      assert.equal(span.parentSpanContext?.spanId, run.spanContext().spanId);
      assert.equal(span.spanContext().traceId, run.spanContext().traceId);
      const name = span.attributes["moirae.node"] as string;
      assert.equal(span.attributes["moirae.hash"], graph.hashOf(name));
      assert.equal(span.attributes["moirae.status"], "done");
      assert.equal(span.attributes["moirae.cache"], "off");
      assert.equal(span.status.code, SpanStatusCode.UNSET);
    }
    assert.equal(nodeSpan("load").attributes["moirae.node_class"], "Work");
    assert.equal(nodeSpan("evil").attributes["moirae.node_class"], "<img src=x onerror=alert(1)>");
    // parse fails its first try: two attempts and a retry event
    const parse = nodeSpan("parse");
    assert.equal(parse.attributes["moirae.attempts"], 2);
    const retries = parse.events.filter((e) => e.name === "moirae.retry");
    assert.equal(retries.length, 1);
    assert.equal(retries[0]!.attributes?.["moirae.attempt"], 2);
    assert.match(String(retries[0]!.attributes?.["exception.message"]), /flaky parser/);
    assert.equal(nodeSpan("load").attributes["moirae.attempts"], 1);
    // a node span lasts from its start to its end: it covers train's 90 ms of work (a lower bound, load-proof)
    assert.ok(duration(nodeSpan("train")) >= 80, `train's span lasted ${duration(nodeSpan("train"))} ms`);
  });

  it("marks a failed node ERROR with its exception, its skipped dependent, and the run", async () => {
    await assert.rejects(execute(pipeline({ failTrain: true }), { retries: 1, onError: "continue" }));
    const train = nodeSpan("train");
    assert.equal(train.status.code, SpanStatusCode.ERROR);
    assert.match(train.status.message ?? "", /model diverged/);
    assert.equal(train.attributes["moirae.status"], "failed");
    assert.equal(train.attributes["moirae.attempts"], 2);
    const exception = train.events.find((e) => e.name === "exception");
    assert.match(String(exception?.attributes?.["exception.message"]), /model diverged/);
    assert.equal(nodeSpan("report").attributes["moirae.status"], "skipped");
    const [run] = spans("moirae.run");
    assert.equal(run!.status.code, SpanStatusCode.ERROR);
    assert.equal(run!.attributes["moirae.status"], "failed");
  });

  it("gives cache hits short spans with moirae.cache = hit, and misses moirae.cache = miss", async () => {
    const cache = new MemoryCacheProvider();
    await execute(pipeline(), { cache, retries: 1 });
    assert.ok(spans("moirae.node").every((s) => s.attributes["moirae.cache"] === "miss"));
    exporter.reset();
    await execute(pipeline(), { cache });
    const nodes = spans("moirae.node");
    assert.equal(nodes.length, 8);
    for (const span of nodes) {
      assert.equal(span.attributes["moirae.cache"], "hit");
      assert.equal(span.attributes["moirae.status"], "cached");
      assert.equal(span.attributes["moirae.attempts"], 0);
    }
  });

  it("carries the trace context into a worker thread: a thread node's try runs in the run's trace", async () => {
    const child = container.createChildContainer();
    const setup = path.join(__dirname, "..", "fixtures", "thread-tracing-setup.js");
    const pool = new ThreadPool({ size: 1, modules: [setup] });
    child.register(ThreadPool, { useValue: pool });
    try {
      const outputs = await execute(buildGraph({ t: { node: TracedThreadNode, inputs: {} } }), {
        container: child,
      });
      const [run] = spans("moirae.run");
      assert.ok(run);
      assert.equal((outputs.t as TraceSeen).traceId, run.spanContext().traceId);
      assert.equal(nodeSpan("t").spanContext().traceId, run.spanContext().traceId);
    } finally {
      await pool.close();
    }
  });

  it("ends the spans of an aborted run: the run ERROR, nodes still running marked aborted", async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error("enough")), 60);
    await assert.rejects(execute(pipeline(), { signal: controller.signal }), {
      name: "ExecutionAbortedError",
    });
    const [run] = spans("moirae.run");
    assert.equal(run!.attributes["moirae.status"], "aborted");
    assert.equal(run!.status.code, SpanStatusCode.ERROR);
    const aborted = spans("moirae.node").filter((s) => s.attributes["moirae.status"] === "aborted");
    assert.ok(aborted.length >= 1);
    assert.ok(aborted.every((s) => s.status.code === SpanStatusCode.ERROR));
  });

  it("runs each try inside its node span: spans made by node code are its children", async () => {
    const parent = trace.getTracer("app").startSpan("request");
    await context.with(trace.setSpan(context.active(), parent), () =>
      execute(buildGraph({ only: { node: MakesSpan, inputs: {} } })),
    );
    parent.end();
    const [run] = spans("moirae.run");
    assert.equal(
      run!.parentSpanContext?.spanId,
      parent.spanContext().spanId,
      "the run is a child of the caller",
    );
    const inner = spans("inside the node")[0]!;
    assert.equal(inner.parentSpanContext?.spanId, nodeSpan("only").spanContext().spanId);
  });

  it("gives each task its node span's W3C trace context, which the remote side runs the try in", async () => {
    const carriers: Record<string, string>[] = [];
    class Recording extends NodeDispatcher {
      override dispatch(task: NodeTask): Promise<object> {
        carriers.push({ ...task.trace });
        return super.dispatch(task);
      }
    }
    const child = container.createChildContainer();
    child.register(NodeDispatcher, { useClass: Recording });
    await execute(buildGraph({ only: { node: MakesSpan, inputs: {} } }), { container: child });
    const node = nodeSpan("only").spanContext();
    assert.equal(carriers.length, 1);
    assert.match(carriers[0]!.traceparent!, new RegExp(`^00-${node.traceId}-${node.spanId}-0[01]$`));
    // the remote side: the try runs in that context
    const remote = withTaskTrace(carriers[0], () => trace.getSpanContext(context.active()));
    assert.equal(remote?.spanId, node.spanId);
    assert.equal(remote?.traceId, node.traceId);
    assert.equal(remote?.isRemote, true);
  });
});

describe("OpenTelemetry tracing across the remote-task layer", () => {
  afterEach(() => exporter.reset());

  it("runs a remote try in the node span's context carried by the task (no shared in-process context)", async () => {
    /** A dispatcher that sends each try through the wire format, to a "far side" with no active context. */
    class OverTheWire extends NodeDispatcher {
      override async dispatch(task: NodeTask): Promise<object> {
        const meta = getMetadataStore().nodeByClass(task.nodeClass)!;
        const bytes = encodeTask(task, meta);
        const result = await context.with(ROOT_CONTEXT, () => runRemoteTask(bytes));
        return decodeResult(result, task.name, meta);
      }
    }
    const child = container.createChildContainer();
    child.register(NodeDispatcher, { useClass: OverTheWire });
    await execute(buildGraph({ far: { node: MakesSpan, inputs: {} } }), { container: child });
    const inner = spans("inside the node")[0]!;
    assert.equal(inner.parentSpanContext?.spanId, nodeSpan("far").spanContext().spanId);
    assert.equal(
      inner.parentSpanContext?.isRemote,
      true,
      "the parent came through the task, not the process",
    );
  });
});

describe("without OpenTelemetry", () => {
  const script = path.join(__dirname, "untraced-run.js");
  const run = (...args: string[]) =>
    JSON.parse(execFileSync(process.execPath, [script, ...args], { encoding: "utf8", timeout: 30_000 }));

  it("loads nothing of it when no tracer provider is registered, though the package is installed", () => {
    assert.deepEqual(run(), { afterImport: [], afterRun: [], nodes: 8 });
  });

  it("runs the same when the package cannot be found at all", () => {
    assert.deepEqual(run("--block"), { afterImport: [], afterRun: [], nodes: 8 });
  });

  it("(the control case) loads the API and moirae's tracing once a provider is registered", () => {
    const { afterRun } = run("--register");
    assert.deepEqual(afterRun, ["@opentelemetry/api", "otel-run-tracing.js", "trace-carrier.js"]);
  });
});

function duration(span: ReadableSpan): number {
  const [s, ns] = span.duration;
  return s * 1000 + ns / 1e6;
}
