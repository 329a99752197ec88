import type { Command } from "commander";
import type { CommandContext } from "../command-context";
import { nonNegativeInteger, positiveInteger, requireOption } from "../options";
import type { WorkerCliOptions } from "./worker-action";

/** Loaded when the command runs: it loads bullmq and ioredis, which no other command needs. */
const action = () => require("./worker-action") as typeof import("./worker-action");

/** `moirae worker --redis URL [--queue NAME] [--concurrency N] --require MODULE… [--json]`. */
export function workerCommand(command: Command, ctx: CommandContext): Command {
  return command
    .description(
      "run nodes for `moirae run --queue` coordinators: a BullMQ worker on a Redis queue, until SIGTERM or SIGINT " +
        "(active nodes finish first)",
    )
    .requiredOption("--redis <url>", "the Redis server of the queue (redis://host:port/db)")
    .option("-q, --queue <name>", 'the BullMQ queue to consume (default "moirae")')
    .option("--prefix <prefix>", 'BullMQ\'s key prefix (default "bull")')
    .option("-c, --concurrency <n>", "run at most n nodes at once (default 1)", positiveInteger)
    .addOption(requireOption().makeOptionMandatory())
    .option(
      "--lock-duration <ms>",
      "lock of a running node (default 8000); a dead worker's nodes are taken again after about this plus --stalled-interval",
      positiveInteger,
    )
    .option(
      "--stalled-interval <ms>",
      "how often to look for nodes of dead workers (default 5000)",
      positiveInteger,
    )
    .option(
      "--max-stalled <n>",
      "how often one try may be taken again after its worker died (default 1)",
      nonNegativeInteger,
    )
    .option("--json", "one JSON line per finished node (and one when ready) instead of text")
    .action(async (options: WorkerCliOptions) => ctx.exit(await action().runWorker(ctx, options)));
}
