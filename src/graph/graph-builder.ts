import { type DependencyContainer, inject, injectable, container as rootContainer } from "tsyringe";
import { type GraphIssue, GraphValidationError } from "../errors/graph-validation-error";
import { UnhashableValueError } from "../errors/unhashable-value-error";
import { canonicalEncode } from "../hashing/canonical";
import { fingerprintOf } from "../hashing/fingerprint";
import { topologicalHash, type UpstreamPart } from "../hashing/topological-hash";
import { type FieldInfo, readFields } from "../metadata/describe-node";
import { getMetadataStore } from "../metadata/metadata-store";
import { NodeRegistry } from "../metadata/registry";
import type { NodeClass, NodeMetadata } from "../metadata/types";
import { suggestAll } from "../util/suggest";
import { checkArguments } from "../validation/resolve-arguments";
import { kindOf } from "../validation/validate-data";
import { Graph } from "./graph";
import type { GraphNode, NodePlan, Reference } from "./graph-node";
import type { GraphSpec } from "./graph-spec";
import { GraphSpecBuilder } from "./graph-spec-builder";
import { formatReference, IDENTIFIER, parseInput } from "./reference";
import { topologicalOrder } from "./topological-order";
import { isLiteralOfType, typesCompatible } from "./type-check";

const RESERVED_NAMES = new Set(["__proto__", "constructor", "prototype"]);
const ENTRY_KEYS = ["node", "arguments", "inputs"];

/** A node that passed the per-node checks, waiting for references, ordering and hashing. */
interface Draft {
  readonly name: string;
  readonly meta: NodeMetadata;
  readonly inputFields: readonly FieldInfo[];
  readonly args: Readonly<Record<string, unknown>>;
  readonly canonicalArgs: string;
  readonly literals: Record<string, unknown>;
  readonly references: Record<string, Reference>;
  /** Whether every check of this node passed. */
  valid: boolean;
  /** Position in the spec. */
  id: number;
  /** The checked references, sorted by input field, with the parent's draft. */
  upstream: { input: string; reference: Reference; parent: Draft }[];
  /** Set once the node is hashed. */
  hash: string;
}

/**
 * Turns a `GraphSpec` into a validated, ordered, hashed `Graph`, or throws one `GraphValidationError` listing
 * every problem of the spec. Injectable: node classes are looked up through the injected `NodeRegistry`.
 *
 * @example
 * const graph = container.resolve(GraphBuilder).build(spec);
 */
@injectable()
export class GraphBuilder {
  /** Where node classes whose constructors need services are constructed to read argument defaults. */
  container: DependencyContainer = rootContainer;

  constructor(@inject(NodeRegistry) private readonly registry: NodeRegistry) {}

  /** Validates, orders and hashes `spec`. Throws `GraphValidationError` with every problem found. */
  build(spec: GraphSpec | GraphSpecBuilder): Graph {
    if (spec instanceof GraphSpecBuilder) spec = spec.toSpec();
    if (spec === null || typeof spec !== "object" || Array.isArray(spec)) {
      throw new GraphValidationError([
        {
          node: "",
          path: "",
          code: "invalid-spec",
          message: `a graph spec must be an object of node name → { node, arguments?, inputs }, got ${kindOf(spec)}.`,
        },
      ]);
    }
    const issues: GraphIssue[] = [];
    const drafts = new Map<string, Draft>();
    const argumentMemo = new Map<string, ReturnType<typeof checkArguments> & { canonical?: string }>();
    const defaults = new Map<Function, object | undefined>();
    for (const name of Object.keys(spec)) {
      const draft = this.checkNode(
        name,
        (spec as Record<string, unknown>)[name],
        issues,
        argumentMemo,
        defaults,
      );
      if (draft) drafts.set(name, draft);
    }
    const list = [...drafts.values()];
    for (let id = 0; id < list.length; id++) list[id]!.id = id;
    for (const draft of list) this.checkReferences(draft, drafts, spec, issues);
    const { order, cycles } = topologicalOrder(list.length, (id) => parentIds(list[id]!));
    for (const cycle of cycles) {
      const names = cycle.map((id) => list[id]!.name);
      issues.push({
        node: names[0]!,
        path: names[0]!,
        code: "cycle",
        message: `cycle: ${names.join(" -> ")}. A graph must be acyclic: remove one of these references.`,
      });
    }
    if (issues.length) throw new GraphValidationError(issues);

    // Every draft is valid here (any problem was recorded as an issue): hash them in order.
    const plans = new Map<string, NodePlan>();
    for (const id of order) {
      const draft = list[id]!;
      plans.set(draft.name, this.plan(draft, issues));
    }
    if (issues.length) throw new GraphValidationError(issues);
    return new Graph(
      plans,
      order.map((id) => list[id]!.name),
    );
  }

