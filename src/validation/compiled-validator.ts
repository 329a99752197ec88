import { Buffer } from "node:buffer";
import {
  buildClassPlan,
  type ClassPlan,
  type ConstraintCheck,
  type Conversion,
  type PropertyPlan,
} from "./validation-plan";

/**
 * Compiles a fast path for turning a value into a validated instance of `cls`, equivalent to
 * `plainToInstance(cls, value)` followed by `validateSync(instance, { whitelist: true, forbidNonWhitelisted: true,
 * forbidUnknownValues: true })` with no errors (a non-plain object is read through its own enumerable fields).
 *
 * The returned function gives a new instance of `cls` when it can vouch that the slow path accepts `value` and
 * builds an equal instance, and `undefined` otherwise (the caller then runs the slow path for the exact errors);
 * it never throws. `compileValidator` itself returns `undefined` when `cls` uses something it does not mirror
 * exactly: `@Expose`/`@Exclude`/`@Transform`, `@Type` with a discriminator or to a class that does not compile,
 * async validators, `@ValidatePromise`, or no class-validator metadata at all. Compile once per class, after every
 * class it references is defined.
 *
 * @example
 * const toAddInput = compileValidator(AddInput);
 * const input = toAddInput?.({ x: 1, y: 2 }) ?? slowPath(AddInput, { x: 1, y: 2 });
 */
export function compileValidator<T extends object>(
  cls: new (...args: any[]) => T,
): ((value: unknown) => T | undefined) | undefined {
  const plan = planOf(cls);
  if (!plan) return undefined;
  const root = plan;
  return (value: unknown): T | undefined => {
    try {
      if (typeof value !== "object" || value === null || Array.isArray(value)) return undefined;
      if (Object.getPrototypeOf(value) !== Object.prototype && isSpecialObject(value)) return undefined;
      if (typeof (value as { then?: unknown }).then === "function") return undefined;
      const instance = convertRecord(root, value, 0);
      if (instance === BAIL || !isValidInstance(root, instance, 0)) return undefined;
      return instance as T;
    } catch {
      return undefined;
    }
  };
}

/** Whether one value passes one property's validation on its own; see `compilePropertyCheck`. */
export type PropertyCheck = (object: object, value: unknown) => boolean;

/**
 * Checks a value against the conditions (`@IsOptional`, `@ValidateIf`) and constraints of property `name` of
 * `cls` alone, as class-validator runs them with `object` as the instance being validated (`object[name]` must
 * be `value`). Undefined when the class does not compile or the property is converted or nested. It answers for
 * the whole instance only when every constraint of the class looks at its own value alone.
 */
export function compilePropertyCheck(cls: Function, name: string): PropertyCheck | undefined {
  const property = planOf(cls)?.properties.get(name);
  if (property?.conversion !== "untyped" || property.validateNested) return undefined;
  const { checks } = property;
  return (object, value) => {
    try {
      if (!conditionsHold(property, object, value)) return true;
      for (let i = 0; i < checks.length; i++) if (!passes(checks[i]!, object, value)) return false;
      return true;
    } catch {
      return false;
    }
  };
}

const plans = new WeakMap<Function, ClassPlan | null>();

/** The plan of `cls`, read once (undefined when it does not compile). */
function planOf(cls: Function): ClassPlan | undefined {
  if (typeof cls !== "function") return undefined;
  let plan = plans.get(cls);
  if (plan === undefined) {
    try {
      plan = buildClassPlan(cls) ?? null;
    } catch {
      plan = null;
    }
    plans.set(cls, plan);
  }
  return plan ?? undefined;
}

/** Returned by the converters when class-transformer would do something the fast path does not mirror. */
const BAIL: unique symbol = Symbol("bail");
type Converted = unknown;

/** Deeper values are left to the slow path (which recurses without limit). */
const MAX_DEPTH = 256;

const hasOwn = Object.prototype.hasOwnProperty;
const arrayForEach = Array.prototype.forEach;

/** Objects class-transformer converts specially (or that change their meaning when spread). */
function isSpecialObject(value: object): boolean {
  return value instanceof Set || value instanceof Map || value instanceof Date || value instanceof Buffer;
}

/** `new cls()` then every own enumerable field of `value` converted and assigned, as class-transformer does. */
function convertRecord(plan: ClassPlan, value: object, depth: number): object | typeof BAIL {
  if (depth > MAX_DEPTH) return BAIL;
  const instance = new plan.cls() as Record<string, unknown>;
  if (Object.getPrototypeOf(instance) !== plan.proto || instance.constructor !== plan.cls) return BAIL;
  const source = value as Record<string, unknown>;
  for (const key in source) {
    if (!hasOwn.call(source, key)) continue;
    const property = plan.properties.get(key);
    // Not whitelisted: the slow path reports it (or silently drops `__proto__`/`constructor`).
    if (property === undefined) return BAIL;
    const sub = source[key];
    if (
      property.typeFunction !== undefined &&
      property.typeFunction({ newObject: instance, object: source, property: key }) !== property.expectedType
    ) {
      return BAIL;
    }
    // class-transformer silently skips keys whose current value is a function.
    if (instance[key] instanceof Function) return BAIL;
    let converted: Converted;
    if (Array.isArray(sub)) {
      if (!property.plainArrayContainer) return BAIL;
      converted = convertArray(sub, property.conversion, property.nested, depth + 1);
    } else {
      converted = convertValue(sub, property.conversion, property.nested, depth + 1);
    }
    if (converted === BAIL) return BAIL;
    // exposeUnsetFields (default true): an explicit `undefined` overwrites the default.
    instance[key] = converted;
  }
  return instance;
}

