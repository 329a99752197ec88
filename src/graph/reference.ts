import { MAX_VALUE_DEPTH } from "../constants";
import { copyValue } from "../util/copy-value";
import { messageOf } from "../util/error-text";
import { findValueProblem, type ValueProblem } from "../util/value-check";
import type { Reference } from "./graph-node";

/**
 * The reference a string is exactly (`${node.field}`, both parts identifiers), or undefined. Scans characters
 * instead of matching a regular expression: it runs once per referenced input of every graph built.
 */
export function parseReference(text: string): Reference | undefined {
  const dot = referenceDot(text);
  if (dot < 0) return undefined;
  return { node: text.slice(2, dot), field: text.slice(dot + 1, text.length - 1) };
}

/** Where the dot of a reference `${node.field}` is in `text`, or -1 when `text` is not exactly one reference. */
export function referenceDot(text: string): number {
  const length = text.length;
  if (
    length < 6 ||
    text.charCodeAt(0) !== 36 ||
    text.charCodeAt(1) !== 123 ||
    text.charCodeAt(length - 1) !== 125
  ) {
    return -1;
  }
  const dot = text.indexOf(".", 2);
  if (dot < 0 || !isIdentifier(text, 2, dot) || !isIdentifier(text, dot + 1, length - 1)) return -1;
  return dot;
}

/** Whether `text[start, end)` matches `[A-Za-z_][A-Za-z0-9_]*` (node names and the parts of a reference). */
export function isIdentifier(text: string, start: number, end: number): boolean {
  if (end <= start) return false;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    const letter = (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
    if (!letter && (i === start || c < 48 || c > 57)) return false;
  }
  return true;
}

/** A parsed input value: a reference, a literal (escapes undone), a malformed `${`, or a value that is not data. */
export type ParsedInput =
  | { readonly kind: "reference"; readonly reference: Reference }
  | { readonly kind: "literal"; readonly value: unknown }
  | { readonly kind: "invalid"; readonly path: string; readonly text: string }
  | { readonly kind: "problem"; readonly problem: ValueProblem };

/** A string with a `${` that is not an escaped `$${`. */
// Each escape becomes a NUL, not "": removing "$${" from "$$${{" would join "$" and "{" into a false "${".
const hasUnescaped = (text: string) => text.includes("${") && text.replaceAll("$${", "\u0000").includes("${");
const undoEscapes = (text: string) => (text.includes("$${") ? text.replaceAll("$${", "${") : text);

/**
 * Parses one input value of a spec. A string that is exactly `${node.field}` is a reference. In literal strings
 * — at any depth of arrays and plain objects — `$${` stands for `${`, and any other `${` is invalid. A literal
 * container is checked (depth, cycles, readable members: `problem`) and copied, so that the graph keeps the value
 * its hash was computed from whatever later happens to the spec; holes of arrays become `undefined`.
 *
 * @param path where the value is, for problems (`a.inputs.x`).
 */
export function parseInput(value: unknown, path = ""): ParsedInput {
  if (typeof value === "string") {
    const reference = parseReference(value);
    if (reference) return { kind: "reference", reference };
    if (hasUnescaped(value)) return { kind: "invalid", path, text: value };
    return { kind: "literal", value: undoEscapes(value) };
  }
  if (value === null || typeof value !== "object") return { kind: "literal", value };
  // The field's value is level 0 here, level 1 inside its input object.
  const problem = findValueProblem(value, path, { maxDepth: MAX_VALUE_DEPTH - 1, badString: hasUnescaped });
  if (problem?.code === "string") return { kind: "invalid", path: problem.path, text: problem.reason };
  if (problem) return { kind: "problem", problem };
  try {
    return { kind: "literal", value: copyValue(value, undoEscapes) };
  } catch (error) {
    // A getter that throws on its second read only.
    return {
      kind: "problem",
      problem: { path, code: "unreadable", reason: `copying it threw: ${messageOf(error)}` },
    };
  }
}

/** `${node.field}` for messages. */
export function formatReference(reference: Reference): string {
  return `\${${reference.node}.${reference.field}}`;
}
