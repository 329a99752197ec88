import "reflect-metadata";
import type { CacheProvider } from "../../cache/cache-provider";
import { diffHashes, explainHash } from "../../graph/explain-hash";
import type { Graph } from "../../graph/graph";
import type { CommandContext } from "../command-context";
import { checkNodeNames, loadGraph } from "../load-graph";
import { openCache } from "../open-cache";
import { displayPath, specArgument } from "../options";
import { type RecordedStatus, type RunManifest, readManifest } from "../run-manifest";
import { UsageError } from "../usage-error";

export interface ExplainOptions {
  require?: string[];
  cacheDir: string;
  redis?: string;
  redisPrefix?: string;
  json?: boolean;
}

/** What `explain` found out about one node. */
interface Verdict {
  node: string;
  /** Whether a run now would take the node from the cache. */
  hit: boolean;
  /** `no-run` (nothing recorded), `new` (not in the last run), `same` (same hash) or `changed`. */
  reason: "no-run" | "new" | "same" | "changed";
  hash: string;
  lastHash?: string;
  lastStatus?: RecordedStatus;
  /** Why the hash changed, one sentence each, with the upstream nodes' own reasons nested. */
  changes: Change[];
  /** The changes at the root of it all: each node's own changed components, grouped by change. */
  rootCauses: RootCause[];
}

interface Change {
  text: string;
  /** The reasons of the changed upstream node this sentence names. */
  upstream?: Change[];
  /** The upstream node's reasons are listed under an earlier sentence already. */
  explainedAbove?: boolean;
}

/** A change of a node's own components (not of its upstream), and the nodes it happened to. */
interface RootCause {
  change: string;
  nodes: string[];
}

/** Runs `moirae explain`: why the node is a hit or a miss, compared with the last run recorded. */
export async function explain(
  ctx: CommandContext,
  file: string | undefined,
  node: string | undefined,
  options: ExplainOptions,
): Promise<void> {
  const spec = specArgument(file, options.require);
  const { graph } = await loadGraph({ spec, require: options.require });
  if (node === undefined) {
    throw new UsageError(`missing <node>: name the node to explain (nodes: ${graph.order.join(", ")})`);
  }
  checkNodeNames(graph, [node], "node");
  const cache = openCache(options);
  try {
    const record = cache.record!;
    const manifest = await readManifest(record);
    const verdict = await explainNode(graph, node, manifest, cache.provider!);
    const where = options.redis === undefined ? displayPath(record.dir) : cache.description;
    const lastRun = manifest && { spec: manifest.spec, time: manifest.time };
    ctx.io.stdout.write(
      options.json
        ? `${JSON.stringify({ ...verdict, cache: cache.description, record: record.dir, lastRun })}\n`
        : `${describe(verdict, where, displayPath(record.dir), manifest).join("\n")}\n`,
    );
  } finally {
    await cache.close();
  }
}

async function explainNode(
  graph: Graph,
  node: string,
  manifest: RunManifest | undefined,
  cache: CacheProvider,
): Promise<Verdict> {
  const hash = graph.hashOf(node);
  const hit = await cache.has(hash);
  const none = { changes: [], rootCauses: [] };
  if (!manifest) return { node, hit, reason: "no-run", hash, ...none };
  const recorded = manifest.nodes[node];
  if (!recorded) return { node, hit, reason: "new", hash, ...none };
  const base = { node, hit, hash, lastHash: recorded.hash.hash, lastStatus: recorded.status };
  if (recorded.hash.hash === hash) return { ...base, reason: "same", ...none };
  const roots = new Map<string, string[]>();
  const changes = changesOf(graph, node, manifest, new Set(), roots);
  const rootCauses = [...roots].map(([change, nodes]) => ({ change, nodes }));
  return { ...base, reason: "changed", changes, rootCauses };
}

