import { injectable } from "tsyringe";
import { NodeDefinitionError } from "../errors/node-definition-error";
import { readFields } from "../metadata/describe-node";
import { classNameOf, type DataKind, getMetadataStore } from "../metadata/metadata-store";
import { checkRetries } from "../metadata/retry-policy";
import type { Class, NodeMetadata, NodeOptions } from "../metadata/types";
import { callerModulePath } from "../remote/module-path";
import { checkTimeLimit } from "../util/time-limit";

/**
 * Marks a class as a node: registers it in `NODES` under `name` (default: the class name) and makes it
 * injectable, so its constructor services come from the DI container. Properties carrying class-validator
 * decorators are the node's arguments.
 *
 * It records the file of the module applying it (the first frame of the call stack outside moirae and decorator
 * helpers), so worker threads and processes can load the class.
 *
 * Throws `NodeDefinitionError` — and registers nothing — when `input`/`output` are not `@Input()`/`@Output()`
 * classes, `execute` is missing, the name is taken by another class, or a field's type cannot be reflected.
 *
 * @example
 * @Node({ input: AddInput, output: AddOutput })
 * class AddMul {
 *   @IsInt() coef = 1;
 *   async execute(input: AddInput): Promise<AddOutput> {
 *     return { o: this.coef * (input.x + input.y) };
 *   }
 * }
 */
export function Node(options: NodeOptions): ClassDecorator {
  return (target) => {
    const className = classNameOf(target);
    const problems: string[] = [];
    if (options === null || typeof options !== "object") {
      throw new NodeDefinitionError(className, ["@Node needs an options object: @Node({ input, output })."]);
    }
    const store = getMetadataStore();
    const checkData = (kind: DataKind, decorator: string) => {
      const cls = options[kind];
      if (cls === undefined) problems.push(`@Node options have no "${kind}": give the ${decorator} class.`);
      else if (!store.isDataClass(cls, kind)) {
        problems.push(
          `"${kind}" must be a class decorated with ${decorator}, but ${describeValue(cls)} is not. ` +
            `Add ${decorator} to it.`,
        );
      }
    };
    checkData("input", "@Input()");
    checkData("output", "@Output()");
    if (typeof target.prototype?.execute !== "function") {
      problems.push(
        "it has no execute(input, ctx) method. Add `async execute(input, ctx) { … }` returning the output.",
      );
    }
    const name = options.name ?? target.name;
    const modulePath = callerModulePath();
    if (typeof name !== "string" || name.length === 0) {
      problems.push('it has no name: give @Node({ name: "…" }) a non-empty string.');
    } else {
      const existing = store.nodeByName(name);
      if (
        existing &&
        existing.target !== (target as unknown as Class) &&
        !isReevaluation(existing, target, modulePath)
      ) {
        const other = classNameOf(existing.target);
        problems.push(
          `the node name "${name}" is already registered by ${other === className ? "another class named " : "class "}${other}. ` +
            `Give one of them its own name: @Node({ name: "${name}2", … }).`,
        );
      }
    }
    if (
      options.version !== undefined &&
      typeof options.version !== "string" &&
      typeof options.version !== "number"
    ) {
      problems.push("version must be a string or a number.");
    }
    const timeoutProblem = checkTimeLimit(options.timeoutMs);
    if (timeoutProblem) problems.push(`timeoutMs ${timeoutProblem}`);
    if (options.thread !== undefined && typeof options.thread !== "boolean") {
      problems.push("thread must be true or false.");
    }
    if (options.thread === true && modulePath === undefined) {
      problems.push(
        "it runs in worker threads (thread: true), but it is not defined in a module file moirae can load " +
          "there (code run by eval, the REPL or node -e has none). Define it at the top level of a .js/.ts module.",
      );
    }
    const retryProblem = checkRetries(options.retries);
    if (retryProblem) problems.push(retryProblem);
    try {
      readFields(target, "argument");
    } catch (error) {
      if (error instanceof NodeDefinitionError) problems.push(...error.problems);
      else throw error;
    }
    if (problems.length) throw new NodeDefinitionError(className, problems);

    injectable()(target as never);
    store.addNode({
      target: target as unknown as Class,
      name,
      version: options.version,
      input: options.input,
      output: options.output,
      timeoutMs: options.timeoutMs,
      retries: options.retries,
      modulePath,
      ...(options.thread === true ? { thread: true } : {}),
    });
    evaluations.set(target, evaluationOf(modulePath));
  };
}

/** The module record (`require.cache` entry) that was being evaluated when each node class was decorated. */
const evaluations = new WeakMap<Function, object | undefined>();

function evaluationOf(modulePath: string | undefined): object | undefined {
  return modulePath === undefined ? undefined : require.cache[modulePath];
}

/**
 * Whether `target` is `existing` defined again by a re-evaluated module (hot reload, `jest.resetModules`,
 * `delete require.cache[…]`): the same class name from the same file, in a new evaluation of it. A second
 * class of that name made during the same evaluation (a factory called twice) is not.
 */
function isReevaluation(existing: NodeMetadata, target: Function, modulePath: string | undefined): boolean {
  if (modulePath === undefined || existing.modulePath !== modulePath) return false;
  if (existing.target.name !== target.name) return false;
  const before = evaluations.get(existing.target);
  return before === undefined || before !== evaluationOf(modulePath);
}

function describeValue(value: unknown): string {
  if (typeof value === "function") return value.name || "(anonymous class)";
  return JSON.stringify(value) ?? String(value);
}
