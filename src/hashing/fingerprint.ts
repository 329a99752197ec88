import type { FieldInfo } from "../metadata/describe-node";
import { describeNode } from "../metadata/describe-node";
import type { Class, NodeMetadata } from "../metadata/types";
import { canonicalEncode } from "./canonical";
import type { Fingerprint } from "./hash-components";
import { sha256Hex } from "./sha256";

const cache = new WeakMap<Function, { fingerprint: Fingerprint; hash: string }>();

/**
 * What a node class contributes to every hash of its nodes: registered name, `version`, the names and declared
 * types of its input, output and argument fields, and its source text (the class and its base classes, so
 * `execute` and every helper method are covered). Computed once per class.
 */
export function fingerprintOf(meta: NodeMetadata): { fingerprint: Fingerprint; hash: string } {
  const cached = cache.get(meta.target);
  if (cached && cached.fingerprint.name === meta.name) return cached;
  const description = describeNode(meta.target);
  const fingerprint: Fingerprint = Object.freeze({
    name: meta.name,
    version: meta.version,
    input: fieldList(description.input),
    output: fieldList(description.output),
    arguments: fieldList(description.arguments),
    source: sourceOf(meta.target),
  });
  const entry = { fingerprint, hash: sha256Hex(canonicalEncode({ ...fingerprint }, "fingerprint")) };
  cache.set(meta.target, entry);
  return entry;
}

/** `name:Type` (`name?:Type` when optional), sorted by name. */
function fieldList(fields: readonly FieldInfo[]): readonly string[] {
  return Object.freeze(fields.map((f) => `${f.name}${f.optional ? "?" : ""}:${f.type}`).sort());
}

/** The source of a class and of each base class up to (not including) Object. */
function sourceOf(target: Class): string {
  const parts: string[] = [];
  for (
    let cls: Function | null = target;
    cls && cls !== Function.prototype;
    cls = Object.getPrototypeOf(cls)
  ) {
    parts.push(Function.prototype.toString.call(cls));
  }
  return parts.join("\n");
}
