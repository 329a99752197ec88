import type { GraphIssue } from "../errors/graph-validation-error";
import { upstreamLineEnd } from "../hashing/topological-hash";
import { type FieldInfo, readFields } from "../metadata/describe-node";
import type { NodeMetadata } from "../metadata/types";
import { excerpt, quoted } from "../util/excerpt";
import { suggestAll } from "../util/suggest";
import type { InputShape } from "./check-inputs";
import type { Reference } from "./graph-node";
import type { NodeTable } from "./node-table";
import { typesCompatible } from "./type-check";

/** An output field, with the end of the hash text's line of an input that takes it. */
interface OutputField {
  readonly info: FieldInfo;
  readonly lineEnd: string;
}

const fieldMaps = new WeakMap<Function, ReadonlyMap<string, OutputField>>();

/** The declared fields of an output class by name (computed once per class). */
function outputFieldsOf(cls: Function): ReadonlyMap<string, OutputField> {
  let map = fieldMaps.get(cls);
  if (map === undefined) {
    map = new Map(
      readFields(cls, "output").map((f) => [f.name, { info: f, lineEnd: upstreamLineEnd(f.name) }]),
    );
    fieldMaps.set(cls, map);
  }
  return map;
}

/**
 * Checks the references of nodes — known node, known output field, not the node itself, compatible types — and
 * records the parents of the good ones in the table. One checker serves a whole build; a node's reference texts
 * come by input field index (undefined for a literal), with where their dots are.
 */
export class ReferenceChecker {
  /** By input field index, for the node resolved last: the id of the node each reference names (-1: none). */
  readonly parents: number[] = [];
  /** By input field index, for the node checked last: its good references, and their `upstreamLineEnd`s. */
  readonly found: (Reference | undefined)[] = [];
  readonly lineEnds: string[] = [];
  private outputClass: Function | undefined;
  private outputFields: ReadonlyMap<string, OutputField> | undefined;

  /** @param issues receives each problem, and `issueIds` the id of its node. */
  constructor(
    private readonly table: NodeTable,
    private readonly issues: GraphIssue[],
    private readonly issueIds: number[],
  ) {}

  /** Looks up the nodes a node's references name; false when one of them comes after node `checked`. */
  resolve(
    shape: InputShape,
    texts: readonly (string | undefined)[],
    dots: readonly number[],
    checked: number,
  ): boolean {
    const { ids } = this.table;
    for (let i = 0; i < shape.fields.length; i++) {
      const text = texts[i];
      if (text === undefined) continue;
      const parent = ids.idOfSlice(text, 2, dots[i]!);
      this.parents[i] = parent;
      if (parent > checked) return false;
    }
    return true;
  }

  /**
   * Checks the references of node `id`, resolved last, in input field order. Returns them (frozen, in the input
   * class's field order) when all are good, else undefined after reporting each problem. The parents of the good
   * ones become the node's parents in the table.
   */
  check(
    id: number,
    meta: NodeMetadata,
    shape: InputShape,
    texts: readonly (string | undefined)[],
    dots: readonly number[],
  ): Readonly<Record<string, Reference>> | undefined {
    this.table.beginParents(id);
    let good = true;
    for (let k = 0; k < shape.sorted.length; k++) {
      const i = shape.sorted[k]!;
      const text = texts[i];
      if (text === undefined) continue;
      if (this.checkOne(id, meta, shape.fields[i]!, i, text, dots[i]!))
        this.table.addParent(id, this.parents[i]!);
      else good = false;
    }
    if (!good) return undefined;
    const references: Record<string, Reference> = {};
    for (let i = 0; i < shape.fields.length; i++) {
      if (texts[i] !== undefined) references[shape.fields[i]!.name] = this.found[i]!;
    }
    return Object.freeze(references);
  }

  /** Whether reference `text` of input field `target` (index `i`) is good; reports its problem if not. */
  private checkOne(
    id: number,
    meta: NodeMetadata,
    target: FieldInfo,
    i: number,
    text: string,
    dot: number,
  ): boolean {
    this.found[i] = undefined;
    const { names, metas } = this.table;
    const parent = this.parents[i]!;
    const input = target.name;
    if (parent === id) {
      return this.fail(
        id,
        input,
        "self-reference",
        `${excerpt(text)} refers to the node itself; a node cannot take its own output.`,
      );
    }
    if (parent < 0) {
      const node = text.slice(2, dot);
      const close = suggestAll(node, names);
      return this.fail(
        id,
        input,
        "unknown-reference-node",
        `${excerpt(text)} refers to node ${quoted(node)}, which is not in the graph${close.length ? `; did you mean ${close.map((c) => `"${c}"`).join(", ")}?` : "."}`,
      );
    }
    const parentMeta = metas[parent];
    if (parentMeta === undefined) return false; // The parent has problems of its own, reported there.
    if (parentMeta.output !== this.outputClass) {
      this.outputClass = parentMeta.output;
      this.outputFields = outputFieldsOf(parentMeta.output);
    }
    const outputFields = this.outputFields!;
    const fieldName = text.slice(dot + 1, text.length - 1);
    const output = outputFields.get(fieldName);
    if (!output) {
      return this.fail(
        id,
        input,
        "unknown-output-field",
        `${excerpt(text)}: ${parentMeta.name}'s output has no field ${quoted(fieldName)} (fields: ${[...outputFields.keys()].join(", ") || "none"}).`,
      );
    }
    const field = output.info;
    if (!typesCompatible(field.type, target.type)) {
      return this.fail(
        id,
        input,
        "type-mismatch",
        `${excerpt(text)} is ${field.type} (${parentMeta.output.name}.${field.name}), but input field "${input}" of ${meta.input.name} is ${target.type}.`,
      );
    }
    this.found[i] = { node: names[parent]!, field: field.name };
    this.lineEnds[i] = output.lineEnd;
    return true;
  }

  private fail(id: number, input: string, code: string, message: string): false {
    const node = this.table.names[id]!;
    this.issues.push({ node, path: `${node}.inputs.${input}`, code, message });
    this.issueIds.push(id);
    return false;
  }
}
