/** Any class. */
export type Class<T = object> = abstract new (...args: any[]) => T;

/** A class constructible with `new` (data classes must be). */
export type ConcreteClass<T = object> = new (...args: any[]) => T;

/** Retry policy: `n` means up to n retries after the first try. */
export type RetryPolicy = number | { attempts: number; backoffMs?: number; factor?: number };

/** Options of `@Node(...)`. */
export interface NodeOptions {
  /** The `@Input()` class of the node. */
  input: ConcreteClass;
  /** The `@Output()` class of the node. */
  output: ConcreteClass;
  /** Name in `NODES` and in graph specs; defaults to the class name. */
  name?: string;
  /** A manual cache-buster: changing it changes the node's hash. */
  version?: string | number;
  /** Time limit of one try of `execute`, in milliseconds (wins over the run's `timeoutMs`). */
  timeoutMs?: number;
  /** Retries after a failed try (wins over the run's `retries`). */
  retries?: RetryPolicy;
  /**
   * Run this node's tries in a pool of worker threads (piscina), so CPU-bound nodes use every core and a try that
   * never yields can still be stopped by its timeout or an abort. Its input, arguments and output cross the thread
   * boundary as data; its services come from the thread's own container. See docs/threads.md.
   */
  thread?: boolean;
}

/** What `@Node` records about a node class. */
export interface NodeMetadata {
  readonly target: Class;
  readonly name: string;
  readonly version?: string | number;
  readonly input: ConcreteClass;
  readonly output: ConcreteClass;
  readonly timeoutMs?: number;
  readonly retries?: RetryPolicy;
  /**
   * The file of the module that applied `@Node` (an absolute path to the file the process loaded, e.g. the
   * compiled `.js`), recorded when the decorator ran; worker threads and worker processes load it to find the
   * class. Undefined when the class was not defined in a file (eval, REPL).
   */
  readonly modulePath?: string;
  /** Whether its tries run in worker threads. */
  readonly thread?: boolean;
}

/** A class decorated with `@Node`. */
export type NodeClass<TIn extends object = any, TOut extends object = any> = ConcreteClass<{
  execute(
    input: TIn,
    ctx: import("../execution/node-context").NodeContext,
  ): Promise<TOut | object> | TOut | object;
}>;
