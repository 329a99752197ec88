import type { Command } from "commander";
import type { CommandContext } from "../command-context";
import type { CacheOptions } from "./cache-action";

/** Loaded when the command runs, so that `moirae --help` loads none of it. */
const action = () => require("./cache-action") as typeof import("./cache-action");

/** `moirae cache stats|clear --cache-dir DIR`. */
export function cacheCommand(command: Command, ctx: CommandContext): Command {
  command.description("inspect or empty a file cache");
  command
    .command("stats")
    .description("how many entries the cache holds and their size, and the last run recorded")
    .option("--cache-dir <dir>", "the cache directory", ".moirae-cache")
    .option("--json", "print one JSON object { dir, entries, bytes, lastRun }")
    .action((options: CacheOptions) => action().cacheStats(ctx, options));
  command
    .command("clear")
    .description("remove every entry of the cache (the run records in meta/ stay)")
    .option("--cache-dir <dir>", "the cache directory", ".moirae-cache")
    .option("--json", "print one JSON object { dir, removed, bytes }")
    .action((options: CacheOptions) => action().clearCache(ctx, options));
  return command;
}
