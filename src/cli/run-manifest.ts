import * as fs from "node:fs/promises";
import type { FileCacheProvider } from "../cache/file-cache-provider";
import type { HashExplanation } from "../graph/explain-hash";
import type { NodeStatus } from "../graph/visualize";
import { messageOf } from "../util/error-text";
import { writeAtomically } from "../util/write-atomically";
import { CorruptRecordError } from "./corrupt-record-error";
import { jsonSafe } from "./json-safe";
import { manifestProblem } from "./manifest-shape";

/** How a node ended in the recorded run; `not-run` when a fail-fast run stopped before it. */
export type RecordedStatus = Exclude<NodeStatus, "pending" | "running"> | "not-run";

/** What `moirae run` records in `meta/last-run.json` of a file cache, for `moirae explain`. */
export interface RunManifest {
  readonly version: 1;
  /** The spec file, absolute. */
  readonly spec: string;
  /** When the run ended (ISO 8601). */
  readonly time: string;
  /** Every node of the run: its status and the components of its hash. */
  readonly nodes: Readonly<
    Record<string, { readonly status: RecordedStatus; readonly hash: HashExplanation }>
  >;
}

const MANIFEST = "last-run.json";
const DURATIONS = "durations.json";
/** `durations.json` keeps at most this many hashes (the most recently executed). */
const MAX_DURATIONS = 20_000;

/**
 * The last run recorded in the cache directory, or undefined when there is none. Throws `CorruptRecordError`
 * naming the file when it is not JSON or not the shape `moirae run` writes (e.g. `"nodes": null`).
 */
export async function readManifest(cache: FileCacheProvider): Promise<RunManifest | undefined> {
  const file = cache.metaPath(MANIFEST);
  let text: string;
  try {
    text = await fs.readFile(file, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") return undefined;
    throw new CorruptRecordError(file, `it cannot be read (${messageOf(error)})`, { cause: error });
  }
  let manifest: unknown;
  try {
    manifest = JSON.parse(text);
  } catch (error) {
    throw new CorruptRecordError(file, `it is not JSON (${messageOf(error)})`, { cause: error });
  }
  const problem = manifestProblem(manifest);
  if (problem !== undefined) throw new CorruptRecordError(file, problem);
  return manifest as RunManifest;
}

export async function writeManifest(cache: FileCacheProvider, manifest: RunManifest): Promise<void> {
  await writeJson(cache.metaPath(MANIFEST), manifest);
}

/** How long each hash took when it last executed (ms), to tell the time a cache hit saved. */
export async function readDurations(cache: FileCacheProvider): Promise<Record<string, number>> {
  const durations = await readJson(cache.metaPath(DURATIONS));
  return durations && typeof durations === "object" && !Array.isArray(durations)
    ? (durations as Record<string, number>)
    : {};
}

/** Records the durations of the nodes that executed in a run (newest last; the oldest dropped past the limit). */
export async function updateDurations(
  cache: FileCacheProvider,
  executed: ReadonlyMap<string, number>,
): Promise<void> {
  if (executed.size === 0) return;
  const durations = new Map(Object.entries(await readDurations(cache)));
  for (const [hash, ms] of executed) {
    durations.delete(hash);
    durations.set(hash, Math.round(ms * 1000) / 1000);
  }
  const keep = [...durations].slice(-MAX_DURATIONS);
  await writeJson(cache.metaPath(DURATIONS), Object.fromEntries(keep));
}

async function readJson(file: string): Promise<unknown> {
  try {
    return JSON.parse(await fs.readFile(file, "utf8"));
  } catch {
    return undefined;
  }
}

async function writeJson(file: string, value: unknown): Promise<void> {
  await writeAtomically(file, `${JSON.stringify(value, jsonSafe)}\n`);
}