/**
 * The sentences of `diffHashes`, each changed upstream node followed by its own reasons (once: a node met again
 * is `explainedAbove`). Every other sentence is a root cause, collected in `roots`.
 */
function changesOf(
  graph: Graph,
  node: string,
  manifest: RunManifest,
  seen: Set<string>,
  roots: Map<string, string[]>,
): Change[] {
  seen.add(node);
  const before = manifest.nodes[node]!.hash;
  const after = explainHash(graph, node);
  const changes: Change[] = diffHashes(before, after, node).map((text) => ({ text }));
  const upstreamSentences = new Set<string>();
  for (const input of Object.keys(after.upstream).sort()) {
    const now = after.upstream[input]!;
    const was = before.upstream[input];
    if (!was || was.node !== now.node || was.field !== now.field || was.hash === now.hash) continue;
    if (!manifest.nodes[now.node]) continue;
    const text = `upstream ${now.node} (input ${input}) changed`;
    const change = changes.find((c) => c.text === text);
    if (!change) continue;
    upstreamSentences.add(text);
    if (seen.has(now.node)) change.explainedAbove = true;
    else change.upstream = changesOf(graph, now.node, manifest, seen, roots);
  }
  for (const { text } of changes) {
    if (upstreamSentences.has(text)) continue;
    const nodes = roots.get(text);
    if (nodes) nodes.push(node);
    else roots.set(text, [node]);
  }
  return changes;
}

/** `dir`: where the entries are (a directory or a Redis server); `recordDir`: where the run is recorded. */
function describe(
  verdict: Verdict,
  dir: string,
  recordDir: string,
  manifest: RunManifest | undefined,
): string[] {
  const { node } = verdict;
  const entry = verdict.hit
    ? `${dir} holds an entry for its hash: hit`
    : `${dir} holds no entry for its hash: miss`;
  if (!manifest) return [`no run recorded in ${recordDir}; ${node}: ${entry}.`];
  const lines = [`last run: ${manifest.spec} at ${manifest.time}`];
  switch (verdict.reason) {
    case "new":
      lines.push(`node ${node} was not in the last run; ${entry}.`);
      break;
    case "same":
      lines.push(
        verdict.hit
          ? `${node}: cached: same hash as the last run, and ${dir} holds its entry: hit.`
          : `${node}: same hash as the last run, but ${dir} holds no entry for it: miss (${whyAbsent(verdict.lastStatus)}).`,
      );
      break;
    case "changed":
      lines.push(
        `${node}: miss: its hash changed since the last run${verdict.hit ? ` (though ${dir} holds an entry for the new hash, from an earlier run: hit)` : ""}:`,
        ...formatChanges(verdict.changes, "  "),
      );
      if (verdict.rootCauses.some((r) => r.nodes.some((n) => n !== node))) {
        lines.push(
          "root causes:",
          ...verdict.rootCauses.map(({ change, nodes }) => `  - ${listNodes(nodes)}: ${change}`),
        );
      }
      break;
  }
  return lines;
}

function formatChanges(changes: readonly Change[], indent: string): string[] {
  return changes.flatMap((c) => [
    `${indent}- ${c.text}${c.upstream?.length ? ", because:" : c.explainedAbove ? " (see above)" : ""}`,
    ...formatChanges(c.upstream ?? [], `${indent}    `),
  ]);
}

/** `a`, `a, b`, or `a, b, c and 5 more` */
function listNodes(nodes: readonly string[]): string {
  return nodes.length <= 4
    ? nodes.join(", ")
    : `${nodes.slice(0, 3).join(", ")} and ${nodes.length - 3} more`;
}

function whyAbsent(status: RecordedStatus | undefined): string {
  switch (status) {
    case "failed":
      return "it failed in the last run";
    case "skipped":
      return "it was skipped in the last run, after an ancestor failed";
    case "not-run":
      return "the last run stopped before it ran";
    default:
      return "the entry was removed since, e.g. by moirae cache clear";
  }
}
