import { plainToInstance } from "class-transformer";
import { type ValidationError, validateSync } from "class-validator";
import { VALIDATOR_OPTIONS } from "../constants";
import type { ValidationIssue } from "../errors/validation-issue";
import { readFields } from "../metadata/describe-node";
import type { ConcreteClass } from "../metadata/types";

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
  const plain = Object.getPrototypeOf(value) === Object.prototype ? value : { ...value };
  if (readFields(cls, "data").length === 0) return checkEmpty(cls, plain);
  const instance = plainToInstance(cls, plain);
  const errors = validateSync(instance, VALIDATOR_OPTIONS);
  if (errors.length === 0) return { ok: true, value: instance };
  return { ok: false, issues: flattenErrors(errors) };
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
  return `${/^[aeiou]/.test(type) ? "an" : "a"} ${type}`;
}
