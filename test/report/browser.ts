// One headless Chromium (Debian's `chromium` package) driven by puppeteer-core, for the report tests and the
// README screenshot. No browser is ever downloaded.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Browser, Page } from "puppeteer-core";

export const CHROMIUM = process.env.MOIRAE_CHROMIUM ?? "/usr/bin/chromium";
export const REQUIRED = process.env.MOIRAE_REQUIRE_BROWSER === "1";

/** Why there is no browser, or undefined when there is one. */
export function missingBrowser(): string | undefined {
  if (fs.existsSync(CHROMIUM)) return undefined;
  return `no browser at ${CHROMIUM} (apt-get install -y chromium, or set MOIRAE_CHROMIUM)`;
}

export interface LaunchedBrowser {
  readonly browser: Browser;
  close(): Promise<void>;
}

/** Starts headless Chromium with a fresh profile directory (removed on close), offline-minded flags. */
export async function launchBrowser(): Promise<LaunchedBrowser> {
  const { default: puppeteer } = await import("puppeteer-core");
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), "moirae-chromium-"));
  const browser = await puppeteer.launch({
    executablePath: CHROMIUM,
    headless: true,
    userDataDir: profile,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      `--user-data-dir=${profile}`,
    ],
  });
  return {
    browser,
    async close() {
      await browser.close();
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** What a page did besides showing itself: console errors, page errors, requests other than the file. */
export interface PageWatch {
  readonly errors: string[];
  readonly requests: string[];
}

/** Opens `file` (an HTML file) in a new page that allows no request but the file itself. */
export async function openFile(
  browser: Browser,
  file: string,
  width = 1400,
): Promise<{ page: Page; watch: PageWatch }> {
  const page = await browser.newPage();
  await page.setViewport({ width, height: 900 });
  const watch: PageWatch = { errors: [], requests: [] };
  const url = `file://${file}`;
  page.on("console", (message) => {
    if (message.type() === "error") watch.errors.push(message.text());
  });
  page.on("pageerror", (error) => watch.errors.push(String(error)));
  await page.setRequestInterception(true);
  page.on("request", (request) => {
    if (request.url() === url) void request.continue();
    else {
      watch.requests.push(request.url());
      void request.abort();
    }
  });
  await page.goto(url, { waitUntil: "load" });
  return { page, watch };
}