/** class-transformer's `transform` for one value of a property with the given conversion. */
function convertValue(
  value: unknown,
  conversion: Conversion,
  nested: ClassPlan | undefined,
  depth: number,
): Converted {
  if (conversion === "date") {
    if (value === null || value === undefined) return value;
    if (typeof value === "object") {
      if (Array.isArray(value)) return convertArray(value, conversion, nested, depth);
      if (value instanceof Set || value instanceof Map) return BAIL;
      if (value instanceof Date) return new Date(value.valueOf());
    }
    return new Date(value as string);
  }
  if (typeof value !== "object" || value === null) return value;
  if (Array.isArray(value)) return convertArray(value, conversion, nested, depth);
  if (value instanceof Date) return new Date(value.valueOf());
  if (value instanceof Set || value instanceof Map || value instanceof Buffer) return BAIL;
  if (typeof (value as { then?: unknown }).then === "function") return BAIL;
  if (conversion === "class") return convertRecord(nested!, value, depth);
  return copyPlainObject(value, depth);
}

/** A new plain array of the converted elements. A sparse array is left to the slow path (which reads holes as `undefined`). */
function convertArray(
  array: unknown[],
  conversion: Conversion,
  nested: ClassPlan | undefined,
  depth: number,
): unknown[] | typeof BAIL {
  if (depth > MAX_DEPTH) return BAIL;
  if (Object.getPrototypeOf(array) !== Array.prototype || array.forEach !== arrayForEach) return BAIL;
  const length = array.length;
  const result: unknown[] = [];
  for (let i = 0; i < length; i++) {
    if (!(i in array)) return BAIL;
    const converted = convertValue(array[i], conversion, nested, depth + 1);
    if (converted === BAIL) return BAIL;
    result.push(converted);
  }
  return result;
}

/** An untyped object: class-transformer deep-copies plain and prototype-less objects into new plain objects. */
function copyPlainObject(value: object, depth: number): object | typeof BAIL {
  if (depth > MAX_DEPTH) return BAIL;
  const proto = Object.getPrototypeOf(value);
  const ctor = (value as { constructor?: unknown }).constructor;
  // Anything else is re-instantiated through its own constructor: leave it to the slow path.
  if (!(proto === Object.prototype && ctor === Object) && !(proto === null && ctor === undefined))
    return BAIL;
  const source = value as Record<string, unknown>;
  const copy: Record<string, unknown> = {};
  for (const key in source) {
    if (!hasOwn.call(source, key)) continue;
    // `__proto__`, `constructor` and Object.prototype's methods are skipped by class-transformer.
    if (key in Object.prototype) return BAIL;
    const converted = convertValue(source[key], "untyped", undefined, depth + 1);
    if (converted === BAIL) return BAIL;
    copy[key] = converted;
  }
  return copy;
}

/** class-validator's `execute` on an instance, reduced to "would it report any error". */
function isValidInstance(plan: ClassPlan, instance: object, depth: number): boolean {
  if (depth > MAX_DEPTH) return false;
  if (Object.getPrototypeOf(instance) !== plan.proto || instance.constructor !== plan.cls) return false;
  const object = instance as Record<string, unknown>;
  for (const key in object) {
    if (!plan.properties.has(key) && hasOwn.call(object, key)) return false;
  }
  const validated = plan.validated;
  for (let i = 0; i < validated.length; i++) {
    const property = validated[i];
    const value = object[property.name];
    if (!conditionsHold(property, object, value)) continue;
    const checks = property.checks;
    for (let j = 0; j < checks.length; j++) {
      if (!passes(checks[j], object, value)) return false;
    }
    if (property.validateNested && !isValidNested(property.nested, value, depth + 1)) return false;
  }
  return true;
}

/** class-validator calls every condition and skips the property unless all are truthy. */
function conditionsHold(property: PropertyPlan, object: object, value: unknown): boolean {
  const conditions = property.conditions;
  let hold = true;
  for (let i = 0; i < conditions.length; i++) {
    if (!conditions[i](object, value)) hold = false;
  }
  return hold;
}

/** One constraint, called with the arguments class-validator passes (per element with `each`). */
function passes(check: ConstraintCheck, object: object, value: unknown): boolean {
  if (check.validateIf !== undefined && !check.validateIf(object, value)) return true;
  // One arguments object per constraint, saved and restored so that re-entrant calls see their own.
  const args = check.args;
  const outerObject = args.object;
  const outerValue = args.value;
  args.object = object;
  args.value = value;
  try {
    if (check.each && (Array.isArray(value) || value instanceof Set || value instanceof Map)) {
      if (!Array.isArray(value)) return false;
      for (let i = 0; i < value.length; i++) {
        // class-validator's `map` skips holes
        if (!(i in value)) continue;
        const result: unknown = check.validator.validate(value[i], args);
        if (!result || isThenable(result)) return false;
      }
      return true;
    }
    const result: unknown = check.validator.validate(value, args);
    return Boolean(result) && !isThenable(result);
  } finally {
    args.object = outerObject;
    args.value = outerValue;
  }
}

function isThenable(value: unknown): boolean {
  return (
    typeof value === "object" && value !== null && typeof (value as { then?: unknown }).then === "function"
  );
}

/** `@ValidateNested`: undefined passes, arrays recurse, objects must be valid instances of the `@Type` class. */
function isValidNested(plan: ClassPlan | undefined, value: unknown, depth: number): boolean {
  if (value === undefined) return true;
  if (Array.isArray(value)) {
    if (depth > MAX_DEPTH) return false;
    for (let i = 0; i < value.length; i++) {
      if (!(i in value)) continue;
      if (!isValidNested(plan, value[i], depth + 1)) return false;
    }
    return true;
  }
  if (value instanceof Set || value instanceof Map) return false;
  if (value instanceof Object) return plan !== undefined && isValidInstance(plan, value, depth);
  return false;
}
