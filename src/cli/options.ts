import * as path from "node:path";
import { type Command, InvalidArgumentError, Option } from "commander";
import { MAX_TIMER_MS } from "../util/time-limit";
import { UsageError } from "./usage-error";

/**
 * A commander parser for a whole-number option from `min` to `max`; its message says the range (and `what` the
 * number is, e.g. "ms").
 */
export function wholeNumber(
  min: number,
  max = Number.MAX_SAFE_INTEGER,
  what = "",
): (value: string) => number {
  const range = max === Number.MAX_SAFE_INTEGER ? `≥ ${min}` : `from ${min} to ${max}`;
  const expected = `expected a whole number ${range}${what ? ` (${what})` : ""}`;
  return (value) => {
    const n = Number(value);
    if (!/^\s*\d+\s*$/.test(value) || !Number.isSafeInteger(n) || n < min || n > max) {
      throw new InvalidArgumentError(`${expected}.`);
    }
    return n;
  };
}

/** `--concurrency`: at least one node at a time. */
export const positiveInteger = wholeNumber(1);
/** `--retries`: 0 (no retry) or more. */
export const nonNegativeInteger = wholeNumber(0);
/** `--timeout`: 1 ms up to the longest timer Node keeps. */
export const timeoutMs = wholeNumber(1, MAX_TIMER_MS, "milliseconds, at most about 24.8 days");

/** Commander parser collecting a repeatable option into a list. */
export function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/** `-r, --require <module...>`: the compiled modules that define the spec's nodes. */
export function requireOption(): Option {
  return new Option(
    "-r, --require <module...>",
    "compiled JS module(s) defining the nodes, resolved against the current directory, loaded in order",
  );
}

/** Adds the `<spec>` argument and `--require` to a graph command. */
export function graphSource(command: Command): Command {
  return command
    .argument("[spec]", "the graph spec: a .json file, or YAML (.yaml, .yml; - reads standard input)")
    .addOption(requireOption());
}

/**
 * The spec argument, which commander leaves optional so that a spec swallowed by `--require a.js spec.json`
 * gets a message saying so.
 */
export function specArgument(spec: string | undefined, modules: readonly string[] | undefined): string {
  if (spec !== undefined) return spec;
  const swallowed = modules?.find((m) => /\.(json|ya?ml)$/i.test(m));
  if (swallowed) {
    throw new UsageError(
      `missing <spec>: "${swallowed}" was read as a --require module; put the spec before --require, or end the modules with --`,
    );
  }
  throw new UsageError("missing <spec>: give the graph spec file (JSON or YAML)");
}

/** The cache directory as given, for messages: relative to the current directory when inside it. */
export function displayPath(dir: string): string {
  const relative = path.relative(process.cwd(), dir);
  return relative && !relative.startsWith("..") && !path.isAbsolute(relative) ? relative : dir;
}
