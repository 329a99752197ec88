import type { ExecutionEvent } from "../execution/execution-event";
import type { NodeDispatcher } from "../execution/node-dispatcher";
import type { Graph } from "../graph/graph";

/** What a run does for tracing: it sees every event and wraps the dispatch of every try. */
export interface RunTracing {
  readonly onEvent: (event: ExecutionEvent) => void;
  wrap(dispatcher: NodeDispatcher): NodeDispatcher;
}

/**
 * Where @opentelemetry/api 1.x keeps what is registered (`trace.setGlobalTracerProvider`, which the SDKs'
 * `register()` calls): one object on `globalThis` shared by every copy of the API in the process.
 */
const OTEL_API = Symbol.for("opentelemetry.js.api.1");

type Loaded = {
  createRunTracing(graph: Graph, cacheEnabled: boolean): RunTracing;
  extractTrace(carrier: Readonly<Record<string, string>>): unknown;
};
let loaded: Loaded | null | undefined;

/** Whether a tracer provider is registered with @opentelemetry/api; a property read, nothing loaded. */
export function tracingRegistered(): boolean {
  const api = (globalThis as Record<symbol, { trace?: unknown } | undefined>)[OTEL_API];
  return api?.trace !== undefined;
}

/** The moirae code that uses @opentelemetry/api, loaded on first use (null when the package is missing). */
function load(): Loaded | null {
  if (loaded === undefined) {
    try {
      loaded = {
        ...(require("./otel-run-tracing") as typeof import("./otel-run-tracing")),
        ...(require("./trace-carrier") as typeof import("./trace-carrier")),
      };
    } catch {
      loaded = null;
    }
  }
  return loaded;
}

/**
 * Tracing for one run: undefined (and nothing loaded, nothing spent) unless a tracer provider is registered
 * with @opentelemetry/api.
 */
export function startRunTracing(graph: Graph, cacheEnabled: boolean): RunTracing | undefined {
  if (!tracingRegistered()) return undefined;
  return load()?.createRunTracing(graph, cacheEnabled);
}

/**
 * Runs `fn` inside the trace context a remote task carries (`NodeTask.trace`), so that spans a node makes in a
 * worker thread or process are children of its `moirae.node` span. Without a registered tracer provider (or
 * without a `trace`), it just runs `fn`.
 */
export function withTaskTrace<T>(trace: Readonly<Record<string, string>> | undefined, fn: () => T): T {
  if (!trace || !tracingRegistered()) return fn();
  const otel = load();
  if (!otel) return fn();
  const { context } = require("@opentelemetry/api") as typeof import("@opentelemetry/api");
  return context.with(otel.extractTrace(trace) as import("@opentelemetry/api").Context, fn);
}
