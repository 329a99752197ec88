import type { GraphIssue } from "../errors/graph-validation-error";
import { type FieldInfo, readFields } from "../metadata/describe-node";
import { excerpt, quoted } from "../util/excerpt";
import { suggestAll } from "../util/suggest";
import type { Draft } from "./draft";
import type { Reference } from "./graph-node";
import { formatReference } from "./reference";
import { typesCompatible } from "./type-check";

const fieldMaps = new WeakMap<Function, ReadonlyMap<string, FieldInfo>>();

/** The declared fields of a data class by name (computed once per class). */
function fieldsByName(cls: Function, role: string): ReadonlyMap<string, FieldInfo> {
  let map = fieldMaps.get(cls);
  if (map === undefined) {
    map = new Map(readFields(cls, role).map((f) => [f.name, f]));
    fieldMaps.set(cls, map);
  }
  return map;
}

/**
 * Checks each reference of a draft — known node, known output field, not the node itself, compatible types —
 * and records the good ones as its upstream (sorted by input field).
 */
export function checkReferences(
  draft: Draft,
  drafts: ReadonlyMap<string, Draft>,
  spec: object,
  issues: GraphIssue[],
): void {
  const inputs = Object.keys(draft.references);
  if (inputs.length > 1) inputs.sort();
  for (const input of inputs) {
    const reference = draft.references[input]!;
    const problem = referenceProblem(draft, input, reference, drafts, spec);
    if (problem === undefined) continue;
    issues.push({
      node: draft.name,
      path: `${draft.name}.inputs.${input}`,
      code: problem[0],
      message: problem[1],
    });
    delete draft.references[input];
  }
}

/** `[code, message]` of a bad reference; undefined when it is good (it is then added to the draft's upstream). */
function referenceProblem(
  draft: Draft,
  input: string,
  reference: Reference,
  drafts: ReadonlyMap<string, Draft>,
  spec: object,
): [string, string] | undefined {
  const text = () => excerpt(formatReference(reference));
  if (reference.node === draft.name) {
    return ["self-reference", `${text()} refers to the node itself; a node cannot take its own output.`];
  }
  const parent = drafts.get(reference.node);
  if (!parent) {
    // The parent has problems of its own, reported there.
    if (Object.hasOwn(spec, reference.node)) return undefined;
    const close = suggestAll(reference.node, Object.keys(spec));
    return [
      "unknown-reference-node",
      `${text()} refers to node ${quoted(reference.node)}, which is not in the graph${close.length ? `; did you mean ${close.map((c) => `"${c}"`).join(", ")}?` : "."}`,
    ];
  }
  const outputFields = fieldsByName(parent.meta.output, "output");
  const field = outputFields.get(reference.field);
  if (!field) {
    return [
      "unknown-output-field",
      `${text()}: ${parent.meta.name}'s output has no field ${quoted(reference.field)} (fields: ${[...outputFields.keys()].join(", ") || "none"}).`,
    ];
  }
  const target = fieldsByName(draft.meta.input, "input").get(input)!;
  if (!typesCompatible(field.type, target.type)) {
    return [
      "type-mismatch",
      `${text()} is ${field.type} (${parent.meta.output.name}.${field.name}), but input field "${input}" of ${draft.meta.input.name} is ${target.type}.`,
    ];
  }
  draft.upstream.push({ input, reference, parent });
  return undefined;
}
