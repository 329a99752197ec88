import type { TypeHelpOptions } from "class-transformer/types/interfaces";
import {
  getMetadataStorage,
  type ValidationArguments,
  ValidationTypes,
  type ValidatorConstraintInterface,
} from "class-validator";
import { transformerStorage } from "../metadata/transformer-storage";
import type { ConcreteClass } from "../metadata/types";

/** How class-transformer converts a property's value: untouched/deep-copied, to a Date, or to a nested class. */
export type Conversion = "untyped" | "date" | "class";

/** One synchronous class-validator constraint on one property, ready to be called like class-validator does. */
export interface ConstraintCheck {
  readonly validator: ValidatorConstraintInterface;
  readonly each: boolean;
  readonly validateIf: ((object: any, value: any) => boolean) | undefined;
  /** The arguments class-validator passes; `object` and `value` are filled in for the duration of each call. */
  readonly args: ValidationArguments;
}

/** Everything the fast path needs to know about one property that carries class-validator metadata. */
export interface PropertyPlan {
  readonly name: string;
  /** `@Type`'s thunk, called on every conversion like class-transformer does, and the type it gave at compile time. */
  readonly typeFunction: ((options: TypeHelpOptions) => Function) | undefined;
  readonly expectedType: Function | undefined;
  readonly conversion: Conversion;
  /** The class of a `"class"` property (also what `@ValidateNested` validates against). */
  readonly nested: ClassPlan | undefined;
  /** Whether class-transformer would build a plain `[]` for an array value (it instantiates the reflected type). */
  readonly plainArrayContainer: boolean;
  /** `@IsOptional` / `@ValidateIf` conditions; when one is falsy, nothing else on the property runs. */
  readonly conditions: readonly ((object: any, value: any) => unknown)[];
  /** `@IsDefined` checks first, then every custom-validation constraint, in class-validator's order. */
  readonly checks: readonly ConstraintCheck[];
  readonly validateNested: boolean;
}

/** The compiled form of one data class. */
export interface ClassPlan {
  readonly cls: ConcreteClass;
  readonly proto: object;
  /** Every property with class-validator metadata (the whitelist), by name. */
  readonly properties: Map<string, PropertyPlan>;
  /** The properties that have something to validate. */
  readonly validated: PropertyPlan[];
}

/**
 * Reads class-validator's and class-transformer's metadata for `cls` (and, recursively, its `@Type` classes) into a
 * `ClassPlan`, or returns undefined when the class uses anything the fast path does not mirror exactly.
 * Metadata is selected with the same call class-validator's executor makes (no groups, `always: false`), so
 * inheritance, `groups` and `always` behave exactly as in `validateSync`.
 */
