import { plainToInstance } from "class-transformer";
import { validateSync } from "class-validator";
import { MAX_VALUE_DEPTH } from "../constants";
import { NodeArgumentsError } from "../errors/node-arguments-error";
import type { ValidationIssue } from "../errors/validation-issue";
import type { FieldInfo } from "../metadata/describe-node";
import { readFields } from "../metadata/describe-node";
import type { Class } from "../metadata/types";
import { messageOf } from "../util/error-text";
import { quoted } from "../util/excerpt";
import { isPlainObject } from "../util/is-plain-object";
import { didYouMean } from "../util/suggest";
import { findValueProblem } from "../util/value-check";
import { flattenErrors, kindOf } from "./validate-data";

/** The outcome of checking a node's arguments. */
export type ArgumentsCheck =
  | { readonly ok: true; readonly value: Readonly<Record<string, unknown>> }
  | { readonly ok: false; readonly issues: ValidationIssue[] };

/**
 * Checks `args` against the arguments `nodeClass` declares and fills in defaults: every unknown name, missing
 * required argument and invalid value is reported. `defaults` are the values a freshly constructed instance has
 * (property initializers). The result holds every declared argument with a defined value.
 */
export function checkArguments(nodeClass: Class, args: unknown, defaults: object): ArgumentsCheck {
  const declared = readFields(nodeClass, "argument");
  if (args !== undefined && !isPlainObject(args)) {
    return {
      ok: false,
      issues: [
        {
          path: "",
          constraints: { isObject: `must be an object, got ${kindOf(args)}` },
        },
      ],
    };
  }
  const problem = findValueProblem(args, "", { maxDepth: MAX_VALUE_DEPTH });
  if (problem)
    return { ok: false, issues: [{ path: problem.path, constraints: { [problem.code]: problem.reason } }] };
  try {
    return resolve(nodeClass, declared, args ?? {}, defaults);
  } catch (error) {
    // A getter that throws on a later read, or class-validator / class-transformer failing on a value.
    return {
      ok: false,
      issues: [
        { path: "", constraints: { unreadable: `checking the arguments threw: ${messageOf(error)}` } },
      ],
    };
  }
}

function resolve(
  nodeClass: Class,
  declared: readonly FieldInfo[],
  given: Record<string, unknown>,
  defaults: object,
): ArgumentsCheck {
  const names = declared.map((f) => f.name);
  const issues: ValidationIssue[] = [];
  for (const key of Object.keys(given)) {
    if (!names.includes(key)) {
      issues.push({
        path: key,
        constraints: {
          unknownArgument: `${quoted(key)} is not an argument of ${nodeClass.name}${didYouMean(key, names, 1, "")}`,
        },
      });
    }
  }
  const resolved: Record<string, unknown> = {};
  const missing = new Set<string>();
  for (const field of declared) {
    const value = field.name in given ? given[field.name] : (defaults as Record<string, unknown>)[field.name];
    if (value === undefined) {
      if (!field.optional) {
        missing.add(field.name);
        issues.push({
          path: field.name,
          constraints: { isDefined: `required argument "${field.name}" (${field.type}) is missing` },
        });
      }
      continue;
    }
    resolved[field.name] = convert(field, value);
  }
  const target = Object.assign(Object.create(nodeClass.prototype), resolved);
  const errors = validateSync(target, {
    forbidUnknownValues: false,
    validationError: { target: false, value: false },
  });
  for (const issue of flattenErrors(errors)) {
    if (!missing.has(issue.path)) issues.push(issue);
  }
  if (issues.length) return { ok: false, issues };
  const fromDefaults = findValueProblem(resolved, "", { maxDepth: MAX_VALUE_DEPTH });
  if (fromDefaults) {
    return {
      ok: false,
      issues: [{ path: fromDefaults.path, constraints: { [fromDefaults.code]: fromDefaults.reason } }],
    };
  }
  return { ok: true, value: Object.freeze(resolved) };
}

/** `checkArguments`, throwing `NodeArgumentsError` naming the node and every bad argument. */
export function resolveArguments(
  nodeName: string,
  nodeClass: Class,
  args: unknown,
  defaults: object,
): Readonly<Record<string, unknown>> {
  const result = checkArguments(nodeClass, args, defaults);
  if (result.ok) return result.value;
  const declared = readFields(nodeClass, "argument").map(
    (f) => `${f.name}${f.optional ? "?" : ""}: ${f.type}`,
  );
  throw new NodeArgumentsError(nodeName, nodeClass.name, result.issues, declared);
}

/** Nested `@Type(() => C)` arguments given as plain objects become instances of C (Dates from strings). */
function convert(field: FieldInfo, value: unknown): unknown {
  const typeClass = field.typeClass;
  if (!typeClass || value === null || typeof value !== "object" || value instanceof typeClass) {
    if (typeClass === Date && (typeof value === "string" || typeof value === "number"))
      return new Date(value);
    return value;
  }
  return plainToInstance(typeClass as new () => object, value);
}
