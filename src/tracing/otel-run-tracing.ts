// Loaded only when a tracer provider is registered with @opentelemetry/api (see tracing-hook.ts).
import { type Context, context, type Span, SpanStatusCode, trace } from "@opentelemetry/api";
import type { ExecutionEvent } from "../execution/execution-event";
import type { NodeDispatcher, NodeTask } from "../execution/node-dispatcher";
import type { Graph } from "../graph/graph";
import { injectTrace } from "./trace-carrier";
import type { RunTracing } from "./tracing-hook";

type CacheUse = "hit" | "miss" | "off";

interface OpenNode {
  readonly span: Span;
  readonly context: Context;
  cache?: CacheUse;
}

/**
 * One run as OpenTelemetry spans: `moirae.run` (a child of the context active when the run was made), and a
 * `moirae.node` child per node from its start to its end, with retries as span events. Built from the run's
 * events; node tries run inside their node span's context, and remote tasks carry it (`NodeTask.trace`).
 */
export class OtelRunTracing implements RunTracing {
  private readonly parent: Context;
  private readonly tracer = trace.getTracer("moirae");
  private run: Span | undefined;
  private runContext: Context | undefined;
  private readonly open = new Map<string, OpenNode>();
  /** Cache lookups seen before the node started (targets looked up ahead). */
  private readonly early = new Map<string, CacheUse>();
  private failed = 0;

  constructor(
    private readonly graph: Graph,
    private readonly cacheEnabled: boolean,
  ) {
    this.parent = context.active();
  }

  readonly onEvent = (event: ExecutionEvent): void => {
    try {
      this.handle(event);
    } catch {
      // tracing never fails a run
    }
  };

  wrap(dispatcher: NodeDispatcher): NodeDispatcher {
    return {
      dispatch: (task: NodeTask) => {
        const node = this.open.get(task.name);
        if (!node) return dispatcher.dispatch(task);
        (task as { trace?: Record<string, string> }).trace = injectTrace(node.context);
        return context.with(node.context, () => dispatcher.dispatch(task));
      },
    } as NodeDispatcher;
  }

  private handle(event: ExecutionEvent): void {
    if (event.type === "run:start") {
      this.run = this.tracer.startSpan(
        "moirae.run",
        { attributes: { "moirae.nodes": this.graph.nodes.size } },
        this.parent,
      );
      this.runContext = trace.setSpan(this.parent, this.run);
      return;
    }
    if (event.type === "run:done") {
      this.endRun(event.error);
      return;
    }
    const name = event.node;
    if (name === undefined || !this.runContext) return;
    switch (event.type) {
      case "node:start":
        this.start(name, event.hash);
        break;
      case "cache:hit":
      case "cache:miss": {
        const use = event.type === "cache:hit" ? "hit" : "miss";
        const node = this.open.get(name);
        if (node) node.cache = use;
        else this.early.set(name, use);
        break;
      }
      case "cache:error":
        this.open.get(name)?.span.addEvent("moirae.cache_error", errorAttributes(event.error));
        break;
      case "node:retry":
        this.open.get(name)?.span.addEvent("moirae.retry", {
          "moirae.attempt": event.attempt ?? 0,
          ...errorAttributes(event.error),
        });
        break;
      case "node:done": {
        const cached = event.attempt === 0;
        this.end(name, cached ? "cached" : "done", event.attempt ?? 1, cached ? "hit" : undefined);
        break;
      }
      case "node:failed": {
        this.failed++;
        const node = this.end(name, "failed", event.attempt ?? 1, undefined, false);
        if (node) fail(node.span, event.error);
        node?.span.end();
        break;
      }
      case "node:skipped":
        this.start(name, event.hash);
        this.end(name, "skipped", 0, "off");
        break;
    }
  }

  private start(name: string, hash: string | undefined): void {
    const span = this.tracer.startSpan(
      "moirae.node",
      {
        attributes: {
          "moirae.node": name,
          "moirae.node_class": this.graph.plans.get(name)?.meta.name ?? "",
          "moirae.hash": hash ?? this.graph.hashOf(name),
        },
      },
      this.runContext,
    );
    const node: OpenNode = { span, context: trace.setSpan(this.runContext!, span) };
    const early = this.early.get(name);
    if (early) node.cache = early;
    this.open.set(name, node);
  }

  private end(
    name: string,
    status: string,
    attempts: number,
    cache: CacheUse | undefined,
    close = true,
  ): OpenNode | undefined {
    const node = this.open.get(name);
    if (!node) return undefined;
    this.open.delete(name);
    node.span.setAttributes({
      "moirae.status": status,
      "moirae.attempts": attempts,
      "moirae.cache": cache ?? node.cache ?? (this.cacheEnabled ? "miss" : "off"),
    });
    if (close) node.span.end();
    return node;
  }

  private endRun(error: Error | undefined): void {
    const run = this.run;
    if (!run) return;
    for (const name of [...this.open.keys()]) {
      const node = this.end(name, "aborted", 0, undefined, false)!;
      node.span.setStatus({ code: SpanStatusCode.ERROR, message: "the run ended before this node did" });
      node.span.end();
    }
    if (error) {
      fail(run, error);
      run.setAttribute("moirae.status", error.name === "ExecutionAbortedError" ? "aborted" : "failed");
    } else if (this.failed > 0) {
      run.setStatus({ code: SpanStatusCode.ERROR, message: `${this.failed} node(s) failed` });
      run.setAttribute("moirae.status", "failed");
    } else {
      run.setAttribute("moirae.status", "ok");
    }
    run.end();
    this.run = undefined;
  }
}

function fail(span: Span, error: Error | undefined): void {
  if (error) span.recordException(error);
  span.setStatus({ code: SpanStatusCode.ERROR, message: error?.message ?? "failed" });
}

function errorAttributes(error: Error | undefined): Record<string, string> {
  return error ? { "exception.type": error.name, "exception.message": error.message } : {};
}

export function createRunTracing(graph: Graph, cacheEnabled: boolean): RunTracing {
  return new OtelRunTracing(graph, cacheEnabled);
}
