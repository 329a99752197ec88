import { copyValue } from "./copy-value";

/**
 * The arguments a node instance gets: primitives as they are, objects copied deeply (see `copyValue`: built-ins
 * such as RegExps, Maps, typed arrays and Dates stay working objects) so a node that mutates an argument affects
 * no other node and no later run. Arguments of primitives only are returned as they are, without copying.
 */
export function copyArguments(args: Readonly<Record<string, unknown>>): Readonly<Record<string, unknown>> {
  let copy: Record<string, unknown> | undefined;
  for (const key in args) {
    const value = args[key];
    if (value !== null && typeof value === "object") {
      copy ??= { ...args };
      copy[key] = copyValue(value);
    }
  }
  return copy ?? args;
}
