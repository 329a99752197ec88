import { inject, injectable, container as rootContainer } from "tsyringe";
import { type GraphIssue, GraphValidationError } from "../errors/graph-validation-error";
import { hashNode } from "../hashing/node-hash";
import type { NodeContainer } from "../metadata/node-container";
import { NodeRegistry } from "../metadata/registry";
import type { NodeClass } from "../metadata/types";
import { isThenable } from "../util/is-thenable";
import { kindOf } from "../validation/validate-data";
import { ArgumentChecker } from "./check-arguments";
import { checkEntry } from "./check-entry";
import { checkInputs } from "./check-inputs";
import { checkReferences } from "./check-references";
import type { Draft, ProblemSink } from "./draft";
import { Graph } from "./graph";
import type { GraphNode, NodePlan } from "./graph-node";
import type { GraphSpec } from "./graph-spec";
import { GraphSpecBuilder } from "./graph-spec-builder";
import { topologicalOrder } from "./topological-order";

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
    const argumentChecker = new ArgumentChecker(options.container ?? rootContainer);
    for (const name of Object.keys(spec)) {
      const draft = this.checkNode(name, (spec as Record<string, unknown>)[name], argumentChecker, issues);
      if (draft) {
        draft.id = drafts.size;
        drafts.set(name, draft);
      }
    }
    const list = [...drafts.values()];
    for (const draft of list) checkReferences(draft, drafts, spec, issues);
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

    // Every draft passed every check (a problem would have been an issue): hash them in order.
    const plans = new Map<string, NodePlan>();
    for (const id of order) {
      const draft = list[id]!;
      plans.set(draft.name, plan(draft));
    }
    return new Graph(
      plans,
      order.map((id) => list[id]!.name),
    );
  }

  /** Per-node checks: name, entry shape, class, arguments, input fields and literals. */
  private checkNode(
    name: string,
    entry: unknown,
    argumentChecker: ArgumentChecker,
    issues: GraphIssue[],
  ): Draft | undefined {
    const problem: ProblemSink = (path, code, message) => issues.push({ node: name, path, code, message });
    const checked = checkEntry(name, entry, this.registry, problem);
    if (!checked?.meta) return undefined;
    const { meta } = checked;
    const args = argumentChecker.check(name, meta, checked.entry.arguments, problem);
    const inputs = checkInputs(name, meta, checked.inputs, problem);
    return {
      name,
      meta,
      ...inputs,
      args: args?.args ?? {},
      canonicalArgs: args?.canonical ?? "",
      id: 0,
      upstream: [],
      hash: "",
    };
  }
}

/** The plan of a draft whose parents are planned (and so hashed) already. */
function plan(draft: Draft): NodePlan {
  const inputs = Object.freeze(draft.literals);
  const { hash, components } = hashNode({
    meta: draft.meta,
    args: draft.args,
    canonicalArgs: draft.canonicalArgs,
    inputs,
    canonicalInputs: draft.canonicalInputs,
    upstream: draft.upstream.map(({ input, reference, parent }) => ({
      input,
      upstream: { node: parent.name, field: reference.field, hash: parent.hash },
    })),
  });
  draft.hash = hash;
  const node: GraphNode = Object.freeze({
    name: draft.name,
    nodeClass: draft.meta.target as NodeClass,
    arguments: draft.args,
    inputs,
    references: Object.freeze(draft.references),
    hash,
  });
  return { node, meta: draft.meta, components };
}

/** The ids of a draft's parents, without duplicates. */
function parentIds(draft: Draft): number[] {
  const ids: number[] = [];
  for (const { parent } of draft.upstream) if (!ids.includes(parent.id)) ids.push(parent.id);
  return ids;
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
