#!/usr/bin/env node
// Runs the tsc output of a TypeScript file of this repo: `npm run sample -- samples/node.ts`
// runs dist-test/samples/node.js (tsc keeps the decorator metadata that tsx/esbuild drop).
const path = require("node:path");
const fs = require("node:fs");

const [file, ...rest] = process.argv.slice(2);
if (!file) {
  console.error("usage: npm run sample -- <file.ts> [args…]   e.g. npm run sample -- samples/node.ts");
  process.exit(2);
}
const root = path.resolve(__dirname, "..");
const rel = path.relative(root, path.resolve(file)).replace(/\.ts$/, ".js");
const compiled = path.join(root, "dist-test", rel);
if (!fs.existsSync(compiled)) {
  console.error(
    `no compiled file ${path.relative(process.cwd(), compiled)} for ${file}: is it under samples/, bench/ or test/?`,
  );
  process.exit(2);
}
process.argv = [process.argv[0], compiled, ...rest];
require(compiled);
