import { getMetadataStore } from "../metadata/metadata-store";
import type { NodeRegistry } from "../metadata/registry";
import type { NodeMetadata } from "../metadata/types";
import { quoted } from "../util/excerpt";
import { isPlainObject } from "../util/is-plain-object";
import { suggestAll } from "../util/suggest";
import { kindOf } from "../validation/validate-data";
import { checkThreadModule } from "./check-thread-module";
import type { ProblemSink } from "./draft";
import { IDENTIFIER } from "./reference";

const RESERVED_NAMES = new Set(["__proto__", "constructor", "prototype"]);
const ENTRY_KEYS = ["node", "arguments", "inputs"];

/** A node entry of the spec whose shape is right, with the metadata of the class it names (when it names one). */
export interface CheckedEntry {
  readonly entry: Readonly<Record<string, unknown>>;
  readonly meta: NodeMetadata | undefined;
  /** The entry's `inputs` when it is an object of input field → value. */
  readonly inputs: Readonly<Record<string, unknown>> | undefined;
}

/** Checks a node's name and entry shape (`{ node, arguments?, inputs }`) and resolves its node class. */
export function checkEntry(
  name: string,
  entry: unknown,
  registry: NodeRegistry,
  problem: ProblemSink,
): CheckedEntry | undefined {
  if (!IDENTIFIER.test(name) || RESERVED_NAMES.has(name)) {
    problem(
      name,
      "invalid-node-name",
      RESERVED_NAMES.has(name)
        ? `"${name}" cannot be a node name (it is reserved by JavaScript); rename the node.`
        : `node names must be identifiers ([A-Za-z_][A-Za-z0-9_]*), got ${quoted(name)}; rename the node.`,
    );
  }
  if (!isPlainObject(entry)) {
    problem(
      name,
      "invalid-entry",
      `must be a plain object { node, arguments?, inputs }, got ${kindOf(entry)}.`,
    );
    return undefined;
  }
  const spec = entry as Record<string, unknown>;
  for (const key of Object.keys(spec)) {
    if (!ENTRY_KEYS.includes(key)) {
      const close = suggestAll(key, ENTRY_KEYS, 1);
      problem(
        `${name}.${key}`,
        "unknown-key",
        `${quoted(key)} is not a node spec key (node, arguments, inputs)${close.length ? `; did you mean "${close[0]}"?` : "."}`,
      );
    }
  }
  const meta = resolveClass(name, spec.node, registry, problem);
  if (meta) checkThreadModule(name, meta, problem);
  const inputs = spec.inputs;
  if (inputs === undefined) {
    problem(
      `${name}.inputs`,
      "missing-inputs",
      `has no "inputs": give every input field a value or a \${node.field} reference.`,
    );
  } else if (!isPlainObject(inputs)) {
    problem(
      `${name}.inputs`,
      "invalid-inputs",
      `"inputs" must be a plain object of input field → value, got ${kindOf(inputs)}.`,
    );
  }
  const given = isPlainObject(inputs) ? inputs : undefined;
  return { entry: spec, meta, inputs: given };
}

/** The metadata of the node class `node` names, or a problem (with the closest registered names). */
function resolveClass(
  name: string,
  node: unknown,
  registry: NodeRegistry,
  problem: ProblemSink,
): NodeMetadata | undefined {
  const path = `${name}.node`;
  if (node === undefined) {
    problem(
      path,
      "missing-node",
      `has no "node": name the node class, e.g. { node: "AddMul", inputs: { … } }.`,
    );
    return undefined;
  }
  const store = getMetadataStore();
  if (typeof node === "function") {
    const meta = store.nodeByClass(node);
    if (!meta) {
      problem(
        path,
        "unknown-node-class",
        `${node.name || "this class"} is not a node class: decorate it with @Node.`,
      );
    }
    return meta;
  }
  if (typeof node !== "string") {
    problem(path, "missing-node", `"node" must be a registered node name or class, got ${kindOf(node)}.`);
    return undefined;
  }
  const cls = registry.get(node);
  const meta = cls && store.nodeByClass(cls);
  if (!meta) {
    const close = suggestAll(node, registry.names());
    problem(
      path,
      "unknown-node-class",
      `no node class is registered as ${quoted(node)}${close.length ? `; did you mean ${close.map((c) => `"${c}"`).join(", ")}?` : "."}` +
        " Is the module that defines it imported?",
    );
  }
  return meta;
}
