import { DataValidationError } from "../errors/data-validation-error";
import { NodeArgumentsError } from "../errors/node-arguments-error";
import { NodeDefinitionError } from "../errors/node-definition-error";
import { NodeExecutionError } from "../errors/node-execution-error";
import { NodeOutputError } from "../errors/node-output-error";
import { NodeTimeoutError } from "../errors/node-timeout-error";
import type { NodeContainer } from "../metadata/node-container";
import { type NormalizedRetries, normalizeRetries } from "../metadata/retry-policy";
import { isInstance, toError } from "../util/error-text";
import { clampDelay } from "../util/time-limit";
import { abortableDelay } from "./abortable-delay";
import type { RunSettings } from "./execute-options";
import type { ExecutionPlan } from "./execution-plan";
import type { NodeDispatcher } from "./node-dispatcher";
import { RunTask, type SignalSource } from "./run-task";

/** What the retry loop needs from the run it belongs to. */
export interface AttemptHost extends SignalSource {
  /** True once the run is over: the loop then stops without reporting anything. */
  readonly finished: boolean;
  /** Node `i`'s input, assembled from its parents' outputs (throws when it cannot be). */
  inputOf(i: number): object;
  /** Node `i` no longer needs its parents' outputs (its last possible try has its input). */
  release(i: number): void;
  /** A try of node `i` failed with `error`; try number `attempt` comes next. */
  retrying(i: number, attempt: number, error: Error): void;
  succeeded(i: number, output: object, attempts: number): void;
  failed(i: number, error: NodeExecutionError): void;
  /** Something failed in moirae itself while it ran node `i`'s tries: the run ends with `error`. */
  crashed(error: Error): void;
}

/**
 * The tries of one node: dispatches it, and after a retryable failure waits the policy's backoff and dispatches
 * it again, until it succeeds, runs out of retries or the run ends. A try is plain promise callbacks, no async
 * frame per node (it would hold every local of the retry loop).
 */
export class Attempts {
  private readonly defaultRetries: NormalizedRetries;

  constructor(
    private readonly host: AttemptHost,
    private readonly plan: ExecutionPlan,
    private readonly settings: RunSettings,
    private readonly container: NodeContainer,
    private readonly dispatcher: NodeDispatcher,
  ) {
    this.defaultRetries = normalizeRetries(settings.retries);
  }

  /** Runs node `i` to its end and reports it to the host (unless the run ended first). Never throws. */
  run(i: number): void {
    this.attempt(i, 1);
  }

  /** Try `attempt` of node `i`: its input, then the dispatch, whose end goes to `tried` / `triedAndFailed`. */
  private attempt(i: number, attempt: number): void {
    const { host, plan } = this;
    try {
      const meta = plan.metas[i]!;
      let input: object;
      try {
        input = host.inputOf(i);
      } catch (error) {
        host.failed(i, new NodeExecutionError(plan.names[i]!, attempt, error));
        return;
      }
      if (this.policyOf(i).retries === 0) host.release(i);
      let output: Promise<object>;
      try {
        output = this.dispatcher.dispatch(
          new RunTask({
            name: plan.names[i]!,
            hash: plan.hashes[i]!,
            meta,
            args: plan.nodes[i]!.arguments,
            input,
            attempt,
            timeoutMs: this.timeoutOf(i),
            container: this.container,
            signals: host,
            index: i,
          }),
        );
      } catch (error) {
        this.triedAndFailed(i, attempt, error);
        return;
      }
      Promise.resolve(output).then(
        (value) => this.tried(i, attempt, value),
        (error) => this.safely(() => this.triedAndFailed(i, attempt, error)),
      );
    } catch (internal) {
      host.crashed(toError(internal));
    }
  }

  /** A try gave `output`: the node succeeded (an exception while that is reported fails the try). */
  private tried(i: number, attempt: number, output: object): void {
    const host = this.host;
    if (host.finished) return;
    try {
      host.succeeded(i, output, attempt);
    } catch (error) {
      this.safely(() => this.triedAndFailed(i, attempt, error));
    }
  }

  /** A try failed with `error`: the node fails, or is tried again after the policy's backoff. */
  private triedAndFailed(i: number, attempt: number, error: unknown): void {
    const host = this.host;
    if (host.finished) return;
    const policy = this.policyOf(i);
    if (attempt > policy.retries || !isRetryable(error)) {
      host.failed(i, asNodeError(this.plan.names[i]!, attempt, this.timeoutOf(i), error));
      return;
    }
    host.retrying(i, attempt + 1, toError(error));
    if (host.finished) return;
    void this.retryLater(i, attempt + 1, clampDelay(policy.backoffMs * policy.factor ** (attempt - 1)));
  }

  /**
   * Starts try `attempt` after `delay` ms. Even without a backoff, the next try waits for the event loop: an
   * abort (a timer, a signal handler) must be able to end a node that fails at once however many retries it has.
   */
  private async retryLater(i: number, attempt: number, delay: number): Promise<void> {
    try {
      if (delay > 0) {
        if (!(await abortableDelay(delay, this.host.signalOf(i)))) return;
      } else await nextTurn();
      if (this.host.finished) return;
    } catch (internal) {
      this.host.crashed(toError(internal));
      return;
    }
    this.attempt(i, attempt);
  }

  /** Runs `report`; an exception there is moirae's own failure, which ends the run. */
  private safely(report: () => void): void {
    try {
      report();
    } catch (internal) {
      this.host.crashed(toError(internal));
    }
  }

  private policyOf(i: number): NormalizedRetries {
    const retries = this.plan.metas[i]!.retries;
    return retries === undefined ? this.defaultRetries : normalizeRetries(retries);
  }

  private timeoutOf(i: number): number | undefined {
    return this.plan.metas[i]!.timeoutMs ?? this.settings.timeoutMs;
  }
}

/** Invalid data and definitions fail the same way every time: they are not retried. */
export function isRetryable(error: unknown): boolean {
  return !(
    isInstance(error, NodeOutputError) ||
    isInstance(error, DataValidationError) ||
    isInstance(error, NodeArgumentsError) ||
    isInstance(error, NodeDefinitionError)
  );
}

/**
 * The `NodeExecutionError` a node's final failure is reported as. This try's own timeout stays the
 * `NodeTimeoutError` it is; anything else — a `NodeExecutionError` from a graph the node ran inside, even of a
 * node with the same name, included — becomes the `cause` of a new error naming this node and its tries.
 */
export function asNodeError(
  node: string,
  attempts: number,
  timeoutMs: number | undefined,
  error: unknown,
): NodeExecutionError {
  if (
    isInstance(error, NodeTimeoutError) &&
    error.node === node &&
    error.attempts === attempts &&
    error.timeoutMs === timeoutMs
  ) {
    return error;
  }
  return new NodeExecutionError(node, attempts, error);
}

/** Resolves on the next turn of the event loop, after pending timers and I/O callbacks. */
function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
