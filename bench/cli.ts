// The CLI as a user meets it: `moirae --version` / `--help` start-up, and a fully cached `npm run demo`.
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { progress, type Section } from "./report";

const ROOT = path.resolve(__dirname, "..", "..");
/** The CLI as compiled by `npm run bench` (bin/moirae.js runs the same code from dist/ once built). */
const CLI = path.join(ROOT, "dist-test", "src", "cli", "main.js");
const DEMO = path.join(ROOT, "scripts", "demo.js");
/** Goals of issue 15. */
const GOAL_START_S = 0.15;
const GOAL_DEMO_S = 1.0;
const RUNS = 7;

const median = (xs: readonly number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Wall seconds of `node args…` (median of `runs`), failing loudly if it does not exit 0. */
function timeNode(args: readonly string[], runs = RUNS): number {
  const times: number[] = [];
  for (let k = 0; k < runs; k++) {
    const start = performance.now();
    const run = spawnSync(process.execPath, args, { cwd: ROOT, encoding: "utf8" });
    times.push((performance.now() - start) / 1000);
    if (run.status !== 0) throw new Error(`node ${args.join(" ")} exited ${run.status}: ${run.stderr}`);
  }
  return median(times);
}

export async function cli(section: Section): Promise<void> {
  section.heading("Start-up and a cached demo");
  section.text(
    `Wall time of a fresh process (median of ${RUNS}), as a user at a shell sees it. \`node -e 0\` is Node's own ` +
      "start-up on this machine, for reference. The CLI loads a command's implementation only when that command " +
      "runs. The cached demo is `node scripts/demo.js` (what `npm run demo` runs, without npm's own start-up) " +
      "with every node in the cache and nothing to compile.",
  );
  const cliArgs = [CLI];
  const bare = timeNode(["-e", "0"]);
  const version = timeNode([...cliArgs, "--version"]);
  const help = timeNode([...cliArgs, "--help"]);
  progress(`cli: node ${bare.toFixed(3)} s, --version ${version.toFixed(3)} s, --help ${help.toFixed(3)} s`);

  const cache = fs.mkdtempSync(path.join(os.tmpdir(), "moirae-bench-demo-"));
  let demo: number;
  try {
    timeNode([DEMO, "--json", "--cache-dir", cache], 1); // fills the cache (and compiles if a source changed)
    demo = timeNode([DEMO, "--json", "--cache-dir", cache], 5);
  } finally {
    fs.rmSync(cache, { recursive: true, force: true });
  }
  progress(`cli: cached demo ${demo.toFixed(3)} s`);
  section.table(
    ["command", "wall s"],
    [
      ["node -e 0", bare.toFixed(3)],
      ["moirae --version", version.toFixed(3)],
      ["moirae --help", help.toFixed(3)],
      ["npm run demo, fully cached (node scripts/demo.js)", demo.toFixed(3)],
    ],
  );
  section.goal(
    `\`moirae --version\` and \`moirae --help\` ≤ ${GOAL_START_S} s`,
    version <= GOAL_START_S && help <= GOAL_START_S,
    `--version ${version.toFixed(3)} s, --help ${help.toFixed(3)} s (node alone ${bare.toFixed(3)} s)`,
  );
  section.goal(
    `a fully cached \`npm run demo\` ≤ ${GOAL_DEMO_S} s wall`,
    demo <= GOAL_DEMO_S,
    `${demo.toFixed(3)} s`,
  );
}
