import { inject, injectable, container as rootContainer } from "tsyringe";
import { type GraphIssue, GraphValidationError } from "../errors/graph-validation-error";
import { MoiraeError } from "../errors/moirae-error";
import { hashNode, type UpstreamEdge } from "../hashing/node-hash";
import type { NodeContainer } from "../metadata/node-container";
import { NodeRegistry } from "../metadata/registry";
import type { NodeClass } from "../metadata/types";
import { messageOf } from "../util/error-text";
import { isPlainObject } from "../util/is-plain-object";
import { isThenable } from "../util/is-thenable";
import { kindOf } from "../validation/validate-data";
import { ArgumentChecker } from "./check-arguments";
import { checkEntry } from "./check-entry";
import { checkInputs } from "./check-inputs";
import { checkReferences } from "./check-references";
import type { Draft, ProblemSink } from "./draft";
import { Graph } from "./graph";
import type { GraphNode, GraphTopology, NodePlan } from "./graph-node";
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
    const { names, entries } = readSpec(spec instanceof GraphSpecBuilder ? spec.toSpec() : spec);
    const issues: GraphIssue[] = [];
    const drafts = new Map<string, Draft>();
    const argumentChecker = new ArgumentChecker(options.container ?? rootContainer);
    for (let i = 0; i < names.length; i++) {
      const name = names[i]!;
      const draft = this.checkNode(name, entries[i], argumentChecker, issues);
      if (draft) {
        draft.id = drafts.size;
        drafts.set(name, draft);
      }
    }
    const list = [...drafts.values()];
    for (const draft of list) checkReferences(draft, drafts, spec, issues);
    const parents = list.map(parentIds);
    const { order, cycles } = topologicalOrder(list.length, (id) => parents[id]!);
    for (const cycle of cycles) issues.push(cycleIssue(cycle.map((id) => list[id]!.name)));
    if (issues.length) throw new GraphValidationError(issues);

    // Every draft passed every check (a problem would have been an issue): hash them in order.
    const plans = new Map<string, NodePlan>();
    const inOrder: NodePlan[] = [];
    for (const id of order) {
      const draft = list[id]!;
      const nodePlan = plan(draft);
      plans.set(draft.name, nodePlan);
      inOrder.push(nodePlan);
    }
    return new Graph(
      plans,
      order.map((id) => list[id]!.name),
      topologyOf(list, order, inOrder),
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
    try {
      return this.draftOf(name, entry, argumentChecker, problem);
    } catch (error) {
      // A getter or Proxy trap in the entry that throws where no check reads it defensively.
      if (error instanceof MoiraeError) throw error;
      problem(
        name,
        "unreadable",
        `reading this node's spec threw: ${messageOf(error)}. A spec must be plain data.`,
      );
      return undefined;
    }
  }

  private draftOf(
    name: string,
    entry: unknown,
    argumentChecker: ArgumentChecker,
    problem: ProblemSink,
  ): Draft | undefined {
    const checked = checkEntry(name, entry, this.registry, problem);
    if (!checked?.meta) return undefined;
    const { meta } = checked;
    const args = argumentChecker.check(name, meta, checked.entry.arguments, problem);
    const inputs = checkInputs(name, meta, checked.inputs, problem);
    return {
      name,
      meta,
      inputFields: inputs.inputFields,
      literals: inputs.literals,
      canonicalInputs: inputs.canonicalInputs,
      references: inputs.references,
      args: args?.args ?? NO_ARGUMENTS,
      canonicalArgs: args?.canonical ?? "",
      id: 0,
      upstream: [],
      hash: "",
    };
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
    return { names, entries: names.map((name) => (value as Record<string, unknown>)[name]) };
  } catch (error) {
    if (error instanceof MoiraeError) throw error;
    throw invalid(`reading the spec threw: ${messageOf(error)}. A spec must be plain data.`);
  }
}

/** The plan of a draft whose parents are planned (and so hashed) already. */
function plan(draft: Draft): NodePlan {
  const inputs = Object.freeze(draft.literals);
  const upstream: UpstreamEdge[] = [];
  for (const { input, reference, parent } of draft.upstream) {
    upstream.push({ input, node: parent.name, field: reference.field, hash: parent.hash });
  }
  const { hash, components } = hashNode({
    meta: draft.meta,
    args: draft.args,
    canonicalArgs: draft.canonicalArgs,
    inputs,
    canonicalInputs: draft.canonicalInputs,
    upstream,
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

/** A cycle `a -> b -> … -> a`; a long one shows its first and last nodes and how many are left out. */
function cycleIssue(names: readonly string[]): GraphIssue {
  const shown =
    names.length <= 12
      ? names.join(" -> ")
      : `${names.slice(0, 6).join(" -> ")} -> …(${names.length - 10} more of ${names.length - 1} nodes)… -> ${names.slice(-4).join(" -> ")}`;
  return {
    node: names[0]!,
    path: names[0]!,
    code: "cycle",
    message: `cycle: ${shown}. A graph must be acyclic: remove one of these references.`,
  };
}

const NO_ARGUMENTS: Readonly<Record<string, unknown>> = Object.freeze({});

const NO_PARENTS: readonly number[] = Object.freeze([]);

/** The ids of a draft's parents, without duplicates. */
function parentIds(draft: Draft): readonly number[] {
  const upstream = draft.upstream;
  if (upstream.length === 0) return NO_PARENTS;
  if (upstream.length === 1) return [upstream[0]!.parent.id];
  const ids: number[] = [];
  for (const { parent } of upstream) if (!ids.includes(parent.id)) ids.push(parent.id);
  return ids;
}

/** The plans, hashes and references of the drafts by position in `order` (see `GraphTopology`). */
function topologyOf(
  list: readonly Draft[],
  order: readonly number[],
  plans: readonly NodePlan[],
): GraphTopology {
  const size = order.length;
  const hashes: string[] = [];
  const position = new Int32Array(list.length);
  for (let k = 0; k < size; k++) position[order[k]!] = k;
  const refStart = new Int32Array(size + 1);
  const refParent: number[] = [];
  for (let k = 0; k < size; k++) {
    const { references, upstream, hash } = list[order[k]!]!;
    hashes.push(hash);
    for (const input in references) {
      let u = 0;
      while (upstream[u]!.input !== input) u++;
      refParent.push(position[upstream[u]!.parent.id]!);
    }
    refStart[k + 1] = refParent.length;
  }
  return { plans, hashes, refStart, refParent: Int32Array.from(refParent) };
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
