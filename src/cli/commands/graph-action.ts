import "reflect-metadata";
import * as fs from "node:fs";
import * as path from "node:path";
import { FileCacheProvider } from "../../cache/file-cache-provider";
import type { Graph } from "../../graph/graph";
import type { NodeStatus } from "../../graph/visualize";
import type { CommandContext } from "../command-context";
import { checkNodeNames, loadGraph } from "../load-graph";
import { specArgument } from "../options";
import { readManifest } from "../run-manifest";
import { UsageError } from "../usage-error";

export interface GraphOptions {
  require?: string[];
  format: "mermaid" | "dot" | "json";
  output?: string;
  target?: string[];
  cacheDir?: string;
}

/** Runs `moirae graph`: the graph as Mermaid, DOT or JSON, on standard output or in a file. */
export async function drawGraph(ctx: CommandContext, file: string | undefined, options: GraphOptions) {
  let { graph } = await loadGraph({
    spec: specArgument(file, options.require),
    require: options.require,
  });
  if (options.target) {
    checkNodeNames(graph, options.target, "--target");
    graph = graph.subgraph(options.target);
  }
  const statuses = options.cacheDir ? await lastStatuses(options.cacheDir, graph) : undefined;
  const text =
    options.format === "json"
      ? `${JSON.stringify(graph.toJSON(), null, 2)}\n`
      : `${(options.format === "dot" ? graph.toDot(statuses) : graph.toMermaid(statuses)).trimEnd()}\n`;
  if (options.output === undefined) {
    ctx.io.stdout.write(text);
    return;
  }
  const target = path.resolve(options.output);
  try {
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, text);
  } catch (error) {
    throw new UsageError(`cannot write ${options.output}: ${(error as Error).message}`, { cause: error });
  }
  ctx.io.stderr.write(`wrote ${options.output} (${options.format}, ${graph.nodes.size} nodes)\n`);
}

/** The statuses of the last run recorded in `dir`; nodes whose hash changed since, or that did not run: pending. */
async function lastStatuses(dir: string, graph: Graph): Promise<Record<string, NodeStatus>> {
  const manifest = await readManifest(new FileCacheProvider({ dir }));
  if (!manifest)
    throw new UsageError(`no run recorded in ${dir}: run the graph with --cache-dir ${dir} first`);
  const statuses: Record<string, NodeStatus> = {};
  for (const name of graph.order) {
    const recorded = manifest.nodes[name];
    const same = recorded !== undefined && recorded.hash.hash === graph.hashOf(name);
    statuses[name] = same && recorded.status !== "not-run" ? recorded.status : "pending";
  }
  return statuses;
}