export function buildClassPlan(cls: unknown, plans = new Map<Function, ClassPlan>()): ClassPlan | undefined {
  if (typeof cls !== "function") return undefined;
  const known = plans.get(cls);
  if (known) return known;
  const proto: unknown = cls.prototype;
  if (
    typeof proto !== "object" ||
    proto === null ||
    (proto as { constructor?: unknown }).constructor !== cls
  ) {
    return undefined;
  }
  if (usesExposeExcludeOrTransform(cls)) return undefined;

  const storage = getMetadataStorage();
  const metadatas = storage.getTargetValidationMetadatas(cls, "", false, false, undefined);
  // forbidUnknownValues: an instance of a class without metadata is always rejected.
  if (metadatas.length === 0) return undefined;
  const byProperty = new Map<string, typeof metadatas>();
  for (const m of metadatas) {
    const name: unknown = m.propertyName;
    // class-validator groups metadata in a plain object: names on its prototype chain would misbehave.
    if (typeof name !== "string" || name in proto) return undefined;
    const list = byProperty.get(name);
    if (list) list.push(m);
    else byProperty.set(name, [m]);
  }

  const plan: ClassPlan = { cls: cls as ConcreteClass, proto, properties: new Map(), validated: [] };
  plans.set(cls, plan);
  for (const [name, list] of byProperty) {
    const conditions: ((object: any, value: any) => unknown)[] = [];
    const defined: ConstraintCheck[] = [];
    const custom: ConstraintCheck[] = [];
    let validateNested = false;
    for (const m of list) {
      switch (m.type) {
        case ValidationTypes.WHITELIST:
          break;
        case ValidationTypes.NESTED_VALIDATION:
          validateNested = true;
          break;
        case ValidationTypes.CONDITIONAL_VALIDATION: {
          const condition: unknown = m.constraints?.[0];
          if (typeof condition !== "function") return undefined;
          conditions.push(condition as (object: any, value: any) => unknown);
          break;
        }
        case ValidationTypes.IS_DEFINED:
        case ValidationTypes.CUSTOM_VALIDATION: {
          const target = m.type === ValidationTypes.IS_DEFINED ? defined : custom;
          for (const constraint of storage.getTargetValidatorConstraints(m.constraintCls)) {
            if (constraint.async) return undefined;
            const validator = constraint.instance;
            if (typeof validator?.validate !== "function") return undefined;
            if (m.validateIf !== undefined && typeof m.validateIf !== "function") return undefined;
            target.push({
              validator,
              each: Boolean(m.each),
              validateIf: m.validateIf,
              args: {
                targetName: cls.name,
                property: name,
                object: undefined as unknown as object,
                value: undefined,
                constraints: m.constraints,
              },
            });
          }
          break;
        }
        default:
          // promiseValidation and anything newer
          return undefined;
      }
    }
    const conversion = readConversion(cls, name, plans);
    if (!conversion) return undefined;
    const property: PropertyPlan = {
      name,
      ...conversion,
      conditions,
      checks: [...defined, ...custom],
      validateNested,
    };
    plan.properties.set(name, property);
    if (conditions.length > 0 || property.checks.length > 0 || validateNested) plan.validated.push(property);
  }
  return plan;
}

type ConversionPlan = Pick<
  PropertyPlan,
  "typeFunction" | "expectedType" | "conversion" | "nested" | "plainArrayContainer"
>;

/** class-transformer's view of one property: its `@Type`, if any, decides how a value is converted. */
function readConversion(
  cls: Function,
  name: string,
  plans: Map<Function, ClassPlan>,
): ConversionPlan | undefined {
  const meta = transformerStorage.findTypeMetadata(cls, name);
  if (!meta) {
    return {
      typeFunction: undefined,
      expectedType: undefined,
      conversion: "untyped",
      nested: undefined,
      plainArrayContainer: true,
    };
  }
  if (meta.options?.discriminator || meta.reflectedType === Map) return undefined;
  const typeFunction = meta.typeFunction as PropertyPlan["typeFunction"];
  if (typeFunction !== undefined && typeof typeFunction !== "function") return undefined;
  const expectedType: unknown = typeFunction
    ? typeFunction({ newObject: undefined, object: {}, property: name })
    : meta.reflectedType;
  if (typeof expectedType !== "function") return undefined;
  // For an array value class-transformer builds `new reflectedType()` and keeps it when it has `push` (or is a Set).
  const reflected: unknown = meta.reflectedType;
  const plainArrayContainer = reflected === undefined || reflected === Array || reflected === Object;
  if (expectedType === Date) {
    return { typeFunction, expectedType, conversion: "date", nested: undefined, plainArrayContainer };
  }
  const nested = buildClassPlan(expectedType, plans);
  if (!nested) return undefined;
  return { typeFunction, expectedType, conversion: "class", nested, plainArrayContainer };
}

/** Whether class-transformer would rename, drop or rewrite properties of `cls` (the fast path does not). */
function usesExposeExcludeOrTransform(cls: Function): boolean {
  if (transformerStorage.getStrategy(cls) !== "none") return true;
  if (transformerStorage.getExposedMetadatas(cls).length > 0) return true;
  if (transformerStorage.getExcludedMetadatas(cls).length > 0) return true;
  const transforms: unknown = (transformerStorage as unknown as { _transformMetadatas?: unknown })
    ._transformMetadatas;
  if (!(transforms instanceof Map)) return true;
  for (
    let c: unknown = cls;
    typeof c === "function" && c !== Function.prototype;
    c = Object.getPrototypeOf(c)
  ) {
    const own = transforms.get(c);
    if (own instanceof Map && own.size > 0) return true;
  }
  return false;
}
