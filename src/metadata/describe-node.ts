import { getMetadataStorage } from "class-validator";
import { NodeDefinitionError } from "../errors/node-definition-error";
import { classNameOf, getMetadataStore } from "./metadata-store";
import { transformerStorage } from "./transformer-storage";
import type { Class } from "./types";

/** One declared field of an input, an output or the arguments of a node. */
export interface FieldInfo {
  /** The property name. */
  readonly name: string;
  /** The declared type's name: `"Number"`, `"String"`, `"Boolean"`, `"Date"`, `"Array"`, a class name, `"Child[]"`. */
  readonly type: string;
  /** Whether `@IsOptional()` allows it to be absent. */
  readonly optional: boolean;
  /** The class of a nested `@Type(() => Child)` field (or `Date`), when declared. */
  readonly typeClass?: Function;
}

/** The schema of a node class, as `describeNode` returns it. */
export interface NodeDescription {
  readonly name: string;
  readonly version: string | number | undefined;
  readonly input: readonly FieldInfo[];
  readonly output: readonly FieldInfo[];
  readonly arguments: readonly FieldInfo[];
}

const fieldCache = new WeakMap<Function, readonly FieldInfo[]>();

/**
 * The fields of a class that carry class-validator decorators (inherited ones included), with their reflected
 * types. Throws `NodeDefinitionError` when a type cannot be reflected or a validator is asynchronous.
 */
export function readFields(target: Function, role: string): readonly FieldInfo[] {
  const cached = fieldCache.get(target);
  if (cached) return cached;
  const storage = getMetadataStorage();
  const metadatas = storage.getTargetValidationMetadatas(target, "", false, false);
  const byProperty = new Map<string, typeof metadatas>();
  for (const m of metadatas) {
    const list = byProperty.get(m.propertyName) ?? [];
    list.push(m);
    byProperty.set(m.propertyName, list);
  }
  const problems: string[] = [];
  const fields: FieldInfo[] = [];
  for (const [name, list] of byProperty) {
    const designType: Function | undefined = Reflect.getMetadata("design:type", target.prototype, name);
    const typeMeta = transformerStorage.findTypeMetadata(target, name);
    let typeClass: Function | undefined;
    if (typeMeta) {
      try {
        typeClass = typeMeta.typeFunction() as Function | undefined;
      } catch (error) {
        problems.push(`the @Type(() => …) of ${role} field "${name}" threw: ${(error as Error).message}`);
      }
    }
    let type: string;
    if (typeClass) type = designType === Array ? `${classNameOf(typeClass)}[]` : classNameOf(typeClass);
    else if (designType === Object) type = impliedType(list, storage) ?? "Object";
    else if (designType) type = classNameOf(designType);
    else {
      problems.push(
        `the type of ${role} field "${name}" cannot be reflected. Compile with tsc and ` +
          `"emitDecoratorMetadata": true (tsx and esbuild drop it), or declare it with @Type(() => TheType).`,
      );
      continue;
    }
    for (const m of list) {
      if (m.constraintCls && storage.getTargetValidatorConstraints(m.constraintCls).some((c) => c.async)) {
        problems.push(
          `${role} field "${name}" uses an asynchronous validator; moirae validates synchronously.`,
        );
      }
    }
    const optional = list.some((m) => m.type === "conditionalValidation" && m.name === "isOptional");
    fields.push(typeClass ? { name, type, optional, typeClass } : { name, type, optional });
  }
  if (problems.length) throw new NodeDefinitionError(classNameOf(target), problems);
  const frozen = Object.freeze(fields.map((f) => Object.freeze(f)));
  fieldCache.set(target, frozen);
  return frozen;
}

/**
 * `readFields` for an `@Input()` / `@Output()` class, which must also be constructible without arguments and
 * have no undecorated fields (TypeScript defines declared fields on every instance, so an undecorated one would
 * make every value fail with "property … should not exist").
 */
export function readDataFields(target: Function, role: string): readonly FieldInfo[] {
  const fields = readFields(target, role);
  let instance: object;
  try {
    instance = Reflect.construct(target, []);
  } catch (error) {
    throw new NodeDefinitionError(classNameOf(target), [
      `${role} classes are constructed without arguments, but its constructor threw: ${(error as Error).message}`,
    ]);
  }
  const names = new Set(fields.map((f) => f.name));
  const undecorated = Object.keys(instance).filter((key) => !names.has(key));
  if (undecorated.length) {
    throw new NodeDefinitionError(
      classNameOf(target),
      undecorated.map(
        (key) =>
          `${role} field "${key}" has no class-validator decorator, so no value could pass validation. ` +
          `Decorate it (e.g. @IsString(), or @Allow() to accept anything) or remove it.`,
      ),
    );
  }
  return fields;
}

/** Validators that pin a field's type; used when TypeScript reflects `Object` (e.g. `@IsInt() coef = 1`). */
const IMPLIED_TYPES: Readonly<Record<string, string>> = {
  isNumber: "Number",
  isInt: "Number",
  isString: "String",
  isBoolean: "Boolean",
  isDate: "Date",
  isArray: "Array",
};

function impliedType(
  list: readonly { each?: boolean; constraintCls: Function }[],
  storage: ReturnType<typeof getMetadataStorage>,
): string | undefined {
  for (const m of list) {
    if (m.each || !m.constraintCls) continue;
    for (const constraint of storage.getTargetValidatorConstraints(m.constraintCls)) {
      const implied = constraint.name ? IMPLIED_TYPES[constraint.name] : undefined;
      if (implied) return implied;
    }
  }
  return undefined;
}

/**
 * The schema of a node class: its registered name and version, and the declared fields (name, type,
 * optional) of its input, output and arguments. The graph builder type-checks references and hashes nodes with
 * it.
 *
 * @example
 * describeNode(AddMul).input; // [{ name: "x", type: "Number", optional: false }, …]
 */
export function describeNode(nodeClass: Class): NodeDescription {
  const meta = getMetadataStore().nodeByClass(nodeClass);
  if (!meta) {
    throw new NodeDefinitionError(classNameOf(nodeClass), [
      "it is not a registered node class. Decorate it with @Node({ input, output }).",
    ]);
  }
  return {
    name: meta.name,
    version: meta.version,
    input: readFields(meta.input, "input"),
    output: readFields(meta.output, "output"),
    arguments: readFields(meta.target, "argument"),
  };
}
