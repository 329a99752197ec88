import { container as globalContainer } from "tsyringe";
import { DataValidationError } from "../errors/data-validation-error";
import { ExecutionOptionsError } from "../errors/execution-options-error";
import { NodeDefinitionError } from "../errors/node-definition-error";
import { classNameOf, getMetadataStore } from "../metadata/metadata-store";
import type { NodeContainer } from "../metadata/node-container";
import type { NodeClass } from "../metadata/types";
import { checkTimeLimit, describeOption } from "../util/time-limit";
import { resolveArguments } from "../validation/resolve-arguments";
import { checkData } from "../validation/validate-data";
import { invokeNode } from "./invoke-node";

/** Options of `runNode`. */
export interface RunNodeOptions {
  /** The node's arguments (validated; defaults fill in the rest). */
  args?: Record<string, unknown>;
  /** Where the node and its constructor services are resolved from (default: tsyringe's root container). */
  container?: NodeContainer;
  /** Aborts the run: `execute` sees `ctx.signal` fire and `runNode` rejects with `ExecutionAbortedError`. */
  signal?: AbortSignal;
  /**
   * Time limit in ms (default: the node's `@Node({ timeoutMs })`, else none; above 2^31 − 1 ms, `Infinity`
   * included, none). Anything but a positive number is an `ExecutionOptionsError`.
   */
  timeoutMs?: number;
}

/** The output type a node class's `execute` resolves to. */
export type OutputOf<C extends NodeClass> = Exclude<
  Awaited<ReturnType<InstanceType<C>["execute"]>>,
  undefined
>;

/** The first parameter of a node class's `execute`. */
export type InputOf<C extends NodeClass> = Parameters<InstanceType<C>["execute"]>[0];

/**
 * Runs one node alone — the way to unit-test a node. Validates `input` (a plain object or an instance),
 * constructs the node through the DI container, assigns and validates its arguments, calls
 * `execute(input, ctx)` and validates the result into a new instance of the node's output class.
 *
 * The caller's input is never modified and the returned output is not shared with the node. Rejects with
 * `DataValidationError` (bad input), `NodeArgumentsError`, `NodeOutputError` (bad result),
 * `NodeTimeoutError`, `ExecutionAbortedError`, or the error the node threw.
 *
 * @example
 * const out = await runNode(AddMul, { x: 1, y: 2 }, { args: { coef: 2 } }); // AddOutput { o: 6 }
 */
export async function runNode<C extends NodeClass>(
  nodeClass: C,
  input: InputOf<C> | Record<string, unknown>,
  options: RunNodeOptions = {},
): Promise<OutputOf<C>> {
  const meta = getMetadataStore().nodeByClass(nodeClass);
  if (!meta) {
    throw new NodeDefinitionError(classNameOf(nodeClass), [
      "it is not a registered node class. Decorate it with @Node({ input, output }).",
    ]);
  }
  if (options === null || typeof options !== "object") {
    throw new ExecutionOptionsError("options", `must be an object, got ${describeOption(options)}.`);
  }
  const timeoutProblem = checkTimeLimit(options.timeoutMs);
  if (timeoutProblem) throw new ExecutionOptionsError("timeoutMs", timeoutProblem);
  if (options.signal !== undefined && !(options.signal instanceof AbortSignal)) {
    throw new ExecutionOptionsError("signal", "must be an AbortSignal (from an AbortController).");
  }
  const container = options.container ?? globalContainer;
  const checked = checkData(meta.input, input);
  if (!checked.ok) throw new DataValidationError(meta.input.name, checked.issues, meta.name, "input");
  const defaults = await container.resolve(meta.target as new () => object);
  const args = resolveArguments(meta.name, meta.target, options.args, defaults);
  const output = await invokeNode({
    name: meta.name,
    hash: "",
    meta,
    container,
    args,
    input: checked.value,
    attempt: 1,
    signal: options.signal,
    timeoutMs: options.timeoutMs ?? meta.timeoutMs,
  });
  return output as OutputOf<C>;
}
