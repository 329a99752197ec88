import { getMetadataStore } from "../metadata/metadata-store";
import type { NodeRegistry } from "../metadata/registry";
import type { NodeMetadata } from "../metadata/types";
import { quoted } from "../util/excerpt";
import { isPlainObject } from "../util/is-plain-object";
import { suggestAll } from "../util/suggest";
import { kindOf } from "../validation/validate-data";
import { checkThreadModule } from "./check-thread-module";
import type { ProblemSink } from "./problems";
import { isIdentifier } from "./reference";

const RESERVED_NAMES = new Set(["__proto__", "constructor", "prototype"]);
const ENTRY_KEYS = ["node", "arguments", "inputs"];

/**
 * Checks nodes' names and entry shapes (`{ node, arguments?, inputs }`) and resolves their node classes. One
 * checker serves a whole build: a class named again is not looked up again, and `check` leaves the entry's
 * inputs in `inputs` (read it before the next call).
 */
export class EntryChecker {
  /** The `inputs` of the last entry checked when it is an object of input field → value. */
  inputs: Readonly<Record<string, unknown>> | undefined;
  /** Node names and classes of this build's spec that resolved to a usable class. */
  private readonly resolved = new Map<unknown, NodeMetadata>();

  constructor(private readonly registry: NodeRegistry) {}

  /**
   * The metadata of the class node `name` names when its entry is a plain object whose class resolves (even
   * if other parts of it have problems), else undefined; every problem found goes to `problem`.
   */
  check(name: string, entry: unknown, problem: ProblemSink): NodeMetadata | undefined {
    this.inputs = undefined;
    if (!isIdentifier(name, 0, name.length) || RESERVED_NAMES.has(name)) {
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
    for (const key in spec) {
      if (key === "node" || key === "inputs" || key === "arguments" || !Object.hasOwn(spec, key)) continue;
      const close = suggestAll(key, ENTRY_KEYS, 1);
      problem(
        `${name}.${key}`,
        "unknown-key",
        `${quoted(key)} is not a node spec key (node, arguments, inputs)${close.length ? `; did you mean "${close[0]}"?` : "."}`,
      );
    }
    const node = spec.node;
    let meta = this.resolved.get(node);
    if (meta === undefined) {
      meta = resolveClass(name, node, this.registry, problem);
      if (meta && checkThreadModule(name, meta, problem)) this.resolved.set(node, meta);
    }
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
    } else this.inputs = inputs;
    return meta;
  }
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
