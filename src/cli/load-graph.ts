import { GraphValidationError } from "../errors/graph-validation-error";
import type { Graph } from "../graph/graph";
import { buildGraph } from "../graph/graph-builder";
import type { GraphSpec } from "../graph/graph-spec";
import { didYouMean } from "../util/suggest";
import { InvalidSpecError } from "./invalid-spec-error";
import { formatIssues } from "./issues-report";
import { type LoadedSpec, loadSpec } from "./load-spec";
import { requireModules } from "./require-modules";
import { UsageError } from "./usage-error";

/** What every graph command is given: the spec file and the modules that define its nodes. */
export interface GraphSource {
  readonly spec: string;
  readonly require?: readonly string[];
}

/** Reads the spec (so that its usage errors come before any module runs), then loads the modules. */
export async function loadSource(source: GraphSource): Promise<LoadedSpec> {
  const spec = loadSpec(source.spec);
  await requireModules(source.require ?? []);
  return spec;
}

/** Reads the spec, loads the modules and builds the graph; an invalid spec is an `InvalidSpecError`. */
export async function loadGraph(source: GraphSource): Promise<{ spec: LoadedSpec; graph: Graph }> {
  const spec = await loadSource(source);
  try {
    return { spec, graph: buildGraph(spec.value as GraphSpec) };
  } catch (error) {
    if (error instanceof GraphValidationError)
      throw new InvalidSpecError(formatIssues(spec, error.issues), error);
    throw error;
  }
}

/** Checks that `names` (given to `option`) are nodes of `graph`; a `UsageError` with suggestions if not. */
export function checkNodeNames(graph: Graph, names: readonly string[], option: string): void {
  for (const name of names) {
    if (graph.nodes.has(name)) continue;
    throw new UsageError(
      `${option} "${name}" is not a node of the graph${didYouMean(name, graph.nodes.keys(), 3, "")}`,
    );
  }
}
