import { UnhashableValueError } from "../errors/unhashable-value-error";
import { canonicalEncode, canonicalRecord, fieldPath } from "../hashing/canonical";
import { type FieldInfo, readFields } from "../metadata/describe-node";
import type { NodeMetadata } from "../metadata/types";
import { didYouMean } from "../util/suggest";
import { kindOf } from "../validation/validate-data";
import type { ProblemSink } from "./draft";
import type { Reference } from "./graph-node";
import { parseInput } from "./reference";
import { isLiteralOfType } from "./type-check";

/** A node's inputs split into literals (escapes undone, with their canonical text) and references. */
export interface CheckedInputs {
  readonly inputFields: readonly FieldInfo[];
  readonly literals: Record<string, unknown>;
  readonly canonicalInputs: string;
  readonly references: Record<string, Reference>;
}

/**
 * Checks a node's inputs against its input class: every declared field given (or optional), nothing unknown,
 * references well-formed, literals of the declared type and hashable.
 */
export function checkInputs(
  name: string,
  meta: NodeMetadata,
  given: Readonly<Record<string, unknown>> | undefined,
  problem: ProblemSink,
): CheckedInputs {
  const inputFields = readFields(meta.input, "input");
  const literals: Record<string, unknown> = {};
  const encoded: Record<string, string> = {};
  const references: Record<string, Reference> = {};
  if (given !== undefined) {
    const fieldNames = inputFields.map((f) => f.name);
    for (const key of Object.keys(given)) {
      if (fieldNames.includes(key)) continue;
      problem(
        `${name}.inputs.${key}`,
        "unknown-input",
        `${meta.input.name} has no field "${key}" (fields: ${fieldNames.join(", ") || "none"})${didYouMean(key, fieldNames, 1)}`,
      );
    }
    for (const field of inputFields) {
      const path = `${name}.inputs.${field.name}`;
      if (!(field.name in given) || given[field.name] === undefined) {
        if (!field.optional) {
          problem(
            path,
            "missing-input",
            `input field "${field.name}" (${field.type}) of ${meta.input.name} is not given.`,
          );
        }
        continue;
      }
      const parsed = parseInput(given[field.name]);
      if (parsed.kind === "reference") references[field.name] = parsed.reference;
      else if (parsed.kind === "invalid") {
        problem(
          parsed.path ? `${path}${parsed.path.startsWith("[") ? "" : "."}${parsed.path}` : path,
          "invalid-reference",
          `${JSON.stringify(parsed.text)} is neither a reference nor a literal: a reference is exactly "\${node.field}"; ` +
            `to write a literal "\${", escape it as "$\${".`,
        );
      } else if (!isLiteralOfType(parsed.value, field)) {
        problem(
          path,
          "invalid-literal",
          `${kindOf(parsed.value)} literal cannot feed input field "${field.name}" of type ${field.type}.`,
        );
      } else {
        try {
          encoded[field.name] = canonicalEncode(parsed.value, fieldPath(`${name}.inputs`, field.name));
          literals[field.name] = parsed.value;
        } catch (error) {
          if (!(error instanceof UnhashableValueError)) throw error;
          problem(error.path, "unhashable", `${error.reason}. Inputs must be plain data.`);
        }
      }
    }
  }
  return { inputFields, literals, canonicalInputs: canonicalRecord(encoded), references };
}
