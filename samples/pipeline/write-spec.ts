// Writes samples/pipeline/pipeline.json, the demo pipeline's spec over the bundled corpus.
// Run with: npm run sample -- samples/pipeline/write-spec.ts [out.json]
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { buildPipelineSpec } from "./spec";

/** The repository root: the nearest directory above this file whose package.json is moirae's. */
function repoRoot(): string {
  for (let dir = __dirname; dir !== dirname(dir); dir = dirname(dir)) {
    const manifest = join(dir, "package.json");
    if (existsSync(manifest) && JSON.parse(readFileSync(manifest, "utf8")).name === "moirae") return dir;
  }
  throw new Error(`no moirae package.json above ${__dirname}`);
}

const root = repoRoot();
const out = resolve(process.argv[2] ?? join(root, "samples/pipeline/pipeline.json"));
const spec = buildPipelineSpec(undefined, { cwd: root });
writeFileSync(out, `${JSON.stringify(spec, null, 2)}\n`);
console.log(`wrote ${relative(process.cwd(), out)}: ${Object.keys(spec).length} nodes`);
