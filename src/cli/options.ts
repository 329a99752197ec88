import * as path from "node:path";
import { type Command, InvalidArgumentError, Option } from "commander";
import { UsageError } from "./usage-error";

/** Commander parser for an option value that must be a whole number ≥ 1. */
export function positiveInteger(value: string): number {
  const n = Number(value);
  if (!/^\s*\d+\s*$/.test(value) || !Number.isSafeInteger(n) || n < 1) {
    throw new InvalidArgumentError("expected a whole number ≥ 1.");
  }
  return n;
}

/** Commander parser for an option value that must be a whole number ≥ 0. */
export function nonNegativeInteger(value: string): number {
  return value.trim() === "0" ? 0 : positiveInteger(value);
}

/** Commander parser collecting a repeatable option into a list. */
export function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/** `-r, --require <module...>`: the compiled modules that define the spec's nodes. */
function requireOption(): Option {
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