  /** Per-node checks: name, entry shape, class, arguments, input fields and literals. */
  private checkNode(
    name: string,
    entry: unknown,
    issues: GraphIssue[],
    argumentMemo: Map<string, ReturnType<typeof checkArguments> & { canonical?: string }>,
    defaults: Map<Function, object | undefined>,
  ): Draft | undefined {
    let ok = true;
    const problem = (path: string, code: string, message: string) => {
      issues.push({ node: name, path, code, message });
      ok = false;
    };
    if (!IDENTIFIER.test(name) || RESERVED_NAMES.has(name)) {
      problem(
        name,
        "invalid-node-name",
        RESERVED_NAMES.has(name)
          ? `"${name}" cannot be a node name (it is reserved by JavaScript); rename the node.`
          : `node names must be identifiers ([A-Za-z_][A-Za-z0-9_]*), got ${JSON.stringify(name)}; rename the node.`,
      );
    }
    if (entry === null || typeof entry !== "object" || Array.isArray(entry)) {
      problem(name, "invalid-entry", `must be an object { node, arguments?, inputs }, got ${kindOf(entry)}.`);
      return undefined;
    }
    const spec = entry as Record<string, unknown>;
    for (const key of Object.keys(spec)) {
      if (!ENTRY_KEYS.includes(key)) {
        const close = suggestAll(key, ENTRY_KEYS, 1);
        problem(
          `${name}.${key}`,
          "unknown-key",
          `"${key}" is not a node spec key (node, arguments, inputs)${close.length ? `; did you mean "${close[0]}"?` : "."}`,
        );
      }
    }
    const meta = this.resolveClass(name, spec.node, problem);
    const inputs = spec.inputs;
    if (inputs === undefined)
      problem(
        `${name}.inputs`,
        "missing-inputs",
        `has no "inputs": give every input field a value or a \${node.field} reference.`,
      );
    else if (inputs === null || typeof inputs !== "object" || Array.isArray(inputs)) {
      problem(
        `${name}.inputs`,
        "invalid-inputs",
        `"inputs" must be an object of input field → value, got ${kindOf(inputs)}.`,
      );
    }
    if (!meta) return undefined;

    // Arguments: checked once per (class, arguments) pair.
    let args: Readonly<Record<string, unknown>> = {};
    let canonicalArgs = "";
    let memoKey: string | undefined;
    try {
      memoKey = `${meta.name}\u0000${canonicalEncode(spec.arguments, `${name}.arguments`)}`;
    } catch (error) {
      if (!(error instanceof UnhashableValueError)) throw error;
      problem(error.path, "unhashable", `${error.reason}. Arguments must be plain data.`);
    }
    if (memoKey !== undefined) {
      let checked = argumentMemo.get(memoKey);
      if (!checked) {
        const instance = this.defaultsOf(meta, defaults);
        checked =
          instance === undefined
            ? {
                ok: false,
                issues: [
                  {
                    path: "",
                    constraints: {
                      cannotConstruct: `${meta.name} could not be constructed to read its argument defaults; register its constructor services in the container given to buildGraph`,
                    },
                  },
                ],
              }
            : checkArguments(meta.target, spec.arguments, instance);
        if (checked.ok) {
          try {
            checked = { ...checked, canonical: canonicalEncode(checked.value, `${name}.arguments`) };
          } catch (error) {
            if (!(error instanceof UnhashableValueError)) throw error;
            problem(error.path, "unhashable", `${error.reason}. Arguments must be plain data.`);
            checked = { ok: false, issues: [] };
          }
        }
        argumentMemo.set(memoKey, checked);
      }
      if (checked.ok) {
        args = checked.value;
        canonicalArgs = checked.canonical!;
      } else {
        for (const issue of checked.issues) {
          const path = issue.path ? `${name}.arguments.${issue.path}` : `${name}.arguments`;
          problem(
            path,
            argumentIssueCode(issue.constraints),
            `${Object.values(issue.constraints).join("; ")}.`,
          );
        }
      }
    }

    // Inputs: every declared field given, nothing unknown, literals of the declared type.
    const inputFields = readFields(meta.input, "input");
    const literals: Record<string, unknown> = {};
    const references: Record<string, Reference> = {};
    if (inputs !== null && typeof inputs === "object" && !Array.isArray(inputs)) {
      const given = inputs as Record<string, unknown>;
      const fieldNames = inputFields.map((f) => f.name);
      for (const key of Object.keys(given)) {
        if (fieldNames.includes(key)) continue;
        const close = suggestAll(key, fieldNames, 1);
        problem(
          `${name}.inputs.${key}`,
          "unknown-input",
          `${meta.input.name} has no field "${key}" (fields: ${fieldNames.join(", ") || "none"})${close.length ? `; did you mean "${close[0]}"?` : "."}`,
        );
      }
      for (const field of inputFields) {
        const path = `${name}.inputs.${field.name}`;
        if (!(field.name in given) || given[field.name] === undefined) {
          if (!field.optional) {
            problem(
              path,
              "missing-input",
              `input field "${field.name}" (${field.type}) of ${meta.input.name} is not given.`,
            );
          }
          continue;
        }
        const parsed = parseInput(given[field.name]);
        if (parsed.kind === "reference") references[field.name] = parsed.reference;
        else if (parsed.kind === "invalid") {
          problem(
            parsed.path ? `${path}${parsed.path.startsWith("[") ? "" : "."}${parsed.path}` : path,
            "invalid-reference",
            `${JSON.stringify(parsed.text)} is neither a reference nor a literal: a reference is exactly "\${node.field}"; ` +
              `to write a literal "\${", escape it as "$\${".`,
          );
        } else if (!isLiteralOfType(parsed.value, field)) {
          problem(
            path,
            "invalid-literal",
            `${kindOf(parsed.value)} literal cannot feed input field "${field.name}" of type ${field.type}.`,
          );
        } else literals[field.name] = parsed.value;
      }
    }
    return {
      name,
      meta,
      inputFields,
      args,
      canonicalArgs,
      literals,
      references,
      valid: ok,
      id: 0,
      upstream: [],
      hash: "",
    };
  }

