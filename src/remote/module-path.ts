import { dirname, isAbsolute, sep } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * moirae's own compiled files (`dist/`, or `dist-test/src/` in this repository's tests): frames in them are never
 * the module that defines a node.
 */
const OWN_ROOT = dirname(__dirname) + sep;

/** Files that sit between a decorator and the class it decorates: decorator helpers and metadata polyfills. */
const HELPER_FILE =
  /[\\/]node_modules[\\/](?:reflect-metadata|tslib|@swc[\\/]helpers|@babel[\\/]runtime)[\\/]/;

type CallSiteList = NodeJS.CallSite[];

/**
 * The file of the module that is applying a decorator right now: the first frame of the current call stack
 * outside moirae's own files, decorator helpers (reflect-metadata, tslib…) and Node's internals. When that frame
 * is code run by `eval` (or the REPL, `node -e`), there is no such file. Otherwise it is the file
 * the process actually loaded — the compiled `.js` file, never a source-mapped `.ts` name — as an absolute path
 * (an ES module's `file://` URL is turned into one).
 */
export function callerModulePath(): string | undefined {
  const sites = captureCallSites();
  for (const site of sites) {
    const name = site.getFileName() ?? "";
    if (!site.isEval() && (name === "" || name.startsWith("node:") || isHelper(name))) continue;
    return fileOf(site);
  }
  return undefined;
}

/**
 * The raw V8 call sites of the caller's stack. `Error.prepareStackTrace` is replaced for this one capture, so the
 * file names are those V8 ran, whatever source-map support (`--enable-source-maps`) does to printed stacks.
 */
function captureCallSites(): CallSiteList {
  const original = Error.prepareStackTrace;
  const limit = Error.stackTraceLimit;
  try {
    Error.stackTraceLimit = 30;
    Error.prepareStackTrace = (_error, sites) => sites;
    const holder: { stack?: unknown } = {};
    Error.captureStackTrace(holder, callerModulePath);
    return Array.isArray(holder.stack) ? (holder.stack as CallSiteList) : [];
  } finally {
    Error.prepareStackTrace = original;
    Error.stackTraceLimit = limit;
  }
}

function isHelper(name: string): boolean {
  const file = name.startsWith("file:") ? safeFilePath(name) : name;
  return file !== undefined && (file.startsWith(OWN_ROOT) || HELPER_FILE.test(file));
}

function safeFilePath(url: string): string | undefined {
  try {
    return fileURLToPath(url);
  } catch {
    return undefined;
  }
}

/** The absolute file of a frame; undefined for code run by eval, native code, or code without a file. */
function fileOf(site: NodeJS.CallSite): string | undefined {
  if (site.isEval() || site.isNative()) return undefined;
  const name = site.getFileName() ?? undefined;
  if (!name || name.startsWith("node:")) return undefined;
  if (name.startsWith("file:")) return safeFilePath(name);
  return isAbsolute(name) ? name : undefined;
}
