import * as fs from "node:fs";
import * as path from "node:path";
import { type Command, Option } from "commander";
import { FileCacheProvider } from "../../cache/file-cache-provider";
import type { Graph } from "../../graph/graph";
import type { NodeStatus } from "../../graph/visualize";
import type { CommandContext } from "../command-context";
import { checkNodeNames, loadGraph } from "../load-graph";
import { collect, graphSource, specArgument } from "../options";
import { readManifest } from "../run-manifest";
import { UsageError } from "../usage-error";

interface GraphOptions {
  require?: string[];
  format: "mermaid" | "dot" | "json";
  output?: string;
  target?: string[];
  cacheDir?: string;
}

/** `moirae graph <spec> --require … --format mermaid|dot|json [--output FILE]`. */
export function graphCommand(command: Command, ctx: CommandContext): Command {
  return graphSource(command)
    .description("print the graph as a Mermaid flowchart, Graphviz DOT or JSON")
    .addOption(
      new Option("-f, --format <format>", "output format")
        .choices(["mermaid", "dot", "json"])
        .default("mermaid"),
    )
    .option("-o, --output <file>", "write to this file instead of standard output")
    .option("-t, --target <node>", "only this node and its ancestors (repeatable)", collect)
    .option(
      "--cache-dir <dir>",
      "colour the nodes by their status in the last run recorded in this cache directory (changed nodes: pending)",
    )
    .action(async (file: string | undefined, options: GraphOptions) => {
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
    });
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
