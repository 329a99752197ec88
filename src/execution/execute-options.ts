import { CacheProvider } from "../cache/cache-provider";
import { ExecutionOptionsError } from "../errors/execution-options-error";
import type { NodeContainer } from "../metadata/node-container";
import { checkRetries } from "../metadata/retry-policy";
import type { RetryPolicy } from "../metadata/types";
import { checkTimeLimit } from "../util/time-limit";
import type { ExecutionEvent } from "./execution-event";

/** What to do when a node fails (after its retries). */
export type ErrorMode = "fail-fast" | "continue";

/** Options of `execute`, `executeStream`, `Executor.run` and `Executor.stream`. */
export interface ExecuteOptions {
  /**
   * Where node classes and their constructor services are resolved from (default: tsyringe's root
   * container). `execute` / `executeStream` also resolve the `Executor` itself from it. tsyringe cannot inject a
   * container into a class, so the container travels in the options.
   */
  container?: NodeContainer;
  /**
   * At most this many nodes run at once (default: unlimited). When more are ready, the one with the longest
   * remaining path to the end of the graph (counted in nodes) goes first; ties go by topological order.
   */
  concurrency?: number;
  /**
   * Time limit of one try of a node, in ms; a node's own `@Node({ timeoutMs })` wins. Above 2^31 − 1 ms (about
   * 24.8 days, the longest timer), `Infinity` included, there is no limit.
   */
  timeoutMs?: number;
  /**
   * Retries after a failed try: `n`, or `{ attempts, backoffMs?, factor? }` (waits `backoffMs × factor^(k−1)`
   * before retry k). A node's own `@Node({ retries })` wins. Thrown errors and timeouts are retried; invalid
   * inputs and outputs are not.
   */
  retries?: RetryPolicy;
  /**
   * Aborts the run: nothing more starts, `ctx.signal` of running nodes fires, and the run rejects at once with
   * `ExecutionAbortedError`, even if a node ignores its signal.
   */
  signal?: AbortSignal;
  /**
   * `"fail-fast"` (default): the first failure aborts the run, which rejects with that node's
   * `NodeExecutionError`. `"continue"`: dependents of a failed node are skipped, independent branches finish,
   * and `run` / `execute` reject with a `GraphExecutionError` holding the outputs and every error.
   */
  onError?: ErrorMode;
  /** Run only these nodes and their ancestors (unknown names are a `GraphValidationError`). */
  targets?: Iterable<string>;
  /**
   * Which outputs `run` / `execute` return: `"all"` (default without `targets`) or `"targets"` (default with
   * `targets`; without `targets`, the graph's sinks). Every other output is released as soon as all its
   * dependents have their inputs.
   */
  retain?: "all" | "targets";
  /** Receives progress events synchronously; an exception it throws fails the run. */
  onEvent?: (event: ExecutionEvent) => void;
  /**
   * Where node outputs are cached under their topological hash (default: the `CacheProvider` registered in the
   * container the `Executor` came from, which caches nothing unless you register one).
   */
  cache?: CacheProvider;
  /**
   * How long one cache read or write may take before it counts as a miss / failed write (default 5000 ms; above
   * 2^31 − 1 ms, `Infinity` included, no limit). Aborting the run stops waiting for the cache at once.
   */
  cacheTimeoutMs?: number;
}

/** Options checked and with defaults filled in. */
export interface RunSettings {
  readonly container: NodeContainer | undefined;
  /** `Infinity` when unlimited. */
  readonly concurrency: number;
  readonly timeoutMs: number | undefined;
  readonly retries: RetryPolicy | undefined;
  readonly signal: AbortSignal | undefined;
  readonly continueOnError: boolean;
  readonly targets: readonly string[] | undefined;
  readonly retainTargets: boolean;
  readonly onEvent: ((event: ExecutionEvent) => void) | undefined;
  readonly cache: CacheProvider | undefined;
  readonly cacheTimeoutMs: number;
}

/** Checks `options`, throwing `ExecutionOptionsError` naming the first bad one. */
export function normalizeOptions(options: ExecuteOptions | undefined): RunSettings {
  if (options === undefined || options === null) options = {};
  if (typeof options !== "object") {
    throw new ExecutionOptionsError("options", `must be an object, got ${typeof options}.`);
  }
  const {
    concurrency = Infinity,
    timeoutMs,
    retries,
    signal,
    onError = "fail-fast",
    onEvent,
    retain,
  } = options;
  if (!(concurrency === Infinity || (Number.isInteger(concurrency) && concurrency >= 1))) {
    throw new ExecutionOptionsError(
      "concurrency",
      `must be a whole number ≥ 1 or Infinity, got ${String(concurrency)}.`,
    );
  }
  const timeoutProblem = checkTimeLimit(timeoutMs);
  if (timeoutProblem) throw new ExecutionOptionsError("timeoutMs", timeoutProblem);
  const retryProblem = checkRetries(retries);
  if (retryProblem) throw new ExecutionOptionsError("retries", retryProblem);
  if (signal !== undefined && !(signal instanceof AbortSignal)) {
    throw new ExecutionOptionsError("signal", "must be an AbortSignal (from an AbortController).");
  }
  if (onError !== "fail-fast" && onError !== "continue") {
    throw new ExecutionOptionsError(
      "onError",
      `must be "fail-fast" or "continue", got ${JSON.stringify(onError)}.`,
    );
  }
  if (onEvent !== undefined && typeof onEvent !== "function") {
    throw new ExecutionOptionsError("onEvent", "must be a function receiving each event.");
  }
  if (retain !== undefined && retain !== "all" && retain !== "targets") {
    throw new ExecutionOptionsError("retain", `must be "all" or "targets", got ${JSON.stringify(retain)}.`);
  }
  const { cache, cacheTimeoutMs = 5000 } = options;
  if (cache !== undefined && !(cache instanceof CacheProvider)) {
    throw new ExecutionOptionsError(
      "cache",
      "must be a CacheProvider (e.g. new FileCacheProvider({ dir })).",
    );
  }
  const cacheTimeoutProblem = checkTimeLimit(cacheTimeoutMs);
  if (cacheTimeoutProblem) throw new ExecutionOptionsError("cacheTimeoutMs", cacheTimeoutProblem);
  let targets: string[] | undefined;
  if (options.targets !== undefined) {
    const given = options.targets as unknown;
    if (
      typeof given === "string" ||
      given === null ||
      typeof (given as Iterable<string>)[Symbol.iterator] !== "function"
    ) {
      throw new ExecutionOptionsError("targets", "must be an array (or iterable) of node names.");
    }
    targets = [...(given as Iterable<string>)];
    const bad = targets.find((t) => typeof t !== "string");
    if (bad !== undefined)
      throw new ExecutionOptionsError("targets", `must hold node names, got ${String(bad)}.`);
  }
  return {
    container: options.container,
    concurrency,
    timeoutMs,
    retries,
    signal,
    continueOnError: onError === "continue",
    targets,
    retainTargets: retain === undefined ? targets !== undefined : retain === "targets",
    onEvent,
    cache,
    cacheTimeoutMs,
  };
}
