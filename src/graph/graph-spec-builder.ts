import { type GraphIssue, GraphValidationError } from "../errors/graph-validation-error";
import { getMetadataStore } from "../metadata/metadata-store";
import type { NodeClass } from "../metadata/types";
import type { GraphSpec, NodeSpec } from "./graph-spec";
import { OutputReference } from "./output-reference";
import type { NodeOutputs, TypedNodeParameters } from "./typed-spec";

interface Entry {
  readonly name: string;
  readonly nodeClass: NodeClass;
  readonly arguments?: Record<string, unknown>;
  readonly inputs: Record<string, unknown>;
}

/**
 * Builds a graph spec in code, typed from the node classes: `node()` checks a node's `arguments` and `inputs`
 * against its class and returns typed references to its output fields, so `tsc` rejects a missing or unknown
 * input field, a literal or reference of the wrong type, an unknown output field or argument, at the line of
 * the mistake. `buildGraph(builder)` builds the same graph as the plain spec `toSpec()` returns, with the same
 * checks at run time.
 *
 * The types come from the classes, never declared twice: input fields from `execute`'s parameter type, output
 * fields from what it resolves to, arguments from the node class's public non-method properties.
 *
 * @example
 * const spec = new GraphSpecBuilder();
 * const a = spec.node("a", AddMul, { arguments: { coef: 2 }, inputs: { x: 1, y: 2 } });
 * const b = spec.node("b", Multiply, { inputs: { x: 3, y: 2 } });
 * spec.node("c", AddMul, { inputs: { x: b.o, y: a.o } }); // b.o: b's output field o
 * const graph = buildGraph(spec);
 */
export class GraphSpecBuilder {
  readonly #entries: Entry[] = [];

  /**
   * Adds node `name` of class `nodeClass` and returns one typed reference per field of its output, to give as
   * inputs of later nodes. `inputs` may be left out when the node's input has no required field.
   */
  node<C extends NodeClass>(
    name: string,
    nodeClass: C,
    ...options: TypedNodeParameters<NoInfer<C>>
  ): NodeOutputs<C> {
    const { arguments: args, inputs = {} } = (options[0] ?? {}) as {
      arguments?: Record<string, unknown>;
      inputs?: Record<string, unknown>;
    };
    this.#entries.push({ name, nodeClass, ...(args === undefined ? {} : { arguments: args }), inputs });
    return outputsOf(name, this) as NodeOutputs<C>;
  }

  /**
   * The plain spec: node classes by their registered names, references as `"${node.field}"`, and every `${` of
   * a literal string escaped as `$${`. It can be written as JSON. Throws `GraphValidationError` for what types
   * cannot see: two nodes of one name, a reference made by another builder, a reference nested in a literal.
   */
  toSpec(): GraphSpec {
    const issues: GraphIssue[] = [];
    const spec: GraphSpec = {};
    for (const entry of this.#entries) {
      if (Object.hasOwn(spec, entry.name)) {
        issues.push({
          node: entry.name,
          path: entry.name,
          code: "duplicate-node",
          message: `two nodes are named "${entry.name}": give each node() of a GraphSpecBuilder its own name.`,
        });
        continue;
      }
      const inputs: Record<string, unknown> = {};
      for (const [field, value] of Object.entries(entry.inputs)) {
        const path = `${entry.name}.inputs.${field}`;
        if (value instanceof OutputReference) {
          if (value.owner !== this) {
            issues.push({
              node: entry.name,
              path,
              code: "foreign-reference",
              message: `${value} was made by another GraphSpecBuilder: use references returned by this builder's node().`,
            });
          }
          inputs[field] = value.toString();
        } else {
          inputs[field] = escapeLiteral(value, path, entry.name, issues);
        }
      }
      const nodeSpec: NodeSpec = {
        node: getMetadataStore().nodeByClass(entry.nodeClass)?.name ?? entry.nodeClass,
        ...(entry.arguments === undefined ? {} : { arguments: entry.arguments }),
        inputs,
      };
      spec[entry.name] = nodeSpec;
    }
    if (issues.length) throw new GraphValidationError(issues);
    return spec;
  }
}

/** One reference per output field, made on first use (unknown fields too, so `as any` still reaches buildGraph). */
function outputsOf(node: string, owner: GraphSpecBuilder): object {
  const made = new Map<string, OutputReference>();
  return new Proxy(Object.create(null), {
    get(_, field) {
      if (typeof field !== "string") return undefined;
      let reference = made.get(field);
      if (!reference) {
        reference = new OutputReference(node, field, owner);
        made.set(field, reference);
      }
      return reference;
    },
  });
}

/**
 * A literal as the spec writes it: `${` → `$${` in every string of arrays and plain objects, copied only where
 * something changes. A cycle is left as it is, for `buildGraph` to report.
 */
function escapeLiteral(
  value: unknown,
  path: string,
  node: string,
  issues: GraphIssue[],
  seen = new Set<object>(),
): unknown {
  if (typeof value === "string") return value.includes("${") ? value.replaceAll("${", () => "$${") : value;
  if (value === null || typeof value !== "object" || seen.has(value)) return value;
  if (value instanceof OutputReference) {
    issues.push({
      node,
      path,
      code: "nested-reference",
      message: `${value} is inside a literal: a reference must be a whole input value.`,
    });
    return value.toString();
  }
  const isArray = Array.isArray(value);
  if (!isArray && Object.getPrototypeOf(value) !== Object.prototype) return value;
  seen.add(value);
  let copy: any;
  for (const [key, item] of Object.entries(value)) {
    const escaped = escapeLiteral(item, isArray ? `${path}[${key}]` : `${path}.${key}`, node, issues, seen);
    if (escaped !== item) {
      copy ??= isArray ? [...(value as unknown[])] : { ...value };
      copy[key] = escaped;
    }
  }
  seen.delete(value);
  return copy ?? value;
}
