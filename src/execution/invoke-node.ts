import { ExecutionAbortedError } from "../errors/execution-aborted-error";
import { NodeOutputError } from "../errors/node-output-error";
import { NodeTimeoutError } from "../errors/node-timeout-error";
import { SharedNodeInstanceError } from "../errors/shared-node-instance-error";
import type { NodeContainer } from "../metadata/node-container";
import type { NodeMetadata } from "../metadata/types";
import { copyArguments } from "../util/copy-arguments";
import { isThenable } from "../util/is-thenable";
import { timerDelay } from "../util/time-limit";
import { checkData } from "../validation/validate-data";
import type { NodeContext } from "./node-context";

/**
 * Everything needed to run one try of one node, wherever it runs. The scheduler's `RunTask` is one (and a
 * `NodeTask`); `runNode`, a dispatcher given another kind of task, and a remote worker make one.
 */
export interface Invocation {
  /** Graph node name (or the class's registered name under `runNode`). */
  readonly name: string;
  readonly hash: string;
  readonly meta: NodeMetadata;
  readonly container: NodeContainer;
  /** Resolved, validated arguments. */
  readonly args: Readonly<Record<string, unknown>>;
  /** A validated input instance of its own (not shared with any other node). */
  readonly input: object;
  readonly attempt: number;
  /** Aborting it aborts the try (`ExecutionAbortedError`). */
  readonly signal?: AbortSignal;
  /** Limit of this try in ms (none when undefined or above 2^31 − 1). */
  readonly timeoutMs?: number;
  /**
   * Whether the returned promise rejects as soon as `signal` aborts, even if the node ignores it (default:
   * true, as `runNode` needs). The scheduler stops waiting by itself, so it passes `false`: then, without a
   * time limit, `signal` is read only if the node reads `ctx.signal`.
   */
  readonly settleOnAbort?: boolean;
}

/**
 * Runs one try of a node: constructs it through the container, assigns its arguments, calls `execute` with a
 * context whose signal fires on abort or timeout, and validates what it returns. Rejects with
 * `ExecutionAbortedError`, `NodeTimeoutError`, `NodeOutputError` or the node's own error. A node that ignores
 * its signal does not delay the rejection.
 */
export function invokeNode(inv: Invocation): Promise<object> {
  if (timerDelay(inv.timeoutMs) === undefined && inv.settleOnAbort === false) return invokeDirect(inv);
  return invokeWatched(inv);
}

/**
 * One try without a time limit, nothing watched: `ctx.signal` is the invocation's, read on demand. A node whose
 * `execute` returns a value rather than a promise costs no extra promise.
 */
function invokeDirect(inv: Invocation): Promise<object> {
  let result: unknown;
  try {
    const node = inv.container.resolve(inv.meta.target as NodeConstructor);
    if (isThenable(node)) return Promise.resolve(node).then((resolved) => executeDirect(inv, resolved));
    result = claim(inv, node).execute(inv.input, new DirectContext(inv));
    if (!isThenable(result)) return Promise.resolve(checkOutput(inv, result));
  } catch (error) {
    return Promise.reject(error);
  }
  return Promise.resolve(result).then((value) => checkOutput(inv, value));
}

/** `invokeDirect` after a container resolved the node asynchronously. */
async function executeDirect(inv: Invocation, node: RunnableNode): Promise<object> {
  return checkOutput(inv, await claim(inv, node).execute(inv.input, new DirectContext(inv)));
}

type RunnableNode = { execute(input: object, ctx: NodeContext): unknown };
type NodeConstructor = new () => RunnableNode;

/** Marks a node instance a try has used: a container handing it back again registers the class as a singleton. */
const USED: unique symbol = Symbol("moirae.used-by-a-try");
/** Used instances that cannot take the mark (frozen or sealed). */
const usedSealed = new WeakSet<object>();

/** Makes `node` this try's own: refuses an instance an earlier try used, then assigns the arguments. */
function claim(inv: Invocation, node: RunnableNode): RunnableNode {
  const marked = node as RunnableNode & { [USED]?: true };
  if (Object.isExtensible(node)) {
    if (marked[USED] === true) throw new SharedNodeInstanceError(inv.meta.target.name);
    marked[USED] = true;
  } else {
    if (usedSealed.has(node)) throw new SharedNodeInstanceError(inv.meta.target.name);
    usedSealed.add(node);
  }
  Object.assign(node, copyArguments(inv.args));
  return node;
}

/** The context of `invokeDirect`: its signal is taken from the invocation on first use. */
class DirectContext implements NodeContext {
  readonly name: string;
  readonly hash: string;
  readonly attempt: number;
  readonly #inv: Invocation;

  constructor(inv: Invocation) {
    this.name = inv.name;
    this.hash = inv.hash;
    this.attempt = inv.attempt;
    this.#inv = inv;
  }

  get signal(): AbortSignal {
    return this.#inv.signal ?? new AbortController().signal;
  }
}

async function invokeWatched(inv: Invocation): Promise<object> {
  const parent = inv.signal;
  const timeoutMs = timerDelay(inv.timeoutMs);
  if (parent?.aborted) throw ExecutionAbortedError.of(parent.reason);
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  let onParentAbort: (() => void) | undefined;
  const interrupted = new Promise<never>((_, reject) => {
    if (parent) {
      onParentAbort = () => {
        const error = ExecutionAbortedError.of(parent.reason);
        controller.abort(error);
        reject(error);
      };
      parent.addEventListener("abort", onParentAbort, { once: true });
    }
    if (timeoutMs !== undefined) {
      timer = setTimeout(() => {
        const error = new NodeTimeoutError(inv.name, timeoutMs, inv.attempt);
        controller.abort(error);
        reject(error);
      }, timeoutMs);
    }
  });
  interrupted.catch(() => {});
  try {
    let node = inv.container.resolve(inv.meta.target as NodeConstructor);
    if (isThenable(node)) node = await (parent || timer ? Promise.race([node, interrupted]) : node);
    claim(inv, node);
    const ctx: NodeContext = {
      name: inv.name,
      hash: inv.hash,
      signal: controller.signal,
      attempt: inv.attempt,
    };
    const running = Promise.resolve(node.execute(inv.input, ctx));
    const result = parent || timer ? await Promise.race([running, interrupted]) : await running;
    return checkOutput(inv, result);
  } finally {
    if (timer) clearTimeout(timer);
    if (onParentAbort) parent!.removeEventListener("abort", onParentAbort);
  }
}

/** Validates a node's result into a new instance of its output class (`NodeOutputError` when it is wrong). */
export function checkOutput(inv: Pick<Invocation, "name" | "meta">, result: unknown): object {
  const checked = checkData(inv.meta.output, result);
  if (checked.ok) return checked.value;
  throw new NodeOutputError(inv.name, inv.meta.target.name, inv.meta.output.name, checked.issues);
}
