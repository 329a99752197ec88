import type { UnhashableValueError } from "../errors/unhashable-value-error";
import { ValueTooDeepError } from "../errors/value-too-deep-error";
import type { FieldInfo } from "../metadata/describe-node";
import type { NodeMetadata } from "../metadata/types";
import type { Reference } from "./graph-node";

/** Records one problem of the node being checked: where in the spec, a stable code, and what to do. */
export type ProblemSink = (path: string, code: string, message: string) => void;

/** A node that passed the per-node checks, waiting for references, ordering and hashing. */
export interface Draft {
  readonly name: string;
  readonly meta: NodeMetadata;
  readonly inputFields: readonly FieldInfo[];
  readonly args: Readonly<Record<string, unknown>>;
  readonly canonicalArgs: string;
  readonly literals: Record<string, unknown>;
  readonly canonicalInputs: string;
  readonly references: Record<string, Reference>;
  /** Position among the drafts. */
  id: number;
  /** The checked references, sorted by input field, with the parent's draft. */
  readonly upstream: { input: string; reference: Reference; parent: Draft }[];
  /** Set once the node is hashed. */
  hash: string;
}

/** The issue code of a value that cannot be hashed: `too-deep` past the depth limit, else `unhashable`. */
export function unhashableCode(error: UnhashableValueError): string {
  return error instanceof ValueTooDeepError ? "too-deep" : "unhashable";
}
