import { injectable, container as rootContainer } from "tsyringe";
import { CacheProvider } from "../cache/cache-provider";
import { Codec } from "../cache/codec";
import { ExecutionAbortedError } from "../errors/execution-aborted-error";
import { ExecutionOptionsError } from "../errors/execution-options-error";
import { GraphExecutionError } from "../errors/graph-execution-error";
import { Graph } from "../graph/graph";
import { startRunTracing } from "../tracing/tracing-hook";
import { isThenable } from "../util/is-thenable";
import { CachedTargetsRun, type TargetPrefetch } from "./cache-planning";
import { type ExecuteOptions, normalizeOptions, type RunSettings } from "./execute-options";
import { ExecutionPlan } from "./execution-plan";
import { GraphRun } from "./graph-run";
import { NodeDispatcher } from "./node-dispatcher";
import type { NodeResult } from "./node-result";
import { NO_CACHE, type OutputCache } from "./output-cache";
import { ProviderOutputCache } from "./provider-output-cache";
import { ResultStream } from "./result-stream";
import type { RunListener } from "./run-results";

/**
 * Runs graphs: each node starts the moment its last input arrives, with at most `concurrency` at once
 * (critical path first), per-node timeouts and retries, abort, and `"fail-fast"` or `"continue"` error modes.
 * It is also its own DI token: `container.resolve(Executor)` works in a fresh container, and one executor runs
 * any number of graphs at once, independently. This implementation dispatches nodes in this process through the
 * injected `NodeDispatcher`.
 *
 * Node classes are resolved from `options.container` (default: tsyringe's root container), not from the
 * container the executor came from: tsyringe cannot inject a container, so it travels in the options.
 *
 * @example
 * const executor = container.resolve(Executor);
 * for await (const r of executor.stream(graph)) console.log(r.node, r.status, r.output);
 * const outputs = await executor.run(graph, { concurrency: 4 });
 */
@injectable()
export class Executor {
  constructor(
    private readonly dispatcher: NodeDispatcher,
    private readonly cacheProvider: CacheProvider,
    private readonly codec: Codec,
  ) {}

  /**
   * Runs `graph` and yields one `NodeResult` per node in completion order; the run starts on the first
   * `next()`. No result is dropped however slowly you read (results wait in an unbounded queue, and each holds
   * its output: keeping results keeps outputs). Leaving the loop early (`break`, `return`, an exception) aborts
   * the nodes still running and starts no more.
   *
   * In `"fail-fast"` mode a failure ends the iteration by throwing the node's `NodeExecutionError` (after the
   * results already queued); an abort throws `ExecutionAbortedError`. In `"continue"` mode failed nodes yield
   * `failed`, their dependents `skipped`, and the iteration ends normally.
   */
  stream(graph: Graph, options?: ExecuteOptions): AsyncIterableIterator<NodeResult> {
    const settings = this.settingsFor(graph, options);
    let run: GraphRun | CachedTargetsRun | undefined;
    return new ResultStream(
      (stream) => {
        run = this.createRun(graph, settings, {
          returnsOutputs: false,
          onResult: (result) => stream.push(result),
          onSettled: (error) => stream.end(error),
        });
        run.start();
      },
      () => run?.cancel(new ExecutionAbortedError("the consumer stopped reading the results")),
    );
  }

  /**
   * Runs `graph` to the end and resolves to its outputs by node name (with `targets` or `retain: "targets"`,
   * only the targets'). Rejects with the first failure's `NodeExecutionError` (`"fail-fast"`), a
   * `GraphExecutionError` holding the outputs and every error (`"continue"`), or `ExecutionAbortedError`.
   */
  run(graph: Graph, options?: ExecuteOptions): Promise<Record<string, object>> {
    return new Promise((resolve, reject) => {
      const settings = this.settingsFor(graph, options);
      const run = this.createRun(graph, settings, {
        returnsOutputs: true,
        onSettled: (error) => {
          if (error) reject(error);
          else if (Object.keys(run.errors).length > 0) {
            reject(new GraphExecutionError(run.retainedOutputs(), run.errors));
          } else resolve(run.retainedOutputs());
        },
      });
      run.start();
    });
  }

  /**
   * The cache step of this executor's runs: `options.cache`, else the injected `CacheProvider`. The base
   * `CacheProvider` caches nothing, and then no cache step runs at all. Every node of a run shares one execution
   * per topological hash either way.
   */
  protected outputCache(settings: RunSettings): OutputCache {
    const provider = settings.cache ?? this.cacheProvider;
    if (provider.constructor === CacheProvider) return NO_CACHE;
    return new ProviderOutputCache(provider, this.codec, settings.cacheTimeoutMs);
  }

  private settingsFor(graph: Graph, options: ExecuteOptions | undefined): RunSettings {
    if (!(graph instanceof Graph)) {
      throw new ExecutionOptionsError(
        "graph",
        "the first argument must be a Graph built with buildGraph(spec) or GraphBuilder.build(spec).",
      );
    }
    const settings = normalizeOptions(options);
    const unknown = settings.targets?.filter((target) => !graph.nodes.has(target));
    if (unknown?.length) graph.ancestorsWith(unknown); // throws GraphValidationError naming them
    return settings;
  }

  private createRun(graph: Graph, settings: RunSettings, listener: RunListener): GraphRun | CachedTargetsRun {
    const container = settings.container ?? rootContainer;
    const cache = this.outputCache(settings);
    let dispatcher = this.dispatcher;
    const tracing = startRunTracing(graph, cache.enabled); // undefined unless OpenTelemetry is set up
    if (tracing) {
      const onEvent = settings.onEvent;
      settings = {
        ...settings,
        onEvent: onEvent
          ? (event) => {
              tracing.onEvent(event);
              onEvent(event);
            }
          : tracing.onEvent,
      };
      dispatcher = tracing.wrap(dispatcher);
    }
    const graphRun = (prefetch?: TargetPrefetch) =>
      new GraphRun(ExecutionPlan.of(graph), settings, container, dispatcher, cache, listener, prefetch);
    if (settings.targets && cache.enabled) {
      return new CachedTargetsRun(graph, settings, [...new Set(settings.targets)], cache, listener, graphRun);
    }
    return graphRun();
  }
}

/**
 * Runs `graph` with an `Executor` resolved from `options.container` (default: tsyringe's root container) and
 * yields each node's result as it completes. See `Executor.stream`.
 *
 * @example
 * for await (const r of executeStream(graph)) console.log(r.node, r.status, r.output);
 */
export function executeStream(graph: Graph, options?: ExecuteOptions): AsyncIterableIterator<NodeResult> {
  const executor = (options?.container ?? rootContainer).resolve(Executor);
  return isThenable(executor)
    ? streamOf(executor.then((e) => e.stream(graph, options)))
    : executor.stream(graph, options);
}

/**
 * Runs `graph` with an `Executor` resolved from `options.container` (default: tsyringe's root container) and
 * resolves to the outputs by node name. See `Executor.run`.
 *
 * @example
 * const { c } = await execute(graph); // AddOutput { o: 9 }
 */
export function execute(graph: Graph, options?: ExecuteOptions): Promise<Record<string, object>> {
  try {
    const executor = (options?.container ?? rootContainer).resolve(Executor);
    return isThenable(executor) ? executor.then((e) => e.run(graph, options)) : executor.run(graph, options);
  } catch (error) {
    return Promise.reject(error);
  }
}

/** The results of a stream that a container gives asynchronously. */
async function* streamOf(
  stream: Promise<AsyncIterableIterator<NodeResult>>,
): AsyncIterableIterator<NodeResult> {
  yield* await stream;
}
