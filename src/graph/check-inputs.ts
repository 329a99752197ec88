import { MAX_VALUE_DEPTH } from "../constants";
import { UnhashableValueError } from "../errors/unhashable-value-error";
import { canonicalEncode, canonicalRecordPart, fieldPath } from "../hashing/canonical";
import { type FieldInfo, readFields } from "../metadata/describe-node";
import type { NodeMetadata } from "../metadata/types";
import { quoted } from "../util/excerpt";
import { suggestAll } from "../util/suggest";
import { kindOf } from "../validation/validate-data";
import { type ProblemSink, unhashableCode } from "./draft";
import type { Reference } from "./graph-node";
import { parseInput, parseReference } from "./reference";
import { isLiteralOfType } from "./type-check";

/** A node's inputs split into literals (escapes undone, with their canonical text) and references. */
export interface CheckedInputs {
  readonly inputFields: readonly FieldInfo[];
  readonly literals: Record<string, unknown>;
  readonly canonicalInputs: string;
  readonly references: Record<string, Reference>;
}

/** What the checks need of an input class, computed once per class. */
interface InputShape {
  readonly fields: readonly FieldInfo[];
  readonly names: readonly string[];
  readonly known: ReadonlySet<string>;
  /** Field indexes in canonical (sorted) key order, with each field name's canonical text. */
  readonly sorted: readonly number[];
  readonly keyTexts: readonly string[];
}

const shapes = new WeakMap<Function, InputShape>();

function shapeOf(inputClass: Function): InputShape {
  let shape = shapes.get(inputClass);
  if (shape === undefined) {
    const fields = readFields(inputClass, "input");
    const names = fields.map((f) => f.name);
    const sorted = names
      .map((_, i) => i)
      .sort((a, b) => (names[a]! < names[b]! ? -1 : names[a]! > names[b]! ? 1 : 0));
    shape = { fields, names, known: new Set(names), sorted, keyTexts: names.map(canonicalRecordPart) };
    shapes.set(inputClass, shape);
  }
  return shape;
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
  const shape = shapeOf(meta.input);
  const { fields } = shape;
  const literals: Record<string, unknown> = {};
  const references: Record<string, Reference> = {};
  if (given === undefined) return { inputFields: fields, literals, canonicalInputs: "{}", references };
  for (const key in given) {
    if (shape.known.has(key) || !Object.hasOwn(given, key)) continue;
    const close = suggestAll(key, shape.names, 1);
    problem(
      `${name}.inputs.${key}`,
      "unknown-input",
      `${meta.input.name} has no field ${quoted(key)} (fields: ${shape.names.join(", ") || "none"})${close.length ? `; did you mean "${close[0]}"?` : "."}`,
    );
  }
  const encoded: (string | undefined)[] = new Array(fields.length);
  for (let i = 0; i < fields.length; i++) {
    const field = fields[i]!;
    const value = given[field.name];
    if (value === undefined) {
      if (!field.optional) {
        problem(
          `${name}.inputs.${field.name}`,
          "missing-input",
          `input field "${field.name}" (${field.type}) of ${meta.input.name} is not given.`,
        );
      }
      continue;
    }
    if (typeof value === "number" || typeof value === "boolean" || value === null) {
      // The usual literal: nothing to parse, copy or fail to hash.
      if (isLiteralOfType(value, field)) {
        literals[field.name] = value;
        encoded[i] = canonicalEncode(value);
      } else invalidLiteral(name, field, value, problem);
      continue;
    }
    if (typeof value === "string") {
      const reference = parseReference(value);
      if (reference !== undefined) {
        references[field.name] = reference;
        continue;
      }
    }
    const path = `${name}.inputs.${field.name}`;
    const parsed = parseInput(value, path);
    if (parsed.kind === "reference") references[field.name] = parsed.reference;
    else if (parsed.kind === "invalid") {
      problem(
        parsed.path,
        "invalid-reference",
        `${quoted(parsed.text)} is neither a reference nor a literal: a reference is exactly "\${node.field}"; ` +
          `to write a literal "\${", escape it as "$\${".`,
      );
    } else if (parsed.kind === "problem") {
      const { code, reason } = parsed.problem;
      problem(
        parsed.problem.path,
        code === "too-deep" ? "too-deep" : "unhashable",
        `${reason}. Inputs must be plain data.`,
      );
    } else if (!isLiteralOfType(parsed.value, field)) {
      invalidLiteral(name, field, parsed.value, problem);
    } else {
      try {
        encoded[i] = canonicalEncode(
          parsed.value,
          fieldPath(`${name}.inputs`, field.name),
          MAX_VALUE_DEPTH - 1,
        );
        literals[field.name] = parsed.value;
      } catch (error) {
        if (!(error instanceof UnhashableValueError)) throw error;
        problem(error.path, unhashableCode(error), `${error.reason}. Inputs must be plain data.`);
      }
    }
  }
  // The canonical text of the literals object, from the encoded fields in key order.
  let canonicalInputs = "{";
  for (const i of shape.sorted)
    if (encoded[i] !== undefined) canonicalInputs += shape.keyTexts[i]! + encoded[i]!;
  canonicalInputs += "}";
  return { inputFields: fields, literals, canonicalInputs, references };
}

function invalidLiteral(name: string, field: FieldInfo, value: unknown, problem: ProblemSink): void {
  problem(
    `${name}.inputs.${field.name}`,
    "invalid-literal",
    `${kindOf(value)} literal cannot feed input field "${field.name}" of type ${field.type}.`,
  );
}
