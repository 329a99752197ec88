import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { main } from "../../src/cli/main";
import { runNodeProcess } from "../fixtures/node-process";

/** The repository root (this file runs from dist-test/test/cli/). */
export const ROOT = path.resolve(__dirname, "..", "..", "..");
/** The built CLI the tests spawn. */
export const CLI = path.join(ROOT, "dist-test", "src", "cli", "main.js");
/** The compiled fixture module that defines AddMul, Multiply and Explode. */
export const NODES = path.join(__dirname, "fixtures", "nodes.js");
/** The committed fixture specs (JSON and YAML are not compiled, so they stay under test/). */
export const FIXTURES = path.join(ROOT, "test", "cli", "fixtures");

/** What one CLI invocation printed and returned. */
export interface CliRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Options of one CLI invocation. */
export interface CliOptions {
  /** The working directory (default: the repository root). */
  readonly cwd?: string;
  /** Standard input (the invocation then runs in a process of its own). */
  readonly input?: string;
  /** Run `node dist-test/src/cli/main.js` in a child process, as a user would, instead of `main()` in this one. */
  readonly spawn?: boolean;
}

/** In-process invocations run one at a time: each may change the working directory while it runs. */
let inProcessQueue: Promise<unknown> = Promise.resolve();

/**
 * Runs the CLI with `args`, as `main(argv, io)` in this process (its output captured; not a terminal) — fast,
 * for tests of what the CLI decides and prints — or, with `spawn` or `input`, as a child process.
 */
export function moirae(args: readonly string[], options: CliOptions = {}): Promise<CliRun> {
  if (options.spawn || options.input !== undefined) return spawnMoirae(args, options);
  const run = inProcessQueue.then(() => runInProcess(args, options.cwd));
  inProcessQueue = run.catch(() => {});
  return run;
}

async function runInProcess(args: readonly string[], cwd: string | undefined): Promise<CliRun> {
  let stdout = "";
  let stderr = "";
  const io = {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
  };
  const before = process.cwd();
  process.chdir(cwd ?? ROOT);
  try {
    const code = await main(["node", "moirae", ...args], io);
    return { code, stdout, stderr };
  } finally {
    process.chdir(before);
  }
}

/** Runs `node dist-test/src/cli/main.js …args` in `cwd` (pipes, so not a terminal) and waits for it to exit. */
export function spawnMoirae(args: readonly string[], options: CliOptions = {}): Promise<CliRun> {
  return runNodeProcess([CLI, ...args], {
    cwd: options.cwd ?? ROOT,
    env: { ...process.env, NO_COLOR: "1" },
    input: options.input,
    timeoutMs: 90_000, // a hang guard: on a busy machine a run is slow, not failed
  });
}

/** Tests of one suite run this many at a time (each spawns its own CLI process). */
export const CONCURRENCY = Math.max(1, Math.min(4, os.availableParallelism()));

/** Asserts the exit code, showing what the CLI printed when it differs. */
export function assertExit(run: CliRun, code: number): void {
  assert.equal(
    run.code,
    code,
    `expected exit ${code}, got ${run.code}\nstdout:\n${run.stdout}\nstderr:\n${run.stderr}`,
  );
}

/** Every line of standard output parsed as JSON (each must parse). */
export function jsonLines(run: CliRun): Record<string, any>[] {
  return run.stdout
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => {
      try {
        return JSON.parse(line);
      } catch {
        return assert.fail(`not a JSON line: ${line}`);
      }
    });
}

/** The `result` lines of a `--json` run, by node name. */
export function resultsOf(run: CliRun): Record<string, Record<string, any>> {
  const results: Record<string, Record<string, any>> = {};
  for (const line of jsonLines(run)) if (line.type === "result") results[line.node] = line;
  return results;
}

/** A fresh temporary directory, removed by `cleanUp`. */
export function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "moirae-cli-"));
  made.push(dir);
  return dir;
}

const made: string[] = [];

export function cleanUp(): void {
  for (const dir of made.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
}

/** Writes `text` to `dir/name` and returns its path. */
export function writeFile(dir: string, name: string, text: string): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return file;
}

/** The seed's graph as YAML, with `a`'s coef as given: a = coef·(1 + 2), b = 3·2, c = b + a. */
export function seedYaml(coef = 2): string {
  return [
    "a:",
    "  node: AddMul",
    `  arguments: { coef: ${coef} }`,
    "  inputs: { x: 1, y: 2 }",
    "b:",
    "  node: Multiply",
    "  inputs: { x: 3, y: 2 }",
    "c:",
    "  node: AddMul",
    "  inputs:",
    "    x: ${b.o}",
    "    y: ${a.o}",
    "",
  ].join("\n");
}

/** No stack trace frames in `text`. */
export function assertNoStack(text: string): void {
  assert.doesNotMatch(text, /^\s+at .+[:(]/m, `expected no stack trace in:\n${text}`);
}
