import type { NodeMetadata } from "../metadata/types";
import type { ExecutionEventType } from "./execution-event";

/** The node a cache step is about. */
export interface CacheSubject {
  /** The node's name in the graph. */
  readonly name: string;
  /** Its topological hash: the cache key. */
  readonly hash: string;
  /** Its metadata (`meta.output` is the class a cached value must validate against). */
  readonly meta: NodeMetadata;
}

/** Reports a cache event (`cache:hit`, `cache:miss`, `cache:error`) for the subject node. */
export type CacheEventSink = (type: ExecutionEventType, error?: Error) => void;

/**
 * The cache step of the per-node pipeline: `lookup` before a node runs, `store` after it ran. Equal hashes
 * within a run share one pass through the pipeline (single-flight), so each hash is looked up and stored at
 * most once per run. Neither method may reject: a failing cache counts as a miss and reports `cache:error`.
 * The run settles only after every `store` promise has.
 */
export interface OutputCache {
  /** `false` skips both steps (no promise, no await on the hot path). */
  readonly enabled: boolean;
  /**
   * The output stored under the subject's hash, decoded and validated, or undefined on a miss. When `signal`
   * aborts (the run ended), it stops waiting at once and resolves to undefined, reporting nothing.
   */
  lookup(subject: CacheSubject, report: CacheEventSink, signal?: AbortSignal): Promise<object | undefined>;
  /** Stores the output the subject just produced; when `signal` aborts, it stops waiting and reports nothing. */
  store(subject: CacheSubject, output: object, report: CacheEventSink, signal?: AbortSignal): Promise<void>;
}

/** No cache: every node runs. */
export const NO_CACHE: OutputCache = Object.freeze({
  enabled: false,
  lookup: async () => undefined,
  store: async () => {},
});
