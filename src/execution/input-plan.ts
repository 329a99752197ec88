import { getMetadataStorage } from "class-validator";
import { DataValidationError } from "../errors/data-validation-error";
import { readFields } from "../metadata/describe-node";
import { transformerStorage } from "../metadata/transformer-storage";
import type { ConcreteClass } from "../metadata/types";
import { checkData } from "../validation/validate-data";

/**
 * How to assemble one node's input from its literal inputs and its parents' outputs.
 *
 * `fast` means `checkData` would accept the assembled input and return an equal instance whenever every
 * referenced value is a primitive: every literal is a primitive already checked against the input class,
 * and every referenced field's constraints are among those the parent's output field already passed. Such an
 * input is built with `new cls()` and plain assignments (primitives are immutable, so nothing is shared).
 * Otherwise — or when a referenced value turns out not to be a primitive — the input goes through `checkData`.
 */
export interface InputPlan {
  readonly node: string;
  readonly cls: ConcreteClass;
  readonly literalFields: readonly string[];
  readonly literalValues: readonly unknown[];
  readonly refFields: readonly string[];
  /** Plan index of the parent feeding each referenced field. */
  readonly refParents: readonly number[];
  readonly refOutputs: readonly string[];
  readonly fast: boolean;
}

/** A reference of a node's input: the parent's plan index, its output class and field. */
export interface InputSource {
  readonly field: string;
  readonly parent: number;
  readonly outputClass: ConcreteClass;
  readonly outputField: string;
}

/** Per-graph memo of literal verdicts: input class → field → value → accepted. */
export type LiteralVerdicts = Map<Function, Map<string, Map<unknown, boolean>>>;

/** Builds the input plan of one node. */
export function planInput(
  node: string,
  cls: ConcreteClass,
  literals: Readonly<Record<string, unknown>>,
  sources: readonly InputSource[],
  verdicts: LiteralVerdicts,
): InputPlan {
  const literalFields = Object.keys(literals);
  const literalValues = literalFields.map((f) => literals[f]);
  return {
    node,
    cls,
    literalFields,
    literalValues,
    refFields: sources.map((s) => s.field),
    refParents: sources.map((s) => s.parent),
    refOutputs: sources.map((s) => s.outputField),
    fast: isFast(cls, literals, literalFields, sources, verdicts),
  };
}

/**
 * A new, validated input instance for one try of the node. Throws `DataValidationError` naming the node when the
 * assembled input does not match its input class.
 */
export function assembleInput(plan: InputPlan, outputs: readonly (object | undefined)[]): object {
  const { refFields, refParents, refOutputs, literalFields, literalValues } = plan;
  if (plan.fast) {
    const input = new plan.cls() as Record<string, unknown>;
    for (let k = 0; k < literalFields.length; k++) input[literalFields[k]!] = literalValues[k];
    let k = 0;
    for (; k < refFields.length; k++) {
      const value = (outputs[refParents[k]!] as Record<string, unknown>)[refOutputs[k]!];
      const type = typeof value;
      if (type !== "number" && type !== "string" && type !== "boolean") break;
      input[refFields[k]!] = value;
    }
    if (k === refFields.length) return input;
  }
  const plain: Record<string, unknown> = {};
  for (let k = 0; k < literalFields.length; k++) plain[literalFields[k]!] = literalValues[k];
  for (let k = 0; k < refFields.length; k++) {
    plain[refFields[k]!] = (outputs[refParents[k]!] as Record<string, unknown>)[refOutputs[k]!];
  }
  const checked = checkData(plan.cls, plain);
  if (checked.ok) return checked.value;
  throw new DataValidationError(plan.cls.name, checked.issues, plan.node, "input");
}

/** class-validator validators whose verdict depends on the value alone (and its constraints). */
const VALUE_ONLY = new Set([
  "isNumber",
  "isInt",
  "isString",
  "isBoolean",
  "min",
  "max",
  "isPositive",
  "isNegative",
  "isDivisibleBy",
  "minLength",
  "maxLength",
  "length",
  "isNotEmpty",
  "equals",
  "notEquals",
  "isIn",
  "isNotIn",
  "isEnum",
]);

interface FieldRules {
  /** Signatures of the field's value validators (presence checks left out). */
  readonly rules: ReadonlySet<string>;
  /** Whether every validator only looks at the value (and runs unconditionally but for `@IsOptional`). */
  readonly valueOnly: boolean;
}

interface ClassRules {
  /** No class-transformer metadata, and every field value-only: fields can be checked one by one. */
  readonly separable: boolean;
  readonly fields: ReadonlyMap<string, FieldRules>;
  readonly types: ReadonlyMap<string, string>;
  readonly nested: ReadonlySet<string>;
  /** Optional fields a fresh instance leaves undefined (absent ones are then never checked). */
  readonly absentOk: ReadonlySet<string>;
  readonly declared: readonly string[];
}