  /** The metadata of the node class `node` names, or a problem (with the closest registered names). */
  private resolveClass(
    name: string,
    node: unknown,
    problem: (path: string, code: string, message: string) => void,
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
      if (!meta)
        problem(
          path,
          "unknown-node-class",
          `${node.name || "this class"} is not a node class: decorate it with @Node.`,
        );
      return meta;
    }
    if (typeof node !== "string") {
      problem(path, "missing-node", `"node" must be a registered node name or class, got ${kindOf(node)}.`);
      return undefined;
    }
    const cls = this.registry.get(node);
    const meta = cls && store.nodeByClass(cls);
    if (!meta) {
      const close = suggestAll(node, this.registry.names());
      problem(
        path,
        "unknown-node-class",
        `no node class is registered as "${node}"${close.length ? `; did you mean ${close.map((c) => `"${c}"`).join(", ")}?` : "."}` +
          " Is the module that defines it imported?",
      );
    }
    return meta;
  }

  /** Checks each reference: known node, known output field, not itself, compatible types. */
  private checkReferences(
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
        draft.valid = false;
        delete draft.references[input];
      };
      if (reference.node === draft.name) {
        fail("self-reference", `${text} refers to the node itself; a node cannot take its own output.`);
        continue;
      }
      const parent = drafts.get(reference.node);
      if (!parent) {
        if (Object.hasOwn(spec, reference.node)) {
          // The parent has problems of its own, reported there; keep the edge for cycle detection.
          draft.valid = false;
          continue;
        }
        const close = suggestAll(reference.node, Object.keys(spec));
        fail(
          "unknown-reference-node",
          `${text} refers to node "${reference.node}", which is not in the graph${close.length ? `; did you mean ${close.map((c) => `"${c}"`).join(", ")}?` : "."}`,
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

  /** Hashes a node whose parents are planned already. */
  private plan(draft: Draft, issues: GraphIssue[]): NodePlan {
    const { fingerprint, hash: fingerprintHash } = fingerprintOf(draft.meta);
    let canonicalInputs = "";
    try {
      canonicalInputs = canonicalEncode(draft.literals, `${draft.name}.inputs`);
    } catch (error) {
      if (!(error instanceof UnhashableValueError)) throw error;
      issues.push({
        node: draft.name,
        path: error.path,
        code: "unhashable",
        message: `${error.reason}. Inputs must be plain data.`,
      });
    }
    const upstream: UpstreamPart[] = [];
    const upstreamByInput: Record<string, { node: string; field: string; hash: string }> = {};
    for (const { input, reference, parent } of draft.upstream) {
      upstream.push({ input, hash: parent.hash, field: reference.field });
      upstreamByInput[input] = { node: parent.name, field: reference.field, hash: parent.hash };
    }
    const hash = topologicalHash(fingerprintHash, draft.canonicalArgs, canonicalInputs, upstream);
    draft.hash = hash;
    const node: GraphNode = Object.freeze({
      name: draft.name,
      nodeClass: draft.meta.target as NodeClass,
      arguments: draft.args,
      inputs: Object.freeze(draft.literals),
      references: Object.freeze(draft.references),
      hash,
    });
    return {
      node,
      meta: draft.meta,
      components: Object.freeze({
        formatVersion: 1,
        fingerprint,
        fingerprintHash,
        arguments: draft.args,
        inputs: node.inputs,
        upstream: Object.freeze(upstreamByInput),
      }),
    };
  }

  /** An instance of the class to read argument defaults from: constructed without services if it can be. */
  private defaultsOf(meta: NodeMetadata, cache: Map<Function, object | undefined>): object | undefined {
    if (cache.has(meta.target)) return cache.get(meta.target);
    let instance: object | undefined;
    try {
      instance = Reflect.construct(meta.target, []);
    } catch {
      try {
        instance = this.container.resolve(meta.target as new () => object);
      } catch {
        instance = undefined;
      }
    }
    cache.set(meta.target, instance);
    return instance;
  }
}

/** The parents of a draft (its references' nodes). */
/** The issue code of one failed argument check. */
function argumentIssueCode(constraints: Readonly<Record<string, string>>): string {
  if ("unknownArgument" in constraints) return "unknown-argument";
  if ("cannotConstruct" in constraints) return "cannot-construct";
  if ("isDefined" in constraints) return "missing-argument";
  return "invalid-argument";
}

/** The ids of a draft's parents, without duplicates. */
function parentIds(draft: Draft): number[] {
  const ids: number[] = [];
  for (const { parent } of draft.upstream) if (!ids.includes(parent.id)) ids.push(parent.id);
  return ids;
}

/**
 * Builds a graph from a spec with the `GraphBuilder` of `options.container` (default: tsyringe's root
 * container). Throws `GraphValidationError` listing every problem.
 *
 * @example
 * const graph = buildGraph({
 *   a: { node: "AddMul", arguments: { coef: 1 }, inputs: { x: 1, y: 2 } },
 *   c: { node: "AddMul", inputs: { x: "${a.o}", y: 3 } },
 * });
 */
export function buildGraph(
  spec: GraphSpec | GraphSpecBuilder,
  options: { container?: DependencyContainer } = {},
): Graph {
  const container = options.container ?? rootContainer;
  const builder = container.resolve(GraphBuilder);
  builder.container = container;
  return builder.build(spec);
}
