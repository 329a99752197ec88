import "reflect-metadata";
import { GraphValidationError } from "../../errors/graph-validation-error";
import { buildGraph } from "../../graph/graph-builder";
import type { GraphSpec } from "../../graph/graph-spec";
import type { CommandContext } from "../command-context";
import { ExitCode } from "../exit-codes";
import { graphSummary } from "../graph-summary";
import { formatIssues, locateIssues } from "../issues-report";
import { loadSource } from "../load-graph";
import { specArgument } from "../options";

export interface ValidateOptions {
  require?: string[];
  json?: boolean;
}

/** Runs `moirae validate`: every problem of the spec (exit 1), or a one-line summary (exit 0). */
export async function validate(ctx: CommandContext, file: string | undefined, options: ValidateOptions) {
  const spec = await loadSource({ spec: specArgument(file, options.require), require: options.require });
  const out = ctx.io.stdout;
  try {
    const graph = buildGraph(spec.value as GraphSpec);
    out.write(
      options.json
        ? `${JSON.stringify({ valid: true, spec: spec.file, nodes: graph.nodes.size, edges: graph.edges.length })}\n`
        : `${spec.file}: valid graph, ${graphSummary(graph)}\n`,
    );
  } catch (error) {
    if (!(error instanceof GraphValidationError)) throw error;
    out.write(
      options.json
        ? `${JSON.stringify({ valid: false, spec: spec.file, issues: locateIssues(spec, error.issues) })}\n`
        : `${formatIssues(spec, error.issues).join("\n")}\n`,
    );
    ctx.exit(ExitCode.Failure);
  }
}