const classRules = new WeakMap<Function, ClassRules>();

function rulesOf(cls: ConcreteClass, role: string): ClassRules {
  let known = classRules.get(cls);
  if (known) return known;
  const fields = readFields(cls, role);
  const metadatas = getMetadataStorage().getTargetValidationMetadatas(cls, "", false, false);
  const byField = new Map<string, { rules: Set<string>; valueOnly: boolean }>();
  for (const f of fields) byField.set(f.name, { rules: new Set(), valueOnly: true });
  for (const m of metadatas) {
    const entry = byField.get(m.propertyName);
    if (!entry) continue;
    if (m.groups?.length || m.always !== undefined) entry.valueOnly = false;
    if (m.type === "conditionalValidation") {
      if (m.name !== "isOptional") entry.valueOnly = false;
      continue;
    }
    if (m.type === "isDefined") continue;
    if (m.type !== "customValidation" || !m.name || !VALUE_ONLY.has(m.name)) entry.valueOnly = false;
    entry.rules.add(`${m.type}:${m.name}:${m.each ? 1 : 0}:${safeJson(m.constraints)}`);
  }
  let transformed = false;
  try {
    transformed =
      transformerStorage.getExposedMetadatas(cls).length > 0 ||
      transformerStorage.getExcludedMetadatas(cls).length > 0 ||
      fields.some((f) => transformerStorage.findTransformMetadatas(cls, f.name, 0).length > 0);
  } catch {
    transformed = true;
  }
  let probe: Record<string, unknown> | undefined;
  try {
    probe = new cls() as Record<string, unknown>;
  } catch {
    probe = undefined;
  }
  known = {
    separable: !transformed && probe !== undefined && [...byField.values()].every((e) => e.valueOnly),
    fields: byField,
    types: new Map(fields.map((f) => [f.name, f.type])),
    nested: new Set(fields.filter((f) => f.typeClass !== undefined).map((f) => f.name)),
    absentOk: new Set(fields.filter((f) => f.optional && probe?.[f.name] === undefined).map((f) => f.name)),
    declared: fields.map((f) => f.name),
  };
  classRules.set(cls, known);
  return known;
}

function isFast(
  cls: ConcreteClass,
  literals: Readonly<Record<string, unknown>>,
  literalFields: readonly string[],
  sources: readonly InputSource[],
  verdicts: LiteralVerdicts,
): boolean {
  const rules = rulesOf(cls, "input");
  if (!rules.separable) return false;
  const given = new Set<string>(literalFields);
  for (const s of sources) given.add(s.field);
  if (given.size !== literalFields.length + sources.length) return false;
  for (const name of given) if (!rules.fields.has(name) || rules.nested.has(name)) return false;
  for (const name of rules.declared) if (!given.has(name) && !rules.absentOk.has(name)) return false;
  for (const s of sources) {
    const out = rulesOf(s.outputClass, "output");
    const outField = out.fields.get(s.outputField);
    if (!outField || out.types.get(s.outputField) !== rules.types.get(s.field)) return false;
    if (!outField.valueOnly) return false;
    for (const rule of rules.fields.get(s.field)!.rules) if (!outField.rules.has(rule)) return false;
  }
  for (const name of literalFields) {
    const type = typeof literals[name];
    if (type !== "number" && type !== "string" && type !== "boolean") return false;
  }
  return literalsAccepted(cls, literals, literalFields, verdicts);
}

/**
 * Whether `checkData` accepts each literal (fields of a separable class are checked independently, so a field's
 * verdict is memoized per value for the graph).
 */
function literalsAccepted(
  cls: ConcreteClass,
  literals: Readonly<Record<string, unknown>>,
  literalFields: readonly string[],
  verdicts: LiteralVerdicts,
): boolean {
  if (literalFields.length === 0) return true;
  let byField = verdicts.get(cls);
  if (!byField) {
    byField = new Map();
    verdicts.set(cls, byField);
  }
  let unknown = false;
  for (const name of literalFields) {
    const verdict = byField.get(name)?.get(literals[name]);
    if (verdict === false) return false;
    if (verdict === undefined) unknown = true;
  }
  if (!unknown) return true;
  const checked = checkData(cls, { ...literals });
  const failing = new Set<string>();
  if (!checked.ok) for (const issue of checked.issues) failing.add(issue.path.split(/[.[]/, 1)[0]!);
  let accepted = true;
  for (const name of literalFields) {
    let values = byField.get(name);
    if (!values) {
      values = new Map();
      byField.set(name, values);
    }
    const ok = !failing.has(name);
    values.set(literals[name], ok);
    if (!ok) accepted = false;
  }
  return accepted;
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? "undefined";
  } catch {
    return `unserializable:${Math.random()}`;
  }
}
