#!/usr/bin/env node
// `npm run screenshot`: regenerates docs/images/report.png, the README's picture of a run report. It runs the demo
// pipeline (scripts/demo.js) with a fresh cache, opens the report it writes in headless Chromium (Debian's
// `chromium` package, driven by puppeteer-core) and captures the top of the page.
const { spawnSync } = require("node:child_process");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const { buildIfStale } = require("./build-if-stale");

const root = path.resolve(__dirname, "..");
const output = path.join(root, "docs", "images", "report.png");

async function main() {
  if (!buildIfStale()) return 1;
  const { launchBrowser, missingBrowser, openFile } = require(
    path.join(root, "dist-test", "test", "report", "browser.js"),
  );
  const missing = missingBrowser();
  if (missing) {
    console.error(`cannot take the screenshot: ${missing}`);
    return 1;
  }
  const cache = fs.mkdtempSync(path.join(os.tmpdir(), "moirae-screenshot-"));
  try {
    const demo = spawnSync(
      process.execPath,
      [path.join(__dirname, "demo.js"), "--json", "--cache-dir", cache],
      {
        cwd: root,
        encoding: "utf8",
      },
    );
    if (demo.status !== 0) {
      console.error(demo.stderr);
      return 1;
    }
    const chromium = await launchBrowser();
    try {
      const { page, watch } = await openFile(chromium.browser, path.join(cache, "report.html"), 1400);
      if (watch.errors.length > 0 || watch.requests.length > 0) {
        console.error("the report logged errors or made requests:", watch);
        return 1;
      }
      // show the details of a node on the critical path, as a user hovering over it would
      await page.setViewport({ width: 1400, height: 1180 });
      await page.hover("#dag .n.crit");
      fs.mkdirSync(path.dirname(output), { recursive: true });
      await page.screenshot({ path: output, clip: { x: 0, y: 0, width: 1400, height: 1180 } });
    } finally {
      await chromium.close();
    }
  } finally {
    fs.rmSync(cache, { recursive: true, force: true });
  }
  console.log(`wrote ${path.relative(root, output)}`);
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    console.error(error);
    process.exitCode = 1;
  },
);
