import { getMetadataStorage } from "class-validator";
import { DataValidationError } from "../errors/data-validation-error";
import { readFields } from "../metadata/describe-node";
import { transformerStorage } from "../metadata/transformer-storage";
import type { ConcreteClass } from "../metadata/types";
import { compilePropertyCheck, type PropertyCheck } from "../validation/compiled-validator";
import { checkData } from "../validation/validate-data";

/**
 * How to assemble one node's input from its literal inputs and its parents' outputs.
 *
 * The input goes through `checkData` unless the fast path applies: the node's layout is `eligible` (its input
 * class's fields are checked one by one, every referenced field's constraints are among those the parent's
 * output field already passed) and `accepted` (`checkData` accepted an input of that layout once: what does not
 * depend on the values holds), its literals are primitives that pass their own fields' constraints
 * (`literalsAccepted`, checked once), and every referenced value is a primitive. Then `checkData` would accept the
 * input and return an equal instance, so it is built with `new cls()` and plain assignments (primitives are
 * immutable: nothing is shared).
 */
export interface InputPlan {
  readonly node: string;
  readonly layout: InputLayout;
  readonly literalValues: readonly unknown[];
  /**
   * Plan index of the parent feeding each referenced field (in `layout.refFields` order), from `refOffset` on
   * (the plan's list of every node's references).
   */
  readonly refParents: Int32Array;
  readonly refOffset: number;
  /** Set once this node's literals are known to pass their constraints (checked on an accepted layout). */
  literalsAccepted: boolean;
}

/** What nodes with the same input class, literal fields and references (fields, output classes) share. */
export interface InputLayout {
  readonly cls: ConcreteClass;
  readonly literalFields: readonly string[];
  readonly refFields: readonly string[];
  readonly refOutputs: readonly string[];
  /** The output class of each referenced parent. */
  readonly refOutputClasses: readonly Function[];
  readonly eligible: boolean;
  /** Set once `checkData` accepted an input of this (eligible) layout. */
  accepted: boolean;
  /** The constraints of each literal field on their own (made when first needed; undefined: none compiles). */
  literalChecks: readonly PropertyCheck[] | undefined | null;
  /** Per literal field, the last value known to pass its constraints (most graphs repeat their literals). */
  readonly passedLiterals: unknown[];
}

/** A reference of a node's input: the parent's plan index, its output class and field. */
export interface InputSource {
  readonly field: string;
  readonly parent: number;
  readonly outputClass: ConcreteClass;
  readonly outputField: string;
}

/** The layout of an input: which fields are literals and references, and whether the fast path may apply. */
export function inputLayout(
  cls: ConcreteClass,
  literalFields: readonly string[],
  sources: readonly Omit<InputSource, "parent">[],
): InputLayout {
  return {
    cls,
    literalFields,
    refFields: sources.map((s) => s.field),
    refOutputs: sources.map((s) => s.outputField),
    refOutputClasses: sources.map((s) => s.outputClass),
    eligible: structureIsFast(cls, literalFields, sources),
    accepted: false,
    literalChecks: null,
    passedLiterals: literalFields.map(() => NONE),
  };
}

/**
 * Builds the input plan of one node (`ExecutionPlan` shares layouts between nodes: pass one to share it here).
 */
export function planInput(
  node: string,
  cls: ConcreteClass,
  literals: Readonly<Record<string, unknown>>,
  sources: readonly InputSource[],
  layout: InputLayout = inputLayout(cls, Object.keys(literals), sources),
): InputPlan {
  return {
    node,
    layout,
    literalValues: layout.literalFields.map((f) => literals[f]),
    refParents: Int32Array.from(sources, (s) => s.parent),
    refOffset: 0,
    literalsAccepted: false,
  };
}

/** No value yet (`passedLiterals`). */
const NONE: unique symbol = Symbol("none");

const classIds = new WeakMap<Function, number>();
let nextClassId = 0;

/** The identity of a class in layout keys. */
export function classId(cls: Function): number {
  let id = classIds.get(cls);
  if (id === undefined) {
    id = nextClassId++;
    classIds.set(cls, id);
  }
  return id;
}

/**
 * A new, validated input instance for one try of the node. Throws `DataValidationError` naming the node when the
 * assembled input does not match its input class.
 */
export function assembleInput(plan: InputPlan, outputs: readonly (object | undefined)[]): object {
  const { refParents, refOffset, literalValues, layout } = plan;
  const { refFields, refOutputs, literalFields, cls } = layout;
  if (layout.accepted) {
    const input = new cls() as Record<string, unknown>;
    for (let k = 0; k < literalFields.length; k++) input[literalFields[k]!] = literalValues[k];
    if (plan.literalsAccepted || literalsPass(plan, input)) {
      let k = 0;
      for (; k < refFields.length; k++) {
        const value = (outputs[refParents[refOffset + k]!] as Record<string, unknown>)[refOutputs[k]!];
        const type = typeof value;
        if (type !== "number" && type !== "string" && type !== "boolean") break;
        input[refFields[k]!] = value;
      }
      if (k === refFields.length) return input;
    }
  }
  const plain: Record<string, unknown> = {};
  for (let k = 0; k < literalFields.length; k++) plain[literalFields[k]!] = literalValues[k];
  for (let k = 0; k < refFields.length; k++) {
    plain[refFields[k]!] = (outputs[refParents[refOffset + k]!] as Record<string, unknown>)[refOutputs[k]!];
  }
  const checked = checkData(cls, plain);
  if (checked.ok) {
    if (layout.eligible && literalsArePrimitive(literalValues)) {
      plan.literalsAccepted = true;
      layout.accepted = true;
      for (let k = 0; k < literalValues.length; k++) layout.passedLiterals[k] = literalValues[k];
    }
    return checked.value;
  }
  throw new DataValidationError(cls.name, checked.issues, plan.node, "input");
}

/**
 * Whether the node's literals, assigned to `input` already, are primitives that pass their fields' constraints
 * one by one (the layout is eligible: each field's verdict depends on its value alone). Remembered when they do.
 */
function literalsPass(plan: InputPlan, input: object): boolean {
  const { layout, literalValues } = plan;
  const passed = layout.passedLiterals;
  for (let k = 0; k < literalValues.length; k++) {
    const value = literalValues[k];
    if (value === passed[k]) continue;
    const type = typeof value;
    if (type !== "number" && type !== "string" && type !== "boolean") return false;
    let checks = layout.literalChecks;
    if (checks === null) {
      checks = compileChecks(layout);
      layout.literalChecks = checks;
    }
    if (checks === undefined || !checks[k]!(input, value)) return false;
    passed[k] = value;
  }
  plan.literalsAccepted = true;
  return true;
}

function compileChecks(layout: InputLayout): PropertyCheck[] | undefined {
  const checks: PropertyCheck[] = [];
  for (const field of layout.literalFields) {
    const check = compilePropertyCheck(layout.cls, field);
    if (!check) return undefined;
    checks.push(check);
  }
  return checks;
}

function literalsArePrimitive(values: readonly unknown[]): boolean {
  for (let k = 0; k < values.length; k++) {
    const type = typeof values[k];
    if (type !== "number" && type !== "string" && type !== "boolean") return false;
  }
  return true;
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

/** Whether the fast path may apply to inputs of this layout (see `InputPlan`). */
function structureIsFast(
  cls: ConcreteClass,
  literalFields: readonly string[],
  sources: readonly Omit<InputSource, "parent">[],
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
  return true;
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? "undefined";
  } catch {
    return `unserializable:${Math.random()}`;
  }
}
