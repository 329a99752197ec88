// The run report in a real browser (headless Chromium): what a user sees and can click, for a successful, a
// partly cached, a failed (continue mode) and an aborted run. Screenshots go to dist-test/artifacts/.
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, it, type TestContext } from "node:test";
import type { Page } from "puppeteer-core";
import { STATUS_COLOURS } from "../../src/report/report-model";
import {
  type LaunchedBrowser,
  launchBrowser,
  missingBrowser,
  openFile,
  type PageWatch,
  REQUIRED,
} from "./browser";
import { fourRuns, type RecordedRun } from "./report-fixtures";

const ARTIFACTS = path.resolve(__dirname, "..", "..", "artifacts");
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "moirae-report-"));

/** `#rrggbb` as the browser computes it: `rgb(r, g, b)`. */
function rgb(hex: string): string {
  const n = Number.parseInt(hex.slice(1), 16);
  return `rgb(${n >> 16}, ${(n >> 8) & 255}, ${n & 255})`;
}

interface Shown {
  /** DAG boxes: node name → status class and the computed fill and outline of the box. */
  readonly boxes: Record<string, { status: string; fill: string; critical: boolean }>;
  /** Timeline bars from left to right: name, x, lane y, width, status, whether interrupted. */
  readonly bars: { name: string; x: number; y: number; w: number; status: string; interrupted: boolean }[];
  readonly figures: Record<string, number>;
  readonly critical: string;
  readonly state: string;
}

async function shown(page: Page): Promise<Shown> {
  return page.evaluate(() => {
    const doc = (globalThis as any).document;
    const win = globalThis as any;
    const data = JSON.parse(doc.getElementById("run-data").textContent);
    const nameOf = (el: any) => data.nodes[Number(el.getAttribute("data-i"))][0];
    const statusOf = (el: any) => [...el.classList].find((c: string) => c.startsWith("s-")).slice(2);
    const boxes: Record<string, any> = {};
    for (const g of doc.querySelectorAll("#dag .n")) {
      const rect = g.querySelector("rect");
      boxes[nameOf(g)] = {
        status: statusOf(g),
        fill: win.getComputedStyle(rect).fill,
        critical: g.classList.contains("crit"),
      };
    }
    const bars = [...doc.querySelectorAll("#timeline .b")].map((g: any) => {
      const rect = g.querySelector("rect").getBBox();
      return {
        name: nameOf(g),
        x: rect.x,
        y: rect.y,
        w: rect.width,
        status: statusOf(g),
        interrupted: g.classList.contains("int"),
      };
    });
    bars.sort((a: any, b: any) => a.x - b.x || a.y - b.y);
    const figures: Record<string, number> = {};
    for (const card of doc.querySelectorAll(".card")) figures[card.id] = Number(card.dataset.value);
    return {
      boxes,
      bars,
      figures,
      critical: doc.getElementById("critical-path").dataset.nodes ?? "",
      state: doc.getElementById("run-state").textContent,
    };
  });
}

