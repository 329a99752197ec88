import { threadId } from "node:worker_threads";
import { container as rootContainer } from "tsyringe";
import { invokeNode } from "../execution/invoke-node";
import type { NodeContainer } from "../metadata/node-container";
import { withTaskTrace } from "../tracing/tracing-hook";
import { loadNodeClass } from "./load-node-class";
import { decodeTask, inputInstance, type RemoteTask } from "./remote-task";
import { encodeFailure, encodeOutput } from "./task-result";

/** Options of `runRemoteTask`. */
export interface RemoteTaskOptions {
  /** Where the node and its services are resolved from (default: tsyringe's root container of this thread). */
  readonly container?: NodeContainer;
  /**
   * Aborts the try: the node's `ctx.signal` fires and the result is an `ExecutionAbortedError`. With
   * `settleOnAbort: false` it is read only when the node reads `ctx.signal` or has a time limit, so it may be a
   * getter that makes the signal on demand.
   */
  readonly signal?: AbortSignal;
  /**
   * Whether the try settles as soon as `signal` aborts, even if the node ignores it (default true). A transport
   * that stops waiting by itself passes false (see `invokeNode`).
   */
  readonly settleOnAbort?: boolean;
  /**
   * Whether to load the task's modules when its node class is not registered here (default true). A BullMQ worker
   * passes false: it runs only the classes of the modules it was started with, never files a task names.
   */
  readonly loadModules?: boolean;
  /** Who runs the task, for refusals: `"host:pid"` of a worker process; default `"thread <id>"` / `"pid <pid>"`. */
  readonly worker?: string;
  /** Called when the try starts (its modules are loaded and its class accepted), before `execute`. */
  readonly onStart?: (task: RemoteTask) => void;
  /**
   * Wraps the try (e.g. to run it inside an OpenTelemetry span whose parent is `task.trace`). It must call `run`
   * and return what it returns.
   */
  readonly wrap?: (task: RemoteTask, run: () => Promise<object>) => Promise<object>;
}

/** How a remote try ended, before encoding. */
export type RemoteOutcome =
  | { readonly ok: true; readonly name: string; readonly output: object }
  | { readonly ok: false; readonly name: string; readonly error: unknown };

/**
 * Runs one try of a task `encodeTask` wrote, on the far side: loads the task's modules when its node class is not
 * registered, refuses it (`NodeRefusedError`, not retried) when the class's fingerprint is not the coordinator's,
 * then runs the try exactly as in-process (`invokeNode`: fresh instance from the container, arguments assigned,
 * time limit, `ctx.signal`, output validated). Resolves — never rejects — to result bytes for `decodeResult`: the
 * encoded output, or the error in a serialisable form.
 */
export async function runRemoteTask(
  bytes: Uint8Array | readonly unknown[],
  options: RemoteTaskOptions = {},
): Promise<Uint8Array> {
  const outcome = await executeRemoteTask(bytes, options);
  if (outcome.ok) {
    try {
      return encodeOutput(outcome.name, outcome.output);
    } catch (error) {
      return encodeFailure(error);
    }
  }
  return encodeFailure(outcome.error);
}

/**
 * `runRemoteTask` without the final encoding (for transports that move parts of the output themselves). The task
 * is its bytes, or its message (`taskMessage`) as it came back from JSON.
 */
export async function executeRemoteTask(
  bytes: Uint8Array | readonly unknown[],
  options: RemoteTaskOptions = {},
): Promise<RemoteOutcome> {
  let name = "(task)";
  try {
    const task = decodeTask(bytes);
    name = task.name;
    const worker = options.worker ?? (threadId ? `thread ${threadId}` : `pid ${process.pid}`);
    const found = loadNodeClass(task, worker, options.loadModules !== false);
    const meta = found instanceof Promise ? await found : found;
    const input = inputInstance(task, meta);
    options.onStart?.(task);
    const run = () =>
      invokeNode({
        name: task.name,
        hash: task.hash,
        meta,
        container: options.container ?? rootContainer,
        args: task.args,
        input,
        attempt: task.attempt,
        get signal() {
          return options.signal;
        },
        settleOnAbort: options.settleOnAbort !== false,
        timeoutMs: task.timeoutMs,
      });
    // with OpenTelemetry set up on this side, the try runs in the context of the coordinator's node span
    const output = await (options.wrap
      ? options.wrap(task, () => withTaskTrace(task.trace, run))
      : withTaskTrace(task.trace, run));
    return { ok: true, name, output };
  } catch (error) {
    return { ok: false, name, error };
  }
}
