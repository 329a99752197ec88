// Compiles the repository with `tsc -p tsconfig.json` into dist-test/ only when that output is missing or older
// than a source: a `.ts` file tsconfig.json includes (its "include" folders minus its "exclude" folders) newer
// than its `.js`, or a tsconfig file newer than the output. `npm run demo` uses it so that a run with nothing changed starts at once.
const { spawnSync } = require("node:child_process");
const fs = require("node:fs");
const path = require("node:path");

const root = path.resolve(__dirname, "..");
const out = path.join(root, "dist-test");
const CONFIGS = ["tsconfig.json", "tsconfig.base.json"];
const config = JSON.parse(fs.readFileSync(path.join(root, "tsconfig.json"), "utf8"));
const FOLDERS = config.include ?? ["."];
const EXCLUDED = (config.exclude ?? []).map((folder) => path.normalize(folder));

/** The first reason the output is stale, or undefined when it is up to date. */
function staleReason() {
  let oldestOutput = Number.POSITIVE_INFINITY;
  const walk = (dir) => {
    for (const entry of fs.readdirSync(path.join(root, dir), { withFileTypes: true })) {
      const rel = path.join(dir, entry.name);
      if (EXCLUDED.includes(rel) || entry.name === "node_modules") continue;
      if (entry.isDirectory()) {
        const reason = walk(rel);
        if (reason) return reason;
      } else if (entry.name.endsWith(".ts") && !entry.name.endsWith(".d.ts")) {
        const source = fs.statSync(path.join(root, rel)).mtimeMs;
        let output;
        try {
          output = fs.statSync(path.join(out, rel.replace(/\.ts$/, ".js"))).mtimeMs;
        } catch {
          return `${rel} has not been compiled`;
        }
        if (output < source) return `${rel} changed`;
        oldestOutput = Math.min(oldestOutput, output);
      }
    }
    return undefined;
  };
  for (const folder of FOLDERS) {
    const reason = walk(folder);
    if (reason) return reason;
  }
  for (const config of CONFIGS) {
    if (fs.statSync(path.join(root, config)).mtimeMs > oldestOutput) return `${config} changed`;
  }
  return undefined;
}

/** Runs tsc when needed; returns false (after printing tsc's errors) when it fails. */
function buildIfStale() {
  const reason = staleReason();
  if (!reason) return true;
  process.stderr.write(`compiling (${reason})…\n`);
  const tsc = path.join(
    path.dirname(require.resolve("typescript/package.json", { paths: [root] })),
    "bin",
    "tsc",
  );
  const result = spawnSync(process.execPath, [tsc, "-p", "tsconfig.json"], { cwd: root, stdio: "inherit" });
  return result.status === 0;
}

module.exports = { buildIfStale, staleReason };

if (require.main === module) process.exitCode = buildIfStale() ? 0 : 1;
