import { MoiraeError } from "./moirae-error";

/**
 * A node or data class is defined wrongly (missing `input`/`output`, no `execute`, duplicate name, a field whose
 * type cannot be reflected…). Thrown by the decorators; the class is not registered.
 */
export class NodeDefinitionError extends MoiraeError {
  constructor(
    /** The class whose definition is wrong. */
    readonly className: string,
    /** What is wrong, one sentence each. */
    readonly problems: readonly string[],
  ) {
    super(
      problems.length === 1
        ? `Invalid definition of ${className}: ${problems[0]}`
        : `Invalid definition of ${className}:\n${problems.map((p) => `  - ${p}`).join("\n")}`,
    );
  }
}
