import * as fs from "node:fs/promises";
import type { FileCacheProvider } from "../cache/file-cache-provider";
import type { HashExplanation } from "../graph/explain-hash";
import type { NodeStatus } from "../graph/visualize";
import { writeAtomically } from "../util/write-atomically";
import { jsonSafe } from "./json-safe";

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

/** The last run recorded in the cache directory, or undefined when there is none (or it is unreadable). */
export async function readManifest(cache: FileCacheProvider): Promise<RunManifest | undefined> {
  const manifest = await readJson(cache.metaPath(MANIFEST));
  return manifest && typeof manifest === "object" && (manifest as RunManifest).version === 1
    ? (manifest as RunManifest)
    : undefined;
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
