import type { NodeMetadata } from "../metadata/types";
import type { CheckedArguments } from "./check-arguments";
import type { InputShape } from "./check-inputs";
import type { Reference } from "./graph-node";

/**
 * A node that passed the per-node checks but cannot be hashed yet, with what its hash and plan need: one whose
 * references name nodes later in the spec, or whose parents wait themselves. Nodes listed after their parents
 * (the usual spec) are hashed as they are checked and never become drafts.
 */
export interface Draft {
  readonly meta: NodeMetadata;
  /** Resolved arguments and their canonical text (undefined when they had problems). */
  readonly args: CheckedArguments | undefined;
  /** Literal inputs (frozen) and their canonical text. */
  readonly literals: Readonly<Record<string, unknown>>;
  readonly canonicalInputs: string;
  readonly shape: InputShape;
  /** By input field index: the reference text given (undefined for a literal) and where its dot is. */
  readonly referenceTexts: readonly (string | undefined)[];
  readonly referenceDots: readonly number[];
  /** The checked references (frozen), once every reference is known good. */
  references: Readonly<Record<string, Reference>> | undefined;
}
