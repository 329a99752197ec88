import * as fs from "node:fs";
import * as path from "node:path";
import { type Document, LineCounter, parseDocument } from "yaml";
import { findJsonProblem } from "./json-syntax";
import { UsageError } from "./usage-error";

/** A graph spec read from a file, with a way to point at the line of a spec path. */
export interface LoadedSpec {
  /** The path as given on the command line (`-` for standard input). */
  readonly file: string;
  /** The absolute path (the file as given for standard input). */
  readonly path: string;
  /** The parsed spec (not validated yet). */
  readonly value: unknown;
  /** `file:line:col` of a spec path such as `c.inputs.x` (its deepest part present in the file), or undefined. */
  locate(specPath: string): string | undefined;
}

/**
 * Reads a JSON (`.json`) or YAML (any other name, `-` for standard input) graph spec. Throws `UsageError` naming
 * `file:line:col` when it cannot be read or parsed.
 */
export function loadSpec(file: string, cwd = process.cwd()): LoadedSpec {
  const absolute = file === "-" ? "-" : path.resolve(cwd, file);
  let text: string;
  try {
    text = fs.readFileSync(absolute === "-" ? 0 : absolute, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") throw new UsageError(`spec file not found: ${file} (resolved to ${absolute})`);
    if (code === "EISDIR") throw new UsageError(`spec ${file} is a directory, not a JSON or YAML file`);
    throw new UsageError(`cannot read spec ${file}: ${(error as Error).message}`);
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1); // a UTF-8 byte order mark, as some editors write
  const lines = new LineCounter();
  let document: Document | undefined;
  const yamlDocument = () => {
    document ??= parseDocument(text, { lineCounter: lines, prettyErrors: false });
    return document;
  };
  const at = (offset: number) => {
    const { line, col } = lines.linePos(offset);
    return `${file}:${line}:${col}`;
  };

  let value: unknown;
  if (path.extname(file).toLowerCase() === ".json") {
    let parsed: { value: unknown } | undefined;
    try {
      parsed = { value: JSON.parse(text) };
    } catch {
      parsed = undefined;
    }
    // Syntax errors at line:column (V8 does not always say where), and keys given twice, which JSON.parse
    // would keep the last of silently (YAML refuses them too).
    const problem = findJsonProblem(text);
    if (problem !== undefined) {
      const first =
        problem.firstAt === undefined
          ? ""
          : ` (first at line ${lineCol(text, problem.firstAt).join(", column ")}); give each key once`;
      throw new UsageError(
        `${file}:${lineCol(text, problem.offset).join(":")}: invalid JSON: ${problem.reason}${first}`,
      );
    }
    if (parsed === undefined) throw new UsageError(`${file}: invalid JSON`);
    value = parsed.value;
  } else {
    const doc = yamlDocument();
    const problem = doc.errors[0];
    if (problem) throw new UsageError(`${at(problem.pos[0])}: invalid YAML: ${problem.message}`);
    value = doc.toJS({ maxAliasCount: 1000 });
  }
  return {
    file,
    path: absolute,
    value,
    locate(specPath) {
      const doc = yamlDocument();
      if (doc.errors.length) return undefined;
      const keys = splitSpecPath(specPath);
      for (let n = keys.length; n > 0; n--) {
        const node = doc.getIn(keys.slice(0, n), true) as { range?: [number, number, number] } | undefined;
        if (node?.range) return at(node.range[0]);
      }
      return undefined;
    },
  };
}

/** `c.inputs.items[0].name` → `["c", "inputs", "items", 0, "name"]`. */
export function splitSpecPath(specPath: string): (string | number)[] {
  const keys: (string | number)[] = [];
  for (const part of specPath.split(".")) {
    const match = /^([^[]*)((?:\[\d+\])*)$/.exec(part);
    if (!match) {
      keys.push(part);
      continue;
    }
    if (match[1]) keys.push(match[1]);
    for (const index of match[2]!.matchAll(/\[(\d+)\]/g)) keys.push(Number(index[1]));
  }
  return keys;
}

/** The 1-based line and column of `offset` in `text`. */
function lineCol(text: string, offset: number): [number, number] {
  const before = text.slice(0, offset);
  return [before.split("\n").length, offset - before.lastIndexOf("\n")];
}
