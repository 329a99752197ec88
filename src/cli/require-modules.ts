import * as fs from "node:fs";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import { messageOf } from "../util/error-text";
import { oneLine } from "./describe-error";
import { UsageError } from "./usage-error";

/**
 * Loads the modules that define nodes, in order, each resolved against `cwd` (`./nodes.js`, `dist/nodes`, an
 * absolute path). A CommonJS module is `require`d; an ES module is `import`ed. A module that cannot be found or
 * throws while loading is a `UsageError` with a one-line reason (its error is the `cause`).
 *
 * The modules register their nodes in the process-wide registry moirae keeps on `globalThis`, which this CLI
 * reads, so even a second copy of moirae imported by a module shares it.
 */
export async function requireModules(modules: readonly string[], cwd = process.cwd()): Promise<void> {
  for (const given of modules) {
    const file = path.resolve(cwd, given);
    let resolved: string;
    try {
      resolved = require.resolve(file);
    } catch (error) {
      throw new UsageError(
        `cannot load module ${given}: ${fs.existsSync(file) ? firstLine(error) : `no such file (resolved to ${file})`}`,
        { cause: error },
      );
    }
    try {
      await load(resolved);
    } catch (error) {
      throw new UsageError(`cannot load module ${given}: ${oneLine(error)}`, { cause: error });
    }
  }
}

async function load(file: string): Promise<void> {
  try {
    require(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== "ERR_REQUIRE_ESM" && code !== "ERR_REQUIRE_ASYNC_MODULE") throw error;
    await import(pathToFileURL(file).href);
  }
}

/** The first line of an error's message (Node's "Require stack:" and the like dropped). */
function firstLine(error: unknown): string {
  const message = messageOf(error);
  return message.split("\n")[0]!.trim();
}
