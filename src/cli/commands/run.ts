import type { Command } from "commander";
import type { CommandContext } from "../command-context";
import { collect, graphSource, nonNegativeInteger, positiveInteger, timeoutMs } from "../options";
import type { RunOptions } from "./run-action";

/** Loaded when the command runs, so that `moirae --help` loads none of it. */
const action = () => require("./run-action") as typeof import("./run-action");

/**
 * `moirae run <spec> --require … [--cache-dir DIR | --no-cache] [--redis URL [--queue NAME]] [--concurrency N] [--target NAME]…
 * [--timeout MS] [--retries N] [--continue] [--json]`.
 */
export function runCommand(command: Command, ctx: CommandContext): Command {
  return graphSource(command)
    .description("run a graph: every node as soon as its inputs exist, reusing cached outputs")
    .option(
      "--cache-dir <dir>",
      "file cache directory (default: .moirae-cache); also where the run is recorded",
    )
    .option("--no-cache", "run without a cache (and record nothing)")
    .option("--redis <url>", "cache outputs in Redis (redis://host:port/db) instead of the directory")
    .option("--redis-prefix <prefix>", 'the prefix of the Redis keys (default "moirae:")')
    .option(
      "-q, --queue <name>",
      "run the nodes on `moirae worker` processes that consume this BullMQ queue on the --redis server",
    )
    .option("-c, --concurrency <n>", "run at most n nodes at once (default: no limit)", positiveInteger)
    .option("-t, --target <node>", "run only this node and its ancestors (repeatable)", collect)
    .option(
      "--timeout <ms>",
      "time limit of one try of a node, in ms (a node's own timeoutMs wins)",
      timeoutMs,
    )
    .option("--retries <n>", "retries after a failed try (a node's own retries win)", nonNegativeInteger)
    .option(
      "-p, --print <node[.field]>",
      "after the run, print this node's output, or one field of it (a string as it is; repeatable)",
      collect,
    )
    .option("--continue", "on a failure, skip its dependents but finish the independent branches")
    .option(
      "--json",
      "one JSON line per event and result, then a summary line (the default when not a terminal)",
    )
    .option("--no-json", "a progress bar and a summary table, even when not a terminal")
    .option(
      "--report <file>",
      "write an HTML report of the run (graph, timeline, critical path), also when it fails or is interrupted",
    )
    .action((file: string | undefined, options: RunOptions) => action().run(ctx, file, options));
}
