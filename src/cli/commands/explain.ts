import type { Command } from "commander";
import { FileCacheProvider } from "../../cache/file-cache-provider";
import type { Graph } from "../../graph/graph";
import { diffHashes, explainHash } from "../../hashing/explain-hash";
import type { CommandContext } from "../command-context";
import { checkNodeNames, loadGraph } from "../load-graph";
import { displayPath, graphSource, specArgument } from "../options";
import { type RecordedStatus, type RunManifest, readManifest } from "../run-manifest";
import { UsageError } from "../usage-error";

interface ExplainOptions {
  require?: string[];
  cacheDir: string;
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
}

interface Change {
  text: string;
  upstream?: Change[];
}

/**
 * `moirae explain <spec> <node> --require … --cache-dir DIR`: why the node is a hit or a miss, compared with the
 * last run recorded in the cache directory.
 */
export function explainCommand(command: Command, ctx: CommandContext): Command {
  return graphSource(command)
    .argument("[node]", "the node to explain")
    .description("say why a node is a cache miss, compared with the last run recorded in the cache directory")
    .option("--cache-dir <dir>", "the file cache the last run used", ".moirae-cache")
    .option("--json", "print one JSON object")
    .action(async (file: string | undefined, node: string | undefined, options: ExplainOptions) => {
      const spec = specArgument(file, options.require);
      const { graph } = await loadGraph({ spec, require: options.require });
      if (node === undefined) {
        throw new UsageError(`missing <node>: name the node to explain (nodes: ${graph.order.join(", ")})`);
      }
      checkNodeNames(graph, [node], "node");
      const cache = new FileCacheProvider({ dir: options.cacheDir });
      const manifest = await readManifest(cache);
      const verdict = await explainNode(graph, node, manifest, cache);
      const dir = displayPath(cache.dir);
      ctx.io.stdout.write(
        options.json
          ? `${JSON.stringify({ ...verdict, cacheDir: cache.dir, lastRun: manifest && { spec: manifest.spec, time: manifest.time } })}\n`
          : `${describe(verdict, dir, manifest).join("\n")}\n`,
      );
    });
}

async function explainNode(
  graph: Graph,
  node: string,
  manifest: RunManifest | undefined,
  cache: FileCacheProvider,
): Promise<Verdict> {
  const hash = graph.hashOf(node);
  const hit = await cache.has(hash);
  if (!manifest) return { node, hit, reason: "no-run", hash, changes: [] };
  const recorded = manifest.nodes[node];
  if (!recorded) return { node, hit, reason: "new", hash, changes: [] };
  const base = { node, hit, hash, lastHash: recorded.hash.hash, lastStatus: recorded.status };
  if (recorded.hash.hash === hash) return { ...base, reason: "same", changes: [] };
  return { ...base, reason: "changed", changes: changesOf(graph, node, manifest, new Set()) };
}

/** The sentences of `diffHashes`, each changed upstream node followed by its own reasons. */
function changesOf(graph: Graph, node: string, manifest: RunManifest, seen: Set<string>): Change[] {
  seen.add(node);
  const before = manifest.nodes[node]!.hash;
  const after = explainHash(graph, node);
  const changes: Change[] = diffHashes(before, after, node).map((text) => ({ text }));
  for (const input of Object.keys(after.upstream).sort()) {
    const now = after.upstream[input]!;
    const was = before.upstream[input];
    if (!was || was.node !== now.node || was.field !== now.field || was.hash === now.hash) continue;
    if (seen.has(now.node) || !manifest.nodes[now.node]) continue;
    const change = changes.find((c) => c.text === `upstream ${now.node} (input ${input}) changed`);
    if (change) change.upstream = changesOf(graph, now.node, manifest, seen);
  }
  return changes;
}

function describe(verdict: Verdict, dir: string, manifest: RunManifest | undefined): string[] {
  const { node } = verdict;
  const entry = verdict.hit
    ? `${dir} holds an entry for its hash: hit`
    : `${dir} holds no entry for its hash: miss`;
  if (!manifest) return [`no run recorded in ${dir}; ${node}: ${entry}.`];
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
      break;
  }
  return lines;
}

function formatChanges(changes: readonly Change[], indent: string): string[] {
  return changes.flatMap((c) => [
    `${indent}- ${c.text}${c.upstream?.length ? ", because:" : ""}`,
    ...formatChanges(c.upstream ?? [], `${indent}    `),
  ]);
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
