import type { Command } from "commander";
import type { CommandContext } from "../command-context";
import { graphSource } from "../options";
import type { ExplainOptions } from "./explain-action";

/** Loaded when the command runs, so that `moirae --help` loads none of it. */
const action = () => require("./explain-action") as typeof import("./explain-action");

/**
 * `moirae explain <spec> <node> --require … --cache-dir DIR`: why the node is a hit or a miss, compared with the
 * last run recorded in the cache directory.
 */
export function explainCommand(command: Command, ctx: CommandContext): Command {
  return graphSource(command)
    .argument("[node]", "the node to explain")
    .description("say why a node is a cache miss, compared with the last run recorded in the cache directory")
    .option("--cache-dir <dir>", "the file cache the last run used, where it is recorded", ".moirae-cache")
    .option("--redis <url>", "the last run cached in Redis: look for the entry there")
    .option("--redis-prefix <prefix>", 'the prefix of the Redis keys (default "moirae:")')
    .option("--json", "print one JSON object")
    .action((file: string | undefined, node: string | undefined, options: ExplainOptions) =>
      action().explain(ctx, file, node, options),
    );
}
