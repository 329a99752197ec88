import type { GraphIssue } from "../errors/graph-validation-error";
import { readFields } from "../metadata/describe-node";
import { didYouMean } from "../util/suggest";
import type { Draft } from "./draft";
import { formatReference } from "./reference";
import { typesCompatible } from "./type-check";

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
  for (const input of Object.keys(draft.references).sort()) {
    const reference = draft.references[input]!;
    const path = `${draft.name}.inputs.${input}`;
    const text = formatReference(reference);
    const fail = (code: string, message: string) => {
      issues.push({ node: draft.name, path, code, message });
      delete draft.references[input];
    };
    if (reference.node === draft.name) {
      fail("self-reference", `${text} refers to the node itself; a node cannot take its own output.`);
      continue;
    }
    const parent = drafts.get(reference.node);
    if (!parent) {
      // The parent has problems of its own, reported there.
      if (Object.hasOwn(spec, reference.node)) continue;
      fail(
        "unknown-reference-node",
        `${text} refers to node "${reference.node}", which is not in the graph${didYouMean(reference.node, Object.keys(spec))}`,
      );
      continue;
    }
    const outputFields = readFields(parent.meta.output, "output");
    const field = outputFields.find((f) => f.name === reference.field);
    if (!field) {
      fail(
        "unknown-output-field",
        `${text}: ${parent.meta.name}'s output has no field "${reference.field}" (fields: ${outputFields.map((f) => f.name).join(", ") || "none"}).`,
      );
      continue;
    }
    const target = draft.inputFields.find((f) => f.name === input)!;
    if (!typesCompatible(field.type, target.type)) {
      fail(
        "type-mismatch",
        `${text} is ${field.type} (${parent.meta.output.name}.${field.name}), but input field "${input}" of ${draft.meta.input.name} is ${target.type}.`,
      );
      continue;
    }
    draft.upstream.push({ input, reference, parent });
  }
}
