// Loaded only with @opentelemetry/api present (see tracing-hook.ts).
import {
  type Context,
  isSpanContextValid,
  propagation,
  ROOT_CONTEXT,
  type SpanContext,
  trace,
} from "@opentelemetry/api";

const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;

/**
 * The trace context of `ctx` as text fields (W3C Trace Context: `traceparent`, and `tracestate` when there is
 * one), for a task that crosses to a worker thread or process. The globally registered propagator writes them
 * when there is one; otherwise moirae writes `traceparent` itself.
 */
export function injectTrace(ctx: Context): Record<string, string> {
  const carrier: Record<string, string> = {};
  if (propagation.fields().length > 0) {
    propagation.inject(ctx, carrier);
    if (Object.keys(carrier).length > 0) return carrier;
  }
  const span = trace.getSpanContext(ctx);
  if (!span || !isSpanContextValid(span)) return carrier;
  carrier.traceparent = `00-${span.traceId}-${span.spanId}-${(span.traceFlags & 0xff).toString(16).padStart(2, "0")}`;
  const state = span.traceState?.serialize();
  if (state) carrier.tracestate = state;
  return carrier;
}

/** The context a task's `trace` fields describe (the remote side of `injectTrace`): a remote parent span. */
export function extractTrace(carrier: Readonly<Record<string, string>>): Context {
  if (propagation.fields().length > 0) {
    const ctx = propagation.extract(ROOT_CONTEXT, carrier);
    if (trace.getSpanContext(ctx)) return ctx;
  }
  const match = TRACEPARENT.exec(carrier.traceparent ?? "");
  if (!match) return ROOT_CONTEXT;
  const span: SpanContext = {
    traceId: match[1]!,
    spanId: match[2]!,
    traceFlags: Number.parseInt(match[3]!, 16),
    isRemote: true,
  };
  return isSpanContextValid(span) ? trace.setSpanContext(ROOT_CONTEXT, span) : ROOT_CONTEXT;
}
