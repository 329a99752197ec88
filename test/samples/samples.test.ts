// The samples the README points at, run as a user runs them (`npm run sample -- samples/x.ts`), in parallel.
import assert from "node:assert/strict";
import path from "node:path";
import { describe, it } from "node:test";
import { runNodeProcess } from "../fixtures/node-process";

const ROOT = path.resolve(__dirname, "..", "..", "..");

/** Runs `npm run sample -- <file>` (scripts/run-compiled.js) and returns what it printed; it must exit 0. */
async function sample(file: string): Promise<string> {
  const run = await runNodeProcess([path.join(ROOT, "scripts", "run-compiled.js"), file], { cwd: ROOT });
  assert.equal(run.code, 0, `${file} exited ${run.code}: ${run.stderr}`);
  return run.stdout;
}

describe("samples", { concurrency: true }, () => {
  it("quickstart.ts (the README's program): streamed, then every node cached", async () => {
    const out = await sample("samples/quickstart.ts");
    assert.equal(
      out,
      [
        "first run:",
        '  a done {"o":6}',
        '  b done {"o":6}',
        '  c done {"o":12}',
        "second run:",
        '  a cached {"o":6}',
        '  b cached {"o":6}',
        '  c cached {"o":12}',
        "",
      ].join("\n"),
    );
  });

  it("report.ts: a run report written, and its spans: moirae.run with one moirae.node per node", async () => {
    const out = await sample("samples/report.ts");
    assert.equal(
      out,
      [
        "report: moirae-sample-report.html in the temporary folder (open it in a browser)",
        "spans:",
        "  moirae.run ok",
        "    moirae.node a Add done cache=off",
        "    moirae.node b Add done cache=off",
        "    moirae.node c Add done cache=off",
        "",
      ].join("\n"),
    );
  });

  it("node.ts: AddMul, run eagerly, and NODES", async () => {
    const out = await sample("samples/node.ts");
    assert.match(out, /^AddMulOutput \{ o: 6 \}\ntrue 6\nMap\(1\) \{ 'AddMul' => \[class AddMul\] \}\n$/);
  });

  it("graph.ts: built with GraphSpecBuilder and as a plain spec, the same graph; edges, Mermaid", async () => {
    const out = await sample("samples/graph.ts");
    assert.match(out, /^ {2}a: AddMul [0-9a-f]{64}$/m);
    assert.match(out, /^ {2}b\.o -> c\.a$/m);
    assert.match(out, /^ {2}a\.o -> c\.b$/m);
    assert.match(out, /^flowchart LR$/m);
    assert.match(out, /^same hashes as the plain spec: true$/m);
    assert.match(out, /"c":\{"node":"AddMul","inputs":\{"a":"\$\{b\.o\}","b":"\$\{a\.o\}"\}\}/);
  });

  it("execute.ts: a and b start at once, c starts only after b (its last input), by the events' order", async () => {
    const out = await sample("samples/execute.ts");
    const events = /^ {2}events: (.*)$/m.exec(out)?.[1]?.split(" ");
    assert.ok(events, out);
    const at = (event: string) => {
      assert.ok(events.includes(event), `${event} in ${events.join(" ")}`);
      return events.indexOf(event);
    };
    assert.ok(at("b:start") < at("a:done"), "a and b run at the same time");
    assert.ok(at("a:done") < at("b:done"), "a (0.2 s) finishes before b (0.4 s)");
    assert.ok(at("b:done") < at("c:start") && at("a:done") < at("c:start"), "c waits for both inputs");
    assert.equal(at("c:start"), at("b:done") + 1, "c starts the moment b is done");
    assert.match(out, /^ {2}c done at [\d.]+ s .*: \{"o":9\}$/m);
    assert.match(out, /eager:\n.*\{ a: Result \{ o: 3 \}, b: Result \{ o: 6 \}, c: Result \{ o: 9 \} \}/);
  });

  it("cache.ts: everything, then nothing, then exactly a and c", async () => {
    const out = await sample("samples/cache.ts");
    const executed = [...out.matchAll(/executed: \[([^\]]*)\]/g)].map((m) => m[1]);
    assert.deepEqual(executed, ["a, b, c", "", "a, c"]);
    assert.match(out, /c: done {3}o=13/);
  });

  it("custom-cache.ts: a provider over an injected service, registered in a child container", async () => {
    const out = await sample("samples/custom-cache.ts");
    assert.match(out, /^first run: a done, b done$/m);
    assert.match(out, /^second run: a cached, b cached$/m);
    assert.match(out, /^entries in the store: 2$/m);
    assert.match(out, /^root container: \{"a":\{"o":3\},"b":\{"o":13\}\}$/m);
  });

  it("run-options.ts: fail-fast, continue, retries with events, targets", async () => {
    const out = await sample("samples/run-options.ts");
    assert.match(out, /^fail-fast: b 1 connection refused$/m);
    assert.match(
      out,
      /^continue: 2 nodes did not complete:\n {2}- b: Node "b" failed after 1 attempt: connection refused\n {2}- c: Node "c" was skipped because its ancestor "b" failed\.$/m,
    );
    assert.match(out, /^outputs: \{"a":\{"o":3\}\}$/m);
    assert.match(out, /^retries: \{"a":\{"o":3\},"b":\{"o":6\},"c":\{"o":9\}\}$/m);
    assert.match(out, /^events of b: node:start#1 (node:retry#\d )+node:done#6$/m);
    assert.match(out, /^targets: \{"a":\{"o":3\}\}$/m);
  });

  it("di.ts: the fake service and the child's cache, the root container untouched", async () => {
    const out = await sample("samples/di.ts");
    assert.match(out, /with the fake service: Converted \{ amount: 200 \}/);
    assert.match(out, /cached entries in the child's provider: 1/);
    assert.match(out, /root container has a CacheProvider registered: false/);
  });

  it("threads.ts: CountPrimes in worker threads, AddCounts on the event loop; the process exits by itself", async () => {
    const out = await sample("samples/threads.ts");
    assert.match(
      out,
      /^primes below 1,000,000: 78498\ncounted in worker threads: true\n\d+ threads of \d+ cores/,
    );
  });
});
