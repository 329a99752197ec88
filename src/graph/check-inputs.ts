import { MAX_VALUE_DEPTH } from "../constants";
import { UnhashableValueError } from "../errors/unhashable-value-error";
import { canonicalEncode, canonicalRecordPart, fieldPath } from "../hashing/canonical";
import { upstreamLineStart } from "../hashing/topological-hash";
import { type FieldInfo, readFields } from "../metadata/describe-node";
import type { NodeMetadata } from "../metadata/types";
import { quoted } from "../util/excerpt";
import { suggestAll } from "../util/suggest";
import { kindOf } from "../validation/validate-data";
import { type ProblemSink, unhashableCode } from "./problems";
import { parseInput, referenceDot } from "./reference";
import { isLiteralOfType } from "./type-check";

/** What the checks need of an input class, computed once per class. */
export interface InputShape {
  readonly fields: readonly FieldInfo[];
  readonly names: readonly string[];
  readonly known: ReadonlySet<string>;
  /** Field indexes in canonical (sorted) key order, with each field name's canonical text. */
  readonly sorted: readonly number[];
  readonly keyTexts: readonly string[];
  /** Each field's `upstreamLineStart` (for the hash text when it is a reference). */
  readonly lineStarts: readonly string[];
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
    shape = {
      fields,
      names,
      known: new Set(names),
      sorted,
      keyTexts: names.map(canonicalRecordPart),
      lineStarts: names.map(upstreamLineStart),
    };
    shapes.set(inputClass, shape);
  }
  return shape;
}

/**
 * Checks nodes' inputs against their input classes: every declared field given (or optional), nothing unknown,
 * references well-formed, literals of the declared type and hashable. One checker serves a whole build: `check`
 * leaves its findings in the checker's fields (read them before the next call), so that the common node costs
 * no intermediate objects.
 */
export class InputChecker {
  /** The input class of the last node checked. */
  shape!: InputShape;
  /** Its literal inputs (escapes undone, copied), or undefined when it has none. */
  literals: Record<string, unknown> | undefined;
  /** The canonical text of the literals object. */
  canonicalInputs = "";
  /** How many input fields are references. */
  referenceCount = 0;
  /** By input field index: the reference text `${node.field}` given, and where its dot is. */
  readonly referenceTexts: (string | undefined)[] = [];
  readonly referenceDots: number[] = [];
  private readonly encoded: (string | undefined)[] = [];

  check(
    name: string,
    meta: NodeMetadata,
    given: Readonly<Record<string, unknown>> | undefined,
    problem: ProblemSink,
  ): void {
    const shape = shapeOf(meta.input);
    const { fields } = shape;
    const { encoded, referenceTexts } = this;
    this.shape = shape;
    this.literals = undefined;
    this.referenceCount = 0;
    for (let i = 0; i < fields.length; i++) {
      encoded[i] = undefined;
      referenceTexts[i] = undefined;
    }
    if (given === undefined) {
      this.canonicalInputs = "{}";
      return;
    }
    for (const key in given) {
      if (shape.known.has(key) || !Object.hasOwn(given, key)) continue;
      const close = suggestAll(key, shape.names, 1);
      problem(
        `${name}.inputs.${key}`,
        "unknown-input",
        `${meta.input.name} has no field ${quoted(key)} (fields: ${shape.names.join(", ") || "none"})${close.length ? `; did you mean "${close[0]}"?` : "."}`,
      );
    }
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
          this.addLiteral(field.name, value);
          encoded[i] = canonicalEncode(value);
        } else invalidLiteral(name, field, value, problem);
        continue;
      }
      if (typeof value === "string") {
        const dot = referenceDot(value);
        if (dot >= 0) {
          referenceTexts[i] = value;
          this.referenceDots[i] = dot;
          this.referenceCount++;
          continue;
        }
      }
      this.checkValue(name, field, i, value, problem);
    }
    // The canonical text of the literals object, from the encoded fields in key order.
    let canonicalInputs = "{";
    for (let k = 0; k < shape.sorted.length; k++) {
      const i = shape.sorted[k]!;
      if (encoded[i] !== undefined) canonicalInputs += shape.keyTexts[i]! + encoded[i]!;
    }
    this.canonicalInputs = `${canonicalInputs}}`;
  }

  /** A literal string, array or object (or a malformed reference): parsed, type-checked, copied and encoded. */
  private checkValue(name: string, field: FieldInfo, i: number, value: unknown, problem: ProblemSink): void {
    const path = `${name}.inputs.${field.name}`;
    const parsed = parseInput(value, path);
    if (parsed.kind === "reference") {
      // Not reached: the scan in `check` finds every reference first.
      this.referenceTexts[i] = value as string;
      this.referenceDots[i] = referenceDot(value as string);
      this.referenceCount++;
    } else if (parsed.kind === "invalid") {
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
        this.encoded[i] = canonicalEncode(
          parsed.value,
          fieldPath(`${name}.inputs`, field.name),
          MAX_VALUE_DEPTH - 1,
        );
        this.addLiteral(field.name, parsed.value);
      } catch (error) {
        if (!(error instanceof UnhashableValueError)) throw error;
        problem(error.path, unhashableCode(error), `${error.reason}. Inputs must be plain data.`);
      }
    }
  }

  private addLiteral(field: string, value: unknown): void {
    if (this.literals === undefined) this.literals = {};
    this.literals[field] = value;
  }
}

function invalidLiteral(name: string, field: FieldInfo, value: unknown, problem: ProblemSink): void {
  problem(
    `${name}.inputs.${field.name}`,
    "invalid-literal",
    `${kindOf(value)} literal cannot feed input field "${field.name}" of type ${field.type}.`,
  );
}
