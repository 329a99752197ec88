import type { NodeTask } from "../execution/node-dispatcher";

/**
 * The data of a BullMQ job that carries one try of one node. BullMQ stores it as JSON: a task whose values survive
 * JSON exactly (strings, finite numbers, booleans, null, arrays, plain objects) travels as its message, as it is;
 * another as its msgpack bytes in base64; either, above the inline limit, as bytes under a key of their own
 * (`QueueKeys.input`). The other fields are there for people looking at the queue (dashboards, `redis-cli`) and
 * for the worker's reports; the worker runs only the task.
 */
export interface TaskJobData {
  /** The graph node. */
  readonly node: string;
  /** Its topological hash (not repeated here when the task travels as JSON: its message shows it). */
  readonly hash?: string;
  /** The try, counting from 1 (not repeated here when the task travels as JSON). */
  readonly attempt?: number;
  /** The coordinator that dispatched it (`"host:pid"`). */
  readonly coordinator: string;
  /** The task's message (`taskMessage`), when it travels inline as JSON. */
  readonly message?: readonly unknown[];
  /** The encoded task (base64), when it travels inline as bytes. */
  readonly task?: string;
  /** Otherwise the key holding its bytes. */
  readonly taskKey?: string;
}

/** What a worker returns for a try that produced an output (the job's return value, JSON). */
export interface TaskJobResult {
  /** Who ran it: `"host:pid"`. */
  readonly worker: string;
  /** The output's message (`outputMessage`), when it travels inline as JSON. */
  readonly output?: readonly unknown[];
  /** The encoded result (base64), when it travels inline as bytes. */
  readonly result?: string;
  /** Otherwise the key holding its bytes. */
  readonly resultKey?: string;
}

/** The Node.js Buffer over `bytes` (no copy). */
export function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** The hash and try of a job's task: from the job's data, or from the header of its message. */
export function hashAndAttempt(data: TaskJobData): { hash: string; attempt: number } {
  const header = (data.message?.[1] ?? {}) as { hash?: unknown; attempt?: unknown };
  return {
    hash: String(data.hash ?? header.hash ?? ""),
    attempt: Number(data.attempt ?? header.attempt ?? 0),
  };
}

/** The job of one try: its task travels as `payload` (`message`, `task` or `taskKey`). */
export function taskJobData(
  task: Pick<NodeTask, "name" | "hash" | "attempt">,
  coordinator: string,
  payload: Pick<TaskJobData, "message" | "task" | "taskKey">,
): TaskJobData {
  // a task travelling as JSON shows its hash and try in its message: not repeated in the job's fields
  if (payload.message) return { node: task.name, coordinator, message: payload.message };
  return { node: task.name, hash: task.hash, attempt: task.attempt, coordinator, ...payload };
}
