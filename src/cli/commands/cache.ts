import type { Command } from "commander";
import { FileCacheProvider } from "../../cache/file-cache-provider";
import type { CommandContext } from "../command-context";
import { formatBytes, plural } from "../format";
import { displayPath } from "../options";
import { readManifest } from "../run-manifest";

interface CacheOptions {
  cacheDir: string;
  json?: boolean;
}

/** `moirae cache stats|clear --cache-dir DIR`. */
export function cacheCommand(command: Command, ctx: CommandContext): Command {
  command.description("inspect or empty a file cache");
  command
    .command("stats")
    .description("how many entries the cache holds and their size, and the last run recorded")
    .option("--cache-dir <dir>", "the cache directory", ".moirae-cache")
    .option("--json", "print one JSON object { dir, entries, bytes, lastRun }")
    .action(async (options: CacheOptions) => {
      const cache = new FileCacheProvider({ dir: options.cacheDir });
      const { entries, bytes } = await cache.stats();
      const manifest = await readManifest(cache);
      const lastRun = manifest && {
        spec: manifest.spec,
        time: manifest.time,
        nodes: Object.keys(manifest.nodes).length,
      };
      ctx.io.stdout.write(
        options.json
          ? `${JSON.stringify({ dir: cache.dir, entries, bytes, lastRun })}\n`
          : `${displayPath(cache.dir)}: ${plural(entries, "entry", "entries")}, ${formatBytes(bytes)}` +
              `${lastRun ? `; last run ${lastRun.time} (${lastRun.spec}, ${plural(lastRun.nodes, "node")})` : ""}\n`,
      );
    });
  command
    .command("clear")
    .description("remove every entry of the cache (the run records in meta/ stay)")
    .option("--cache-dir <dir>", "the cache directory", ".moirae-cache")
    .option("--json", "print one JSON object { dir, removed, bytes }")
    .action(async (options: CacheOptions) => {
      const cache = new FileCacheProvider({ dir: options.cacheDir });
      const { entries, bytes } = await cache.stats();
      await cache.clear();
      ctx.io.stdout.write(
        options.json
          ? `${JSON.stringify({ dir: cache.dir, removed: entries, bytes })}\n`
          : `removed ${plural(entries, "entry", "entries")} (${formatBytes(bytes)}) from ${displayPath(cache.dir)}\n`,
      );
    });
  return command;
}
