import { MoiraeError } from "./moirae-error";

const DATA_ONLY =
  "Cached outputs hold data only: numbers, strings, booleans, null, bigints, arrays, plain objects and " +
  "data-class instances, Dates, Maps, Sets, Buffers and typed arrays.";

/**
 * An output could not be turned into cache bytes: it holds something that is not data (a function, a symbol, a
 * cycle, a Promise…), or the codec was given a fingerprint that is not a node fingerprint hash. `path` names the
 * offending value (`output.items[2].fn`). The executor reports it as a `cache:error` event; the run goes on
 * with the output, which is just not cached.
 */
export class CacheEncodeError extends MoiraeError {
  /** What cannot be encoded and why, one clause without a final period. */
  readonly reason: string;
  /** The name of the output class being encoded. */
  readonly outputClass: string;
  /** Where in the output the offending value is (`output.items[2].fn`); undefined when the value is not at fault. */
  readonly path: string | undefined;

  constructor(reason: string, outputClass: string, options: { path?: string; cause?: unknown } = {}) {
    const { path, cause } = options;
    super(
      path === undefined
        ? `Cannot cache this ${outputClass}: ${reason}.`
        : `Cannot cache this ${outputClass}: ${path} ${reason}. ${DATA_ONLY}`,
      { cause },
    );
    this.reason = reason;
    this.outputClass = outputClass;
    this.path = path;
  }
}