describe("the run report in a browser", () => {
  let chromium: LaunchedBrowser | undefined;
  let runs: Awaited<ReturnType<typeof fourRuns>>;
  const pages: Page[] = [];

  before(async () => {
    const missing = missingBrowser();
    if (missing) {
      if (REQUIRED) throw new Error(`${missing}, and MOIRAE_REQUIRE_BROWSER=1 requires one`);
      console.log(
        `# skipping the browser tests of the run report: ${missing}; set MOIRAE_REQUIRE_BROWSER=1 to fail instead`,
      );
      return;
    }
    [chromium, runs] = await Promise.all([launchBrowser(), fourRuns()]);
    fs.mkdirSync(ARTIFACTS, { recursive: true });
  });

  after(async () => {
    await Promise.all(pages.map((p) => p.close().catch(() => {})));
    await chromium?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** Opens a recorded run's report from a file; checks it fetched nothing and logged no error. */
  async function open(t: TestContext, name: string, run: RecordedRun): Promise<Page | undefined> {
    if (!chromium) {
      t.skip(`${missingBrowser()}; set MOIRAE_REQUIRE_BROWSER=1 to fail instead`);
      return undefined;
    }
    const file = path.join(dir, `${name}.html`);
    fs.writeFileSync(file, run.html);
    const { page, watch } = await openFile(chromium.browser, file);
    pages.push(page);
    await page.screenshot({ path: path.join(ARTIFACTS, `report-${name}.png`), fullPage: true });
    await checkQuiet(page, watch);
    return page;
  }

  async function checkQuiet(page: Page, watch: PageWatch): Promise<void> {
    // hover and click around, then check nothing was fetched, logged as an error, or injected
    await page.hover('#dag [data-i="0"]');
    await page.click("#timeline .b");
    await page.click('#nodes th[data-key="duration"]');
    assert.deepEqual(watch.requests, [], "the report fetched something");
    assert.deepEqual(watch.errors, [], "the report logged errors");
    const injected = await page.evaluate(() => ({
      pwned: typeof (globalThis as any).__pwned,
      images: (globalThis as any).document.querySelectorAll("img").length,
    }));
    assert.deepEqual(injected, { pwned: "undefined", images: 0 });
  }

  it("shows a successful run: every box green, bars in start order, the summary and the critical path", async (t) => {
    const page = await open(t, "success", runs?.success);
    if (!page) return;
    const view = await shown(page);
    assert.equal(view.state, "succeeded");
    assert.equal(Object.keys(view.boxes).length, 8);
    for (const [name, box] of Object.entries(view.boxes)) {
      assert.equal(box.status, "done", name);
      assert.equal(box.fill, rgb(STATUS_COLOURS.done.fill), name);
    }
    assert.equal(view.bars.length, 8);
    assert.equal(view.bars.at(-1)!.name, "report");
    const order = view.bars.map((b) => b.name);
    for (const [before, after] of [
      ["load", "clean"],
      ["load", "parse"],
      ["clean", "features"],
      ["parse", "features"],
      ["features", "train"],
      ["train", "report"],
    ]) {
      assert.ok(order.indexOf(before!) < order.indexOf(after!), `${before} before ${after}: ${order}`);
    }
    // clean, parse and stats ran at once: three lanes
    const lanes = new Set(
      view.bars.filter((b) => ["clean", "parse", "stats"].includes(b.name)).map((b) => b.y),
    );
    assert.equal(lanes.size, 3);
    assert.equal(view.figures["count-done"], 8);
    assert.equal(view.figures["count-failed"], 0);
    assert.ok(view.figures["wall-time"]! >= 200, `wall time ${view.figures["wall-time"]}`);
    assert.ok(view.figures["node-time"]! >= 300, `node time ${view.figures["node-time"]}`);
    assert.match(view.critical, /^load .*features train report$/);
    for (const name of view.critical.split(" ")) assert.ok(view.boxes[name]!.critical, name);
    assert.equal(view.boxes.stats!.critical, false);

    // parse failed once and was retried: a tick on its bar, two tries in its details
    await page.click(`#timeline .b[data-i="${nodeIndex(runs.success, "parse")}"]`);
    const details = await page.$eval("#details", (el: any) => el.textContent);
    assert.match(details, /^parse/);
    assert.match(details, /tries2/);
    assert.match(details, /flaky parser/);
    assert.equal(
      await page.$$eval(
        `#timeline .b[data-i="${nodeIndex(runs.success, "parse")}"] .rt`,
        (l: any[]) => l.length,
      ),
      1,
    );
  });

  it("shows a partly cached run: cached boxes blue, the time the cache saved", async (t) => {
    const page = await open(t, "cached", runs?.cached);
    if (!page) return;
    const view = await shown(page);
    const cached = ["load", "clean", "parse", "features", "stats", "evil"];
    for (const name of cached) {
      assert.equal(view.boxes[name]!.status, "cached", name);
      assert.equal(view.boxes[name]!.fill, rgb(STATUS_COLOURS.cached.fill), name);
    }
    for (const name of ["train", "report"])
      assert.equal(view.boxes[name]!.fill, rgb(STATUS_COLOURS.done.fill));
    assert.equal(view.figures["count-cached"], 6);
    assert.equal(view.figures["count-done"], 2);
    // the first run took ≥ 40 + 80 + 30 ms along load → clean → features alone
    assert.ok(view.figures["time-saved"]! >= 150, `saved ${view.figures["time-saved"]}`);
    assert.match(await page.$eval("#time-saved", (el: any) => el.textContent), /6 of 6 cached nodes/);
    assert.match(view.critical, /train report$/);
  });

  it("shows a failed run (continue mode): the failure red with its message as text, its dependent skipped", async (t) => {
    const page = await open(t, "failed", runs?.failed);
    if (!page) return;
    const view = await shown(page);
    assert.equal(view.state, "failed");
    assert.equal(view.boxes.train!.fill, rgb(STATUS_COLOURS.failed.fill));
    assert.equal(view.boxes.report!.fill, rgb(STATUS_COLOURS.skipped.fill));
    assert.equal(view.boxes.stats!.fill, rgb(STATUS_COLOURS.done.fill));
    assert.equal(view.figures["count-failed"], 1);
    assert.equal(view.figures["count-skipped"], 1);
    assert.equal(view.figures["count-done"], 6);
    assert.ok(!view.bars.some((b) => b.name === "report"), "a skipped node has no bar");
    await page.click(`#dag [data-i="${nodeIndex(runs.failed, "train")}"]`);
    const error = await page.$eval("#details pre", (el: any) => el.textContent);
    assert.match(error, /model diverged <\/script><script>window.__pwned = true<\/script><b onmouseover=/);
    // the evil node class name is text, not an element
    assert.match(await page.$eval("#nodes", (el: any) => el.textContent), /<img src=x onerror=alert\(1\)>/);
  });

  it("shows an aborted run: what had ended, what was running (hatched), what never started", async (t) => {
    const page = await open(t, "aborted", runs?.aborted);
    if (!page) return;
    const view = await shown(page);
    assert.equal(view.state, "aborted");
    assert.equal(runs.aborted.error instanceof Error && runs.aborted.error.name, "ExecutionAbortedError");
    assert.equal(view.boxes.load!.status, "done");
    assert.equal(view.boxes.parse!.status, "done");
    assert.equal(view.boxes.features!.status, "not-run");
    assert.equal(view.boxes.report!.status, "not-run");
    assert.equal(view.boxes.report!.fill, rgb(STATUS_COLOURS["not-run"].fill));
    assert.ok(view.figures["count-not-run"]! >= 2);
    const interrupted = view.bars.filter((b) => b.interrupted).map((b) => b.name);
    assert.ok(interrupted.includes("clean"), "clean was running when the run stopped");
    assert.ok(interrupted.every((name) => view.boxes[name]!.status === "not-run"));
    assert.match(await page.$eval("#run-error", (el: any) => el.textContent), /stopped by the test/);
  });
});

function nodeIndex(run: RecordedRun, name: string): number {
  const data = /<script type="application\/json" id="run-data">(.*?)<\/script>/s.exec(run.html)![1]!;
  return (JSON.parse(data).nodes as unknown[][]).findIndex((n) => n[0] === name);
}
