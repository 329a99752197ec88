import type { Reference } from "./graph-node";

/** `[A-Za-z_][A-Za-z0-9_]*`: node names and the parts of a reference. */
export const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

const REFERENCE = /^\$\{([A-Za-z_][A-Za-z0-9_]*)\.([A-Za-z_][A-Za-z0-9_]*)\}$/;

/** A parsed input value: a reference, a literal (escapes undone), or a malformed `${`. */
export type ParsedInput =
  | { readonly kind: "reference"; readonly reference: Reference }
  | { readonly kind: "literal"; readonly value: unknown }
  | { readonly kind: "invalid"; readonly path: string; readonly text: string };

/**
 * Parses one input value of a spec. A string that is exactly `${node.field}` is a reference. In literal strings
 * — at any depth of arrays and plain objects — `$${` stands for `${`, and any other `${` is invalid.
 */
export function parseInput(value: unknown): ParsedInput {
  if (typeof value === "string") {
    const match = REFERENCE.exec(value);
    if (match) return { kind: "reference", reference: { node: match[1]!, field: match[2]! } };
  }
  if (value === null || (typeof value !== "string" && typeof value !== "object"))
    return { kind: "literal", value };
  const invalid: { path: string; text: string }[] = [];
  const literal = unescapeDeep(value, "", invalid);
  if (invalid.length) return { kind: "invalid", ...invalid[0]! };
  return { kind: "literal", value: literal };
}

/** Undoes `$${` escapes in every string of plain data; records strings holding an unescaped `${`. */
function unescapeDeep(value: unknown, path: string, invalid: { path: string; text: string }[]): unknown {
  if (typeof value === "string") {
    if (!value.includes("${")) return value;
    // Each escape becomes a NUL, not "": removing "$${" from "$$${{" would join "$" and "{" into a false "${".
    if (value.replaceAll("$${", "\u0000").includes("${")) invalid.push({ path, text: value });
    return value.replaceAll("$${", "${");
  }
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const item = unescapeDeep(value[i], `${path}[${i}]`, invalid);
      if (item !== value[i]) {
        copy ??= [...value];
        copy[i] = item;
      }
    }
    return copy ?? value;
  }
  if (value !== null && typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype) {
    let copy: Record<string, unknown> | undefined;
    for (const [key, item] of Object.entries(value)) {
      const next = unescapeDeep(item, path ? `${path}.${key}` : key, invalid);
      if (next !== item) {
        copy ??= { ...value };
        copy[key] = next;
      }
    }
    return copy ?? value;
  }
  return value;
}

/** `${node.field}` for messages. */
export function formatReference(reference: Reference): string {
  return `\${${reference.node}.${reference.field}}`;
}
