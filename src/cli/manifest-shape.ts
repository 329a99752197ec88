import { isHexHash } from "../util/hex-hash";
import { isPlainObject } from "../util/is-plain-object";

const STATUSES = new Set(["done", "cached", "failed", "skipped", "not-run"]);

/**
 * Why `value` is not a run manifest as `moirae run` writes it (the first problem, with its path), or undefined.
 * Checks every field `explain`, `graph --cache-dir` and `cache stats` read, so a hand-edited or truncated record
 * is refused with a message instead of failing later on a missing property.
 */
export function manifestProblem(value: unknown): string | undefined {
  if (!isPlainObject(value)) return `it holds ${kind(value)}, not an object`;
  if (value.version !== 1) return `version is ${show(value.version)}, expected 1`;
  for (const field of ["spec", "time"]) {
    if (typeof value[field] !== "string") return `${field} is ${kind(value[field])}, not a string`;
  }
  if (!isPlainObject(value.nodes)) return `nodes is ${kind(value.nodes)}, not an object`;
  for (const [name, entry] of Object.entries(value.nodes)) {
    const problem = entryProblem(entry);
    if (problem !== undefined) return `nodes.${name}${problem}`;
  }
  return undefined;
}

function entryProblem(entry: unknown): string | undefined {
  if (!isPlainObject(entry)) return ` is ${kind(entry)}, not an object`;
  if (typeof entry.status !== "string" || !STATUSES.has(entry.status)) {
    return `.status is ${show(entry.status)}, not one of ${[...STATUSES].join(", ")}`;
  }
  const hash = entry.hash;
  if (!isPlainObject(hash)) return `.hash is ${kind(hash)}, not an object`;
  if (!isHexHash(hash.hash)) return `.hash.hash is ${show(hash.hash)}, not a node hash`;
  if (typeof hash.node !== "string") return `.hash.node is ${kind(hash.node)}, not a string`;
  if (typeof hash.formatVersion !== "number")
    return `.hash.formatVersion is ${kind(hash.formatVersion)}, not a number`;
  const f = hash.fingerprint;
  if (!isPlainObject(f)) return `.hash.fingerprint is ${kind(f)}, not an object`;
  if (typeof f.name !== "string" || typeof f.source !== "string") {
    return ".hash.fingerprint has no name or source string";
  }
  if (f.version !== undefined && typeof f.version !== "string" && typeof f.version !== "number") {
    return `.hash.fingerprint.version is ${kind(f.version)}, not a string or number`;
  }
  for (const list of ["input", "output", "arguments"]) {
    const fields = f[list];
    if (!Array.isArray(fields) || !fields.every((x) => typeof x === "string")) {
      return `.hash.fingerprint.${list} is not a list of strings`;
    }
  }
  for (const part of ["arguments", "inputs", "upstream"]) {
    if (!isPlainObject(hash[part])) return `.hash.${part} is ${kind(hash[part])}, not an object`;
  }
  for (const [input, up] of Object.entries(hash.upstream as Record<string, unknown>)) {
    if (
      !isPlainObject(up) ||
      typeof up.node !== "string" ||
      typeof up.field !== "string" ||
      !isHexHash(up.hash)
    ) {
      return `.hash.upstream.${input} is not { node, field, hash }`;
    }
  }
  return undefined;
}

function kind(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  return typeof value === "object"
    ? "an object"
    : `${typeof value === "undefined" ? "missing" : `a ${typeof value}`}`;
}

function show(value: unknown): string {
  return typeof value === "string" || typeof value === "number" ? JSON.stringify(value) : kind(value);
}
