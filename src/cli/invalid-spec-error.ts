import type { GraphValidationError } from "../errors/graph-validation-error";
import { MoiraeError } from "../errors/moirae-error";

/** A spec given to `run`, `graph` or `explain` is invalid; `lines` are its problems, located in the file. */
export class InvalidSpecError extends MoiraeError {
  constructor(
    readonly lines: readonly string[],
    cause: GraphValidationError,
  ) {
    super(lines.join("\n"), { cause });
  }
}
