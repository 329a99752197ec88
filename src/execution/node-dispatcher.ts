import { type DependencyContainer, injectable } from "tsyringe";
import { NodeDefinitionError } from "../errors/node-definition-error";
import { getMetadataStore } from "../metadata/metadata-store";
import type { NodeContainer } from "../metadata/node-container";
import type { NodeClass, NodeMetadata } from "../metadata/types";
import { defaultThreadPool, ThreadPool } from "../threads/thread-pool";
import { type Invocation, invokeNode } from "./invoke-node";
import { RunTask } from "./run-task";

/**
 * One try of one ready node, as the scheduler hands it to a `NodeDispatcher`. `name`, `hash`, `nodeName`,
 * `args`, `input`, `attempt` and `timeoutMs` are data that can travel to another process or machine (the worker
 * resolves the class from its own registry by `nodeName`); `nodeClass`, `signal` and `container` are local
 * conveniences for in-process dispatch.
 */
export interface NodeTask {
  /** The node's name in the graph. */
  readonly name: string;
  /** Its topological hash. */
  readonly hash: string;
  /** The registered name of its node class (`NODES` key). */
  readonly nodeName: string;
  /** The node class (local). */
  readonly nodeClass: NodeClass;
  /** Resolved, validated arguments. */
  readonly args: Readonly<Record<string, unknown>>;
  /** A validated instance of the node's input class, owned by this try alone. */
  readonly input: object;
  /** The try, counting from 1. */
  readonly attempt: number;
  /** Time limit of this try in ms (undefined: none). */
  readonly timeoutMs: number | undefined;
  /** Fires when the run aborts or fails fast; this try's `ctx.signal` must fire with it (local). */
  readonly signal: AbortSignal;
  /**
   * The run's signal (optional, local): it aborts when `signal` does, with the same reason, but it is one signal
   * for all the run's tries. A dispatcher that only needs to know when to stop waiting (it runs the try elsewhere)
   * can watch it instead of `signal`, which is made for each node on first read.
   */
  readonly runSignal?: AbortSignal;
  /** The container the run resolves node classes and their services from (local). */
  readonly container: NodeContainer;
  /**
   * The W3C trace context of the node's `moirae.node` span (`traceparent`, `tracestate`) when OpenTelemetry
   * tracing is on: a dispatcher that runs the try elsewhere sends it along, and the other side runs the try in it.
   */
  readonly trace?: Readonly<Record<string, string>>;
  /**
   * Tells the run about this try (optional; a remote dispatcher calls it): `worker` names where the try ran (the
   * node's `NodeResult.worker`), `waiting` says in words why it cannot start yet (a `node:waiting` event).
   */
  report?(note: DispatchNote): void;
}

/** What a dispatcher tells the run about one try (see `NodeTask.report`). */
export interface DispatchNote {
  /** Where the try runs or ran, e.g. `"host:pid"` of a worker process. */
  readonly worker?: string;
  /** Why the try has not started yet, in words. */
  readonly waiting?: string;
}

/**
 * Runs one try of one ready node and resolves to its output: a validated instance of the node's output class
 * that nothing else holds. Rejects with the node's error, `NodeTimeoutError`, `NodeOutputError` (an invalid
 * output, not retried) or `ExecutionAbortedError`.
 *
 * This is the seam between the scheduler and where nodes run. It is its own DI token; this default runs the node
 * in this process (`container.resolve(nodeClass)`), or, for `@Node({ thread: true })` nodes, in the `ThreadPool`
 * registered in the container (else the process's default pool). A dispatcher that sends tasks to remote workers extends it
 * and is registered with `container.register(NodeDispatcher, { useClass })` in the container the `Executor` is
 * resolved from. The scheduler never holds a node instance, and stops waiting on its own when the run is aborted.
 */
@injectable()
export class NodeDispatcher {
  dispatch(task: NodeTask): Promise<object> {
    if (task instanceof RunTask) {
      return task.meta.thread ? threadPoolOf(task.container).run(task, task.meta) : invokeNode(task);
    }
    const meta = getMetadataStore().nodeByClass(task.nodeClass);
    if (!meta) {
      return Promise.reject(
        new NodeDefinitionError(task.nodeClass.name, [
          "it is not a registered node class. Decorate it with @Node({ input, output }).",
        ]),
      );
    }
    if (meta.thread) return threadPoolOf(task.container).run(task, meta);
    return invokeNode(invocationOf(task, meta));
  }
}

/** The `ThreadPool` registered in the run's (tsyringe) container, else the process's default pool. */
function threadPoolOf(container: NodeContainer): ThreadPool {
  const registry = container as Partial<DependencyContainer>;
  return typeof registry.isRegistered === "function" && registry.isRegistered(ThreadPool, true)
    ? (registry.resolve!(ThreadPool) as ThreadPool)
    : defaultThreadPool();
}

/** A task as an invocation; `signal` is read from the task only when used (it is made on demand). */
function invocationOf(task: NodeTask, meta: NodeMetadata): Invocation {
  return {
    name: task.name,
    hash: task.hash,
    meta,
    container: task.container,
    args: task.args,
    input: task.input,
    attempt: task.attempt,
    timeoutMs: task.timeoutMs,
    settleOnAbort: false,
    get signal() {
      return task.signal;
    },
  };
}
