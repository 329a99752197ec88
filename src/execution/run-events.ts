import { toError } from "../util/error-text";
import type { ExecutionEvent, ExecutionEventType } from "./execution-event";
import type { CacheEventSink } from "./output-cache";

/** The listener of a run's events (`ExecuteOptions.onEvent`). */
export type EventListener = (event: ExecutionEvent) => void;

/** An event of type `type`, about `node` when one is given. */
export function eventOf(
  type: ExecutionEventType,
  node?: string,
  hash?: string,
  attempt?: number,
  error?: Error,
): ExecutionEvent {
  const event: { -readonly [K in keyof ExecutionEvent]: ExecutionEvent[K] } = { type, time: Date.now() };
  if (node !== undefined) {
    event.node = node;
    event.hash = hash;
  }
  if (attempt !== undefined) event.attempt = attempt;
  if (error !== undefined) event.error = error;
  return event;
}

/**
 * Hands events to the run's listener. An exception the listener throws is passed to `onListenerError` (which
 * fails the run) instead of escaping into the scheduler.
 */
export class RunEvents {
  constructor(
    readonly listener: EventListener | undefined,
    private readonly onListenerError: (error: Error) => void,
  ) {}

  /** Builds and delivers one event (nothing is built without a listener). */
  emit(type: ExecutionEventType, node?: string, hash?: string, attempt?: number, error?: Error): void {
    if (this.listener) this.deliver(eventOf(type, node, hash, attempt, error));
  }

  /** Delivers a ready-made event. */
  deliver(event: ExecutionEvent): void {
    const listener = this.listener;
    if (!listener) return;
    try {
      listener(event);
    } catch (listenerError) {
      this.onListenerError(toError(listenerError));
    }
  }
}

/** A sink for the cache events of one node, passing each event to `deliver`. */
export function cacheSink(
  node: string,
  hash: string,
  deliver: (event: ExecutionEvent) => void,
): CacheEventSink {
  return (type, error) => deliver(eventOf(type, node, hash, undefined, error));
}
