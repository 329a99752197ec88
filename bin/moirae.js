#!/usr/bin/env node
// The `moirae` command: runs the compiled CLI (dist/cli/main.js).
//
// It prefers the moirae installed in the current project (node_modules/moirae), so that the modules given to
// --require and the CLI share one copy of moirae and of its dependency-injection container.

const fs = require("node:fs");
const path = require("node:path");

function projectCli() {
  try {
    const pkg = require.resolve("moirae/package.json", { paths: [process.cwd()] });
    const cli = path.join(path.dirname(pkg), "dist", "cli", "main.js");
    return fs.existsSync(cli) ? cli : undefined;
  } catch {
    return undefined;
  }
}

const cli = projectCli() || path.join(__dirname, "..", "dist", "cli", "main.js");
if (!fs.existsSync(cli)) {
  process.stderr.write(`error: the moirae CLI is not built (${cli} is missing): run npm run build\n`);
  process.exit(2);
}
require(cli).runCli(process.argv);
