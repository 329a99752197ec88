import { type Command, Option } from "commander";
import type { CommandContext } from "../command-context";
import { collect, graphSource } from "../options";
import type { GraphOptions } from "./graph-action";

/** Loaded when the command runs, so that `moirae --help` loads none of it. */
const action = () => require("./graph-action") as typeof import("./graph-action");

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
    .action((file: string | undefined, options: GraphOptions) => action().drawGraph(ctx, file, options));
}
