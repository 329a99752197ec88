import { PlainFormProblem } from "../cache/plain-form";
import { DataValidationError } from "../errors/data-validation-error";
import { NodeTransferError } from "../errors/node-transfer-error";
import type { NodeTask } from "../execution/node-dispatcher";
import { fingerprintOf } from "../hashing/fingerprint";
import type { NodeMetadata } from "../metadata/types";
import { checkData } from "../validation/validate-data";
import { fromWireData, pack, toWireData, unpack } from "./wire-data";

/** The first element of every encoded task: what it is and the version of its layout. */
const TASK_MAGIC = "moirae.task/1";

/**
 * One try of one node as it travels to another thread or process. Everything in it is data; the far side
 * resolves the node class from its own registry by `nodeName`, after loading `modules` when it is not registered.
 */
export interface RemoteTask {
  /** The node's name in the graph. */
  readonly name: string;
  /** Its topological hash. */
  readonly hash: string;
  /** The registered name of its node class. */
  readonly nodeName: string;
  /** The fingerprint hash of the class on the coordinator; the far side refuses the task when its own differs. */
  readonly fingerprint: string;
  /** Files to load (in order) when `nodeName` is not registered yet: the node's module first. */
  readonly modules: readonly string[];
  /** Resolved, validated arguments. */
  readonly args: Readonly<Record<string, unknown>>;
  /**
   * The input. `decodeTask` returns an instance of the node's input class when it is given the node's metadata,
   * else the input's fields as plain data (Dates, Maps, Sets… restored; nested data classes as plain objects).
   */
  readonly input: object;
  /** The try, counting from 1. */
  readonly attempt: number;
  /** Time limit of this try in ms (undefined: none). */
  readonly timeoutMs: number | undefined;
  /** Trace context (W3C `traceparent`/`tracestate`…) of the coordinator's span, for OpenTelemetry. */
  readonly trace?: Readonly<Record<string, string>>;
}

/** What the coordinator adds to a `NodeTask` when it sends it away. */
export interface EncodeTaskOptions {
  /** More files to load before the node's own module (e.g. a module registering the worker's services). */
  readonly modules?: readonly string[];
  /** Trace context to carry (default: the task's own, `NodeTask.trace`, set when OpenTelemetry tracing is on). */
  readonly trace?: Readonly<Record<string, string>>;
}

/**
 * The bytes of one try of `task` (its class's metadata is `meta`): msgpack, with inputs and arguments in the cache
 * codec's lossless form. Throws `NodeTransferError` when the input or the arguments hold something that is not data.
 */
export function encodeTask(task: NodeTask, meta: NodeMetadata, options: EncodeTaskOptions = {}): Uint8Array {
  return pack(taskMessage(task, meta, options));
}

/**
 * The message `encodeTask` packs: an array of plain data. A transport may send it as JSON instead when
 * `jsonLength` says it survives JSON exactly; `decodeTask` reads either.
 */
export function taskMessage(
  task: NodeTask,
  meta: NodeMetadata,
  options: EncodeTaskOptions = {},
): readonly unknown[] {
  const input = toWireData(task.input, "input");
  if (input instanceof PlainFormProblem)
    throw new NodeTransferError(task.name, "input", input.path, input.reason);
  const args = toWireData(task.args, "arguments");
  if (args instanceof PlainFormProblem)
    throw new NodeTransferError(task.name, "arguments", args.path, args.reason);
  const modules = [...(options.modules ?? [])];
  if (meta.modulePath !== undefined) modules.push(meta.modulePath);
  return [
    TASK_MAGIC,
    {
      name: task.name,
      hash: task.hash,
      nodeName: task.nodeName,
      fingerprint: fingerprintOf(meta).hash,
      modules,
      attempt: task.attempt,
      timeoutMs: task.timeoutMs ?? null,
      trace: options.trace ?? task.trace ?? null,
    },
    input,
    args,
  ];
}

/**
 * The task `encodeTask` wrote (or its message, `taskMessage`, as it came back from JSON). With `meta` (the node
 * class's metadata on this side), `input` is a validated instance of its input class (`DataValidationError` when
 * it does not fit the class as declared here). Throws a `TypeError` for bytes that are not a moirae task.
 */
export function decodeTask(encoded: Uint8Array | readonly unknown[], meta?: NodeMetadata): RemoteTask {
  const message = encoded instanceof Uint8Array ? unpack(encoded) : encoded;
  if (!Array.isArray(message) || message[0] !== TASK_MAGIC || message.length !== 4) {
    throw new TypeError(`the bytes are not a ${TASK_MAGIC} message`);
  }
  const header = message[1] as Record<string, unknown>;
  const task: RemoteTask = {
    name: String(header.name),
    hash: String(header.hash),
    nodeName: String(header.nodeName),
    fingerprint: String(header.fingerprint),
    modules: Array.isArray(header.modules) ? header.modules.map(String) : [],
    attempt: Number(header.attempt),
    timeoutMs: typeof header.timeoutMs === "number" ? header.timeoutMs : undefined,
    ...(header.trace ? { trace: header.trace as Record<string, string> } : {}),
    input: fromWireData(message[2]),
    args: fromWireData(message[3]),
  };
  return meta ? { ...task, input: inputInstance(task, meta) } : task;
}

/** `task.input` as a validated instance of the input class of `meta`. */
export function inputInstance(task: RemoteTask, meta: NodeMetadata): object {
  if (task.input instanceof meta.input) return task.input;
  const checked = checkData(meta.input, task.input);
  if (!checked.ok) throw new DataValidationError(meta.input.name, checked.issues, task.name, "input");
  return checked.value;
}
