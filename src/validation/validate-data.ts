import { type ValidationError, validateSync } from "class-validator";
import { MAX_VALUE_DEPTH, VALIDATOR_OPTIONS } from "../constants";
import type { ValidationIssue } from "../errors/validation-issue";
import { readFields } from "../metadata/describe-node";
import type { ConcreteClass } from "../metadata/types";
import { messageOf } from "../util/error-text";
import { findValueProblem } from "../util/value-check";
import { compileValidator } from "./compiled-validator";
import { toInstance } from "./to-instance";

/** The result of checking a value against a data class. */
export type DataCheck<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly issues: ValidationIssue[] };

/**
 * Converts `value` (a plain object, an instance of `cls`, or an instance of another class with the same fields)
 * into a new, validated instance of `cls`: class-transformer for nested `@Type` fields and Dates, then
 * class-validator with unknown properties forbidden. The given value is never modified.
 */
export function checkData<T extends object>(cls: ConcreteClass<T>, value: unknown): DataCheck<T> {
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    return {
      ok: false,
      issues: [
        {
          path: "",
          constraints: { isObject: `must be a ${cls.name} or a plain object, got ${kindOf(value)}` },
        },
      ],
    };
  }
  const fast = fastPathOf(cls)?.(value);
  if (fast) return { ok: true, value: fast };
  // The slow path recurses (class-transformer, class-validator): check depth, cycles and readability first.
  const problem = findValueProblem(value, "", { maxDepth: MAX_VALUE_DEPTH });
  if (problem)
    return { ok: false, issues: [{ path: problem.path, constraints: { [problem.code]: problem.reason } }] };
  try {
    return slowPath(cls, value);
  } catch (error) {
    // A getter or Proxy trap that throws on a later read, or class-transformer failing on a value.
    return {
      ok: false,
      issues: [{ path: "", constraints: { unreadable: `converting the value threw: ${messageOf(error)}` } }],
    };
  }
}

/** class-transformer then class-validator, for values the compiled fast path does not vouch for. */
function slowPath<T extends object>(cls: ConcreteClass<T>, value: object): DataCheck<T> {
  const plain = Object.getPrototypeOf(value) === Object.prototype ? value : { ...value };
  if (readFields(cls, "data").length === 0) return checkEmpty(cls, plain);
  let errors: ValidationError[];
  const instance = toInstance(cls, plain);
  try {
    errors = validateSync(instance, VALIDATOR_OPTIONS);
  } catch (error) {
    // class-validator itself can throw (e.g. IsNumber({ maxDecimalPlaces }) on 1e-7): report it, don't crash.
    return {
      ok: false,
      issues: [{ path: "", constraints: { validator: `a validator threw: ${messageOf(error)}` } }],
    };
  }
  if (errors.length === 0) return { ok: true, value: instance };
  return { ok: false, issues: flattenErrors(errors) };
}

const fastPaths = new WeakMap<Function, ((value: unknown) => object | undefined) | null>();

/** The compiled validator of a class (compiled on first use), or undefined when it has none. */
function fastPathOf<T extends object>(
  cls: ConcreteClass<T>,
): ((value: unknown) => T | undefined) | undefined {
  let fast = fastPaths.get(cls);
  if (fast === undefined) {
    fast = compileValidator(cls) ?? null;
    fastPaths.set(cls, fast);
  }
  return (fast ?? undefined) as ((value: unknown) => T | undefined) | undefined;
}

/** A class without fields (a source node's input) accepts only an empty object. */
function checkEmpty<T extends object>(cls: ConcreteClass<T>, plain: object): DataCheck<T> {
  const extra = Object.keys(plain);
  if (extra.length === 0) return { ok: true, value: new cls() };
  return {
    ok: false,
    issues: extra.map((key) => ({
      path: key,
      constraints: { whitelistValidation: `property ${key} should not exist` },
    })),
  };
}

/** Turns class-validator's error tree into one issue per failing property, with `a.b[0].c` paths. */
export function flattenErrors(errors: readonly ValidationError[], prefix = ""): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  for (const error of errors) {
    const path = joinPath(prefix, error.property);
    if (error.constraints) issues.push({ path, constraints: { ...error.constraints } });
    if (error.children?.length) issues.push(...flattenErrors(error.children, path));
  }
  return issues;
}

function joinPath(prefix: string, property: string): string {
  if (/^\d+$/.test(property)) return `${prefix}[${property}]`;
  return prefix ? `${prefix}.${property}` : property;
}

/** A short description of a value's kind for messages: `undefined`, `null`, `an array`, `a string`. */
export function kindOf(value: unknown): string {
  if (value === null) return "null";
  if (value === undefined) return "undefined";
  if (Array.isArray(value)) return "an array";
  const type = typeof value;
  if (type === "object") {
    const name = classNameOfInstance(value as object);
    if (name !== undefined) return `${/^[AEIOU]/.test(name) ? "an" : "a"} ${name}`;
  }
  return `${/^[aeiou]/.test(type) ? "an" : "a"} ${type}`;
}

/** The class name of an object that is not plain (`Map`, `Date`, `Foo`), or undefined for a plain object. */
function classNameOfInstance(value: object): string | undefined {
  try {
    const proto = Object.getPrototypeOf(value);
    if (proto === Object.prototype || proto === null) return undefined;
    const name = (proto as { constructor?: { name?: unknown } }).constructor?.name;
    return typeof name === "string" && name !== "" && name !== "Object" ? name : "object of another class";
  } catch {
    return "Proxy";
  }
}
