import type { FieldInfo } from "../metadata/describe-node";

/**
 * Whether a literal can feed a field of the declared type (checked at build; the field's validators run again
 * on the assembled input at run time). `Object` (an undeclared or union type) accepts anything.
 */
export function isLiteralOfType(value: unknown, field: FieldInfo): boolean {
  if (value === null || value === undefined) return field.optional;
  const type = field.type;
  switch (type) {
    case "Object":
      return true;
    case "Number":
      return typeof value === "number";
    case "String":
      return typeof value === "string";
    case "Boolean":
      return typeof value === "boolean";
    case "BigInt":
      return typeof value === "bigint";
    case "Date":
      return value instanceof Date || typeof value === "string" || typeof value === "number";
    case "Array":
      return Array.isArray(value);
    case "Map":
      return value instanceof Map || (typeof value === "object" && !Array.isArray(value));
    case "Set":
      return value instanceof Set || Array.isArray(value);
    default:
      if (type.endsWith("[]")) return Array.isArray(value);
      return typeof value === "object" && !Array.isArray(value);
  }
}

/** Whether an output field of type `from` can feed an input field of type `to`. */
export function typesCompatible(from: string, to: string): boolean {
  if (from === to || from === "Object" || to === "Object") return true;
  if (from.endsWith("[]") && to === "Array") return true;
  if (to.endsWith("[]") && from === "Array") return true;
  return false;
}
