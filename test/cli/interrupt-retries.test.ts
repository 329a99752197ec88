// Regression test of issue 12 #5 (CLI part): Ctrl-C stops a node that fails at once and has a huge retry budget.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { after, describe, it } from "node:test";
import { CLI, cleanUp, NODES, tempDir, writeFile } from "./cli-harness";

after(cleanUp);

describe("moirae run --retries 100000000, interrupted", () => {
  it("Ctrl-C ends the retries of a node that fails at once, exit 130", async () => {
    const dir = tempDir();
    const spec = writeFile(dir, "boom.yaml", "e: { node: Explode, inputs: { x: 1, y: 2 } }\n");
    const args = [CLI, "run", spec, "--require", NODES, "--no-cache", "--retries", "100000000", "--json"];
    const child = spawn(process.execPath, args, { cwd: dir });
    let stdout = "";
    let stderr = "";
    child.stderr.on("data", (chunk) => {
      stderr += chunk;
    });
    const retrying = new Promise<void>((resolve) => {
      child.stdout.on("data", (chunk) => {
        if (stdout.length < 1e5) stdout += chunk;
        if (stdout.includes('"type":"node:retry"')) resolve();
      });
    });
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    await retrying;
    child.kill("SIGINT");
    const timer = setTimeout(() => child.kill("SIGKILL"), 20_000);
    const code = await exited;
    clearTimeout(timer);
    assert.equal(code, 130, `the run did not stop on SIGINT: ${stderr}`);
    assert.match(stderr, /interrupted/);
  });
});
