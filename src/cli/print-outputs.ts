import { inspect } from "node:util";
import { UsageError } from "./usage-error";

/** A `--print node.field` request: the output (or one field of it) to print after the run. */
export interface PrintRequest {
  readonly node: string;
  readonly field?: string;
}

/** Parses `node` or `node.field`. */
export function parsePrint(value: string): PrintRequest {
  const match = /^([A-Za-z_][A-Za-z0-9_]*)(?:\.([A-Za-z_$][A-Za-z0-9_$]*))?$/.exec(value);
  if (!match) throw new UsageError(`--print expects node or node.field, got "${value}"`);
  return match[2] === undefined ? { node: match[1]! } : { node: match[1]!, field: match[2] };
}

/**
 * The text `--print` shows for one request: a string field as it is (a report, Markdown…), anything else as
 * indented JSON; or why there is nothing to show.
 */
export function printText(request: PrintRequest, output: object | undefined): string {
  const label = request.field ? `${request.node}.${request.field}` : request.node;
  if (output === undefined) return `(${label}: no output, the node did not complete)`;
  const value = request.field === undefined ? output : (output as Record<string, unknown>)[request.field];
  if (request.field !== undefined && !(request.field in output)) {
    return `(${label}: the output has no field "${request.field}"; fields: ${Object.keys(output).join(", ")})`;
  }
  if (typeof value === "string") return value;
  try {
    return JSON.stringify(value, null, 2) ?? String(value);
  } catch {
    return inspect(value, { depth: 6 });
  }
}
