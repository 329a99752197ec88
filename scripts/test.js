#!/usr/bin/env node
// `npm test`: builds the tests (tsc -p tsconfig.json into dist-test/, incrementally: a clean clone builds
// everything, a later run what changed, and outputs whose source is gone are deleted), then runs every test file.
// Most files spend their time waiting (on child processes, Redis, a browser, timers), so they run
// TEST_CONCURRENCY at a time (default 6), the slowest first, so that none of them is left running alone at the end.
// Arguments go to `node --test` (e.g. `npm test -- --test-reporter=spec`); file arguments replace the full list
// (`npm test -- dist-test/test/cli/run.test.js`).
const { spawnSync } = require("node:child_process");
const fs = require("node:fs");
const path = require("node:path");
const { staleReason } = require("./build-if-stale");

const root = path.resolve(__dirname, "..");
const out = path.join(root, "dist-test");
/** The files that take longest (child processes, npm, real workers): started first, in this order. */
const SLOW_FIRST = [
  "test/packaging/packed-package.test.js",
  "test/bullmq/distributed.test.js",
  "test/bullmq/distributed-sample.test.js",
  "test/cli/demo.test.js",
  "test/samples/samples.test.js",
  "test/property/random-specs.test.js",
  "test/threads/thread-nodes.test.js",
  "test/report/report-browser.test.js",
  "test/tracing/tracing.test.js",
];

function testFiles(dir) {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) => {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) return testFiles(file);
      return entry.name.endsWith(".test.js") ? [file] : [];
    })
    .sort();
}

/** Deletes the .js (and .js.map) files under dist-test/`dir` whose .ts source no longer exists. */
function deleteOrphans(dir) {
  for (const entry of fs.readdirSync(path.join(out, dir), { withFileTypes: true })) {
    const rel = path.join(dir, entry.name);
    if (entry.isDirectory()) deleteOrphans(rel);
    else if (entry.name.endsWith(".js") && !fs.existsSync(path.join(root, rel.replace(/\.js$/, ".ts")))) {
      fs.rmSync(path.join(out, rel));
      fs.rmSync(path.join(out, `${rel}.map`), { force: true });
    }
  }
}

const args = process.argv.slice(2);
const options = args.filter((arg) => arg.startsWith("-"));
const chosen = args.filter((arg) => !arg.startsWith("-"));

const tsc = path.join(
  path.dirname(require.resolve("typescript/package.json", { paths: [root] })),
  "bin",
  "tsc",
);

/** tsc -p tsconfig.json into dist-test/, incrementally (its record of what it built is dist-test/.tsbuildinfo). */
function build() {
  const buildInfo = path.join("dist-test", ".tsbuildinfo");
  const args = [tsc, "-p", "tsconfig.json", "--incremental", "--tsBuildInfoFile", buildInfo];
  const { status } = spawnSync(process.execPath, args, { cwd: root, stdio: "inherit" });
  if (status !== 0) process.exit(status ?? 1);
}

build();
deleteOrphans(".");
// An output tsc left alone can be older than a tsconfig file edited since; `npm run demo` (which a test runs) would
// then compile again while other files' tests read dist-test/. Build afresh instead.
if (staleReason()) {
  fs.rmSync(out, { recursive: true, force: true });
  build();
}

const rank = (file) => {
  const at = SLOW_FIRST.indexOf(path.relative(out, file).split(path.sep).join("/"));
  return at < 0 ? SLOW_FIRST.length : at;
};
const files =
  chosen.length > 0
    ? chosen
    : testFiles(path.join(out, "test")).sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
const concurrency = process.env.TEST_CONCURRENCY ?? "6";
const run = spawnSync(
  process.execPath,
  ["--test", `--test-concurrency=${concurrency}`, ...options, ...files.map((f) => path.relative(root, f))],
  { cwd: root, stdio: "inherit" },
);
process.exit(run.status ?? 1);
