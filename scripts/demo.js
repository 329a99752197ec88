#!/usr/bin/env node
// `npm run demo`: runs the text-analytics pipeline (samples/pipeline) through the moirae CLI with a file cache
// in .moirae-cache/ and prints its report; the HTML run report goes to .moirae-cache/report.html (open it in a
// browser). Run it twice: the second run is near instant, every node cached.
// `npm run demo -- --graph` writes the pipeline's Mermaid picture to samples/pipeline/pipeline.mmd instead.
// Other arguments are passed to `moirae run` (e.g. `npm run demo -- --no-cache`, `--json`, `--concurrency 4`).
// The project is compiled first only when a source changed since the last build (scripts/build-if-stale.js).
const path = require("node:path");
const { buildIfStale } = require("./build-if-stale");

const root = path.resolve(__dirname, "..");
const spec = "samples/pipeline/pipeline.json";
const nodes = "dist-test/samples/pipeline/nodes.js";
const extra = process.argv.slice(2);
// the HTML run report goes beside the cache (unless --report says where); the CLI prints its path
const cacheDir = extra.includes("--cache-dir") ? extra[extra.indexOf("--cache-dir") + 1] : ".moirae-cache";
const report = extra.includes("--report") ? [] : ["--report", path.join(cacheDir, "report.html")];

const args = extra.includes("--graph")
  ? ["graph", spec, "--format", "mermaid", "--output", "samples/pipeline/pipeline.mmd", "--require", nodes]
  : [
      "run",
      spec,
      "--cache-dir",
      ".moirae-cache",
      "--print",
      "report.markdown",
      ...(extra.includes("--json") ? [] : ["--no-json"]),
      ...report,
      ...extra,
      "--require",
      nodes,
    ];

if (!extra.includes("--graph") && !extra.includes("--json")) {
  const cores = require("node:os").availableParallelism();
  console.error(
    `ExtractKeywords is CPU-bound and runs as @Node({ thread: true }): on ${cores} worker threads at once.`,
  );
}
if (!buildIfStale()) {
  process.exitCode = 1;
} else {
  process.chdir(root);
  // The CLI runs in this process (one Node start-up instead of two); it exits with the run's code.
  const { main } = require(path.join(root, "dist-test", "src", "cli", "main.js"));
  main([process.argv[0], "moirae", ...args]).then((code) => {
    if (code === 0 && extra.includes("--graph")) console.log("wrote samples/pipeline/pipeline.mmd");
    process.exitCode = code;
  });
}
