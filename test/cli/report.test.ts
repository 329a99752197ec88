// `moirae run --report FILE`: the HTML report is written however the run ends.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { after, describe, it } from "node:test";
import { CLI, FIXTURES, moirae, NODES } from "./cli-harness";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "moirae-cli-report-"));
after(() => fs.rmSync(dir, { recursive: true, force: true }));

/** The figure a summary card of the report shows (`data-value`). */
function figure(html: string, id: string): number {
  const match = new RegExp(`id="${id}" data-value="([0-9.]+)"`).exec(html);
  assert.ok(match, `no ${id} in the report`);
  return Number(match[1]);
}

describe("moirae run --report", () => {
  it("writes a self-contained HTML report of a successful run and says where", async () => {
    const file = path.join(dir, "ok.html");
    const run = await moirae([
      "run",
      path.join(FIXTURES, "seed.json"),
      "--require",
      NODES,
      "--no-cache",
      "--report",
      file,
    ]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stderr, new RegExp(`wrote the run report to ${file.replace(/[/\\.]/g, "\\$&")}`));
    const html = fs.readFileSync(file, "utf8");
    assert.match(html, /^<!DOCTYPE html>/);
    assert.match(html, /<title>moirae run seed\.json<\/title>/);
    assert.equal(figure(html, "count-done"), 3);
    assert.doesNotMatch(html, /<(script|link|img)[^>]+(src|href)=/, "nothing is fetched");
  });

  it("writes it when a node fails (fail-fast), with the failure", async () => {
    const spec = path.join(dir, "boom.yaml");
    fs.writeFileSync(
      spec,
      "a: { node: AddMul, inputs: { x: 1, y: 2 } }\nboom: { node: Explode, arguments: { reason: '<b>bad</b>' }, inputs: { x: '${a.o}', y: 1 } }\n",
    );
    const file = path.join(dir, "failed.html");
    const run = await moirae(["run", spec, "--require", NODES, "--no-cache", "--report", file]);
    assert.equal(run.code, 1, run.stderr);
    const html = fs.readFileSync(file, "utf8");
    assert.equal(figure(html, "count-failed"), 1);
    assert.equal(figure(html, "count-done"), 1);
    assert.match(html, /exploded: &lt;b&gt;bad&lt;\/b&gt;/);
  });

  it("writes it on Ctrl-C: the partial run, with the node that was running", async () => {
    const spec = path.join(dir, "slow.yaml");
    fs.writeFileSync(
      spec,
      "fast: { node: Multiply, inputs: { x: 1, y: 2 } }\nslow: { node: Multiply, arguments: { delayMs: 20000 }, inputs: { x: '${fast.o}', y: 2 } }\n",
    );
    const file = path.join(dir, "interrupted.html");
    const child = spawn(process.execPath, [
      CLI,
      "run",
      spec,
      "--require",
      NODES,
      "--no-cache",
      "--report",
      file,
    ]);
    let stdout = "";
    let stderr = "";
    child.stderr.on("data", (chunk) => {
      stderr += chunk;
    });
    const started = new Promise<void>((resolve) => {
      child.stdout.on("data", (chunk) => {
        stdout += chunk;
        if (/"type":"node:start","node":"slow"/.test(stdout)) resolve();
      });
    });
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    await started;
    child.kill("SIGINT");
    assert.equal(await exited, 130, stderr);
    const html = fs.readFileSync(file, "utf8");
    assert.match(html, /id="run-state" class="run-state stop">aborted</);
    assert.equal(figure(html, "count-done"), 1);
    assert.equal(figure(html, "count-not-run"), 1);
    assert.match(html, /class="b s-not-run crit int"/, "the running node's bar is cut at the interruption");
    assert.match(html, /interrupted \(Ctrl-C\)/);
  });
});
