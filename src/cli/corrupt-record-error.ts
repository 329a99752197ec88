import { MoiraeError } from "../errors/moirae-error";

/**
 * A run record in a cache's `meta/` folder (`last-run.json`) cannot be used: it is not JSON, or not the shape
 * `moirae run` writes. The CLI prints the file, what is wrong and how to fix it, and exits with `ExitCode.Failure`.
 */
export class CorruptRecordError extends MoiraeError {
  constructor(
    /** The record file. */
    readonly file: string,
    /** What is wrong with it. */
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(
      `the run record ${file} is corrupt: ${reason}. Run the graph again with this cache directory to rewrite ` +
        "it, or delete the file.",
      options,
    );
  }
}
