import { availableParallelism } from "node:os";
import { join } from "node:path";
import { BroadcastChannel } from "node:worker_threads";
import type { Piscina } from "piscina";
import { ExecutionAbortedError } from "../errors/execution-aborted-error";
import { ExecutionOptionsError } from "../errors/execution-options-error";
import { NodeTimeoutError } from "../errors/node-timeout-error";
import type { NodeTask } from "../execution/node-dispatcher";
import type { NodeMetadata } from "../metadata/types";
import { encodeTask } from "../remote/remote-task";
import { decodeResult } from "../remote/task-result";
import { isStartNotice, type ThreadTaskMessage, type ThreadTaskReply } from "./thread-messages";

/** Options of a `ThreadPool`. */
export interface ThreadPoolOptions {
  /** How many threads run tries at once (default: `os.availableParallelism()`). */
  readonly size?: number;
  /**
   * Module files every thread loads before a node's own module, e.g. one that registers the services thread nodes
   * need in the thread's root container (absolute paths).
   */
  readonly modules?: readonly string[];
  /**
   * After an abort or a timeout, how long a try may take to notice `ctx.signal` before its thread is terminated
   * (default 100 ms). The run does not wait for it either way.
   */
  readonly terminateAfterMs?: number;
  /** Limits of each thread's heap and stack (Node's `resourceLimits`). */
  readonly resourceLimits?: import("node:worker_threads").ResourceLimits;
}

let nextPoolId = 0;
let nextTaskId = 0;

/** A try waiting for its thread's answer. */
interface Pending {
  started(): void;
}

/**
 * The worker threads `@Node({ thread: true })` nodes run in: a piscina pool of `size` threads, all started on the
 * first such try (piscina is loaded only then) and kept until `close()`, each loading a node's module once. Each try runs in a thread of the pool with its input, arguments and output crossing as
 * data; a timeout or an abort fires the try's `ctx.signal` in its thread and, if the try still runs shortly after,
 * terminates that thread (piscina replaces it), so even code that never yields is stopped. Idle threads never keep
 * the process alive.
 *
 * moirae uses one default pool per process. To size or set it up, register your own in the container the run
 * resolves from:
 *
 * @example
 * container.register(ThreadPool, { useValue: new ThreadPool({ size: 4, modules: [require.resolve("./services")] }) });
 */
export class ThreadPool {
  readonly size: number;
  readonly #options: ThreadPoolOptions;
  readonly #channelName = `moirae.threads.${process.pid}.${nextPoolId++}`;
  readonly #pending = new Map<number, Pending>();
  #piscina: Piscina | undefined;
  #channel: BroadcastChannel | undefined;

  constructor(options: ThreadPoolOptions = {}) {
    const size = options.size ?? availableParallelism();
    if (!Number.isInteger(size) || size < 1) {
      throw new ExecutionOptionsError("ThreadPool size", `must be a positive integer, got ${String(size)}`);
    }
    this.size = size;
    this.#options = options;
  }

  /** Runs one try of `task` (whose class's metadata is `meta`) in a thread; resolves to its validated output. */
  run(task: NodeTask, meta: NodeMetadata): Promise<object> {
    const signal = task.signal;
    if (signal.aborted) return Promise.reject(new ExecutionAbortedError(signal.reason));
    let bytes: Uint8Array;
    try {
      bytes = encodeTask(task, meta, { modules: this.#options.modules });
    } catch (error) {
      return Promise.reject(error);
    }
    const id = nextTaskId++;
    const timeoutMs = task.timeoutMs;
    const limited = timeoutMs !== undefined && timeoutMs > 0 && Number.isFinite(timeoutMs);
    const message: ThreadTaskMessage = { id, bytes, channel: this.#channelName, notifyStart: limited };
    const piscina = this.#pool();
    return new Promise<object>((resolve, reject) => {
      const halt = new AbortController();
      let settled = false;
      let timer: NodeJS.Timeout | undefined;
      const stop = (error: Error) => {
        if (settled) return;
        settled = true;
        reject(error);
        this.#broadcastAbort(id, error.message);
        setTimeout(() => halt.abort(error), this.#options.terminateAfterMs ?? 100).unref();
      };
      const onAbort = () => stop(new ExecutionAbortedError(signal.reason));
      signal.addEventListener("abort", onAbort, { once: true });
      if (limited) {
        this.#pending.set(id, {
          started: () => {
            if (!settled) {
              timer = setTimeout(
                () => stop(new NodeTimeoutError(task.name, timeoutMs, task.attempt)),
                timeoutMs,
              );
            }
          },
        });
      }
      const done = () => {
        if (limited) this.#pending.delete(id);
        signal.removeEventListener("abort", onAbort);
        if (timer) clearTimeout(timer);
      };
      piscina.run(message, { signal: halt.signal }).then(
        (reply: ThreadTaskReply) => {
          done();
          if (settled) return;
          settled = true;
          try {
            resolve(decodeResult(reply.bytes, task.name, meta, reply.views));
          } catch (error) {
            reject(error);
          }
        },
        (error: unknown) => {
          done();
          if (settled) return;
          settled = true;
          reject(
            new Error(
              `The worker thread running node "${task.name}" stopped: ${(error as Error)?.message ?? String(error)}`,
              { cause: error },
            ),
          );
        },
      );
    });
  }

  /** Stops every thread (running tries are ended). The pool starts again if it is used afterwards. */
  async close(): Promise<void> {
    const piscina = this.#piscina;
    this.#piscina = undefined;
    this.#channel?.close();
    this.#channel = undefined;
    if (piscina) await piscina.destroy();
  }

  /** The piscina pool, made (and piscina loaded) on first use. */
  #pool(): Piscina {
    if (this.#piscina) return this.#piscina;
    const { Piscina } = require("piscina") as typeof import("piscina");
    const piscina = new Piscina({
      filename: join(__dirname, "thread-entry.js"),
      minThreads: this.size,
      maxThreads: this.size,
      concurrentTasksPerWorker: 1,
      ...(this.#options.resourceLimits ? { resourceLimits: this.#options.resourceLimits } : {}),
    });
    piscina.on("message", (message: unknown) => {
      if (isStartNotice(message)) this.#pending.get(message.moiraeThreadStart)?.started();
    });
    piscina.on("error", () => {});
    this.#piscina = piscina;
    return piscina;
  }

  #broadcastAbort(id: number, reason: string): void {
    if (!this.#channel) {
      this.#channel = new BroadcastChannel(this.#channelName);
      this.#channel.unref();
    }
    this.#channel.postMessage({ moiraeThreadAbort: id, reason });
  }
}

let defaultPool: ThreadPool | undefined;

/** The process's default pool (made on first use). */
export function defaultThreadPool(): ThreadPool {
  defaultPool ??= new ThreadPool();
  return defaultPool;
}
