import { inject, injectable, container as rootContainer } from "tsyringe";
import { GraphValidationError } from "../errors/graph-validation-error";
import { MoiraeError } from "../errors/moirae-error";
import type { NodeContainer } from "../metadata/node-container";
import { NodeRegistry } from "../metadata/registry";
import { messageOf } from "../util/error-text";
import { isPlainObject } from "../util/is-plain-object";
import { isThenable } from "../util/is-thenable";
import { kindOf } from "../validation/validate-data";
import type { Graph } from "./graph";
import { GraphAssembler } from "./graph-assembler";
import type { GraphSpec } from "./graph-spec";
import { GraphSpecBuilder } from "./graph-spec-builder";

/** Options of `GraphBuilder.build` and `buildGraph`. */
export interface BuildOptions {
  /**
   * Where node classes whose constructors need services are constructed to read their argument defaults
   * (default: tsyringe's root container).
   */
  container?: NodeContainer;
}

/**
 * Turns a `GraphSpec` into a validated, ordered, hashed `Graph`, or throws one `GraphValidationError` listing
 * every problem of the spec. Injectable: node classes are looked up through the injected `NodeRegistry`.
 *
 * @example
 * const graph = container.resolve(GraphBuilder).build(spec, { container });
 */
@injectable()
export class GraphBuilder {
  constructor(@inject(NodeRegistry) private readonly registry: NodeRegistry) {}

  /** Validates, orders and hashes `spec`. Throws `GraphValidationError` with every problem found. */
  build(spec: GraphSpec | GraphSpecBuilder, options: BuildOptions = {}): Graph {
    const { names, entries } = readSpec(spec instanceof GraphSpecBuilder ? spec.toSpec() : spec);
    const container = options.container ?? rootContainer;
    return new GraphAssembler(names, entries, this.registry, container).assemble();
  }
}

/**
 * The node names and entries of a spec, which must be a plain object. Anything else —
 * a Map, a Date, an array, a class instance, null, a primitive — is refused, rather than read as an empty graph.
 */
function readSpec(spec: unknown): { names: string[]; entries: unknown[] } {
  const invalid = (message: string) =>
    new GraphValidationError([{ node: "", path: "", code: "invalid-spec", message }]);
  const value = spec;
  try {
    if (!isPlainObject(value)) {
      throw invalid(
        `a graph spec must be a plain object of node name → { node, arguments?, inputs }, got ${kindOf(value)}.`,
      );
    }
    const names = Object.keys(value);
    const entries: unknown[] = new Array(names.length);
    for (let i = 0; i < names.length; i++) entries[i] = (value as Record<string, unknown>)[names[i]!];
    return { names, entries };
  } catch (error) {
    if (error instanceof MoiraeError) throw error;
    throw invalid(`reading the spec threw: ${messageOf(error)}. A spec must be plain data.`);
  }
}

/**
 * Builds a graph from a spec with the `GraphBuilder` of `options.container` (default: tsyringe's root
 * container), which also constructs node classes that need services to read their argument defaults. Throws
 * `GraphValidationError` listing every problem.
 *
 * @example
 * const graph = buildGraph({
 *   a: { node: "AddMul", arguments: { coef: 1 }, inputs: { x: 1, y: 2 } },
 *   c: { node: "AddMul", inputs: { x: "${a.o}", y: 3 } },
 * });
 */
export function buildGraph(spec: GraphSpec | GraphSpecBuilder, options: BuildOptions = {}): Graph {
  const container = options.container ?? rootContainer;
  const builder = container.resolve(GraphBuilder);
  if (!isThenable(builder)) return builder.build(spec, { container });
  builder.then(undefined, () => {});
  return rootContainer.resolve(GraphBuilder).build(spec, { container }); // buildGraph is synchronous
}
