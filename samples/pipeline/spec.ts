// Builds the demo pipeline's graph spec from the documents in a corpus directory.
import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { extname, resolve } from "node:path";
import { describeNode, type NodeClass, type NodeSpec } from "../../src/index";
import {
  DEFAULT_CORPUS_DIR,
  DocumentStats,
  ExtractKeywords,
  LoadDocument,
  MergeStats,
  Readability,
  Report,
  Tokenize,
  TopTerms,
} from "./nodes";

/** A node spec as plain data (a class name, not a class), so that it can be written as JSON. */
export type PipelineNodeSpec = NodeSpec & { node: string };

/** A `GraphSpec` as plain data: node name → node spec. */
export type PipelineSpec = Record<string, PipelineNodeSpec>;

/** Options of `buildPipelineSpec`. */
export interface PipelineSpecOptions {
  /** What a relative `corpusDir` is resolved against while building (default: the working directory). */
  cwd?: string;
  /** The slow step's bootstrap rounds per document (default 300: about a third of a second of CPU). */
  rounds?: number;
  /** How many corpus-wide top terms the report lists (default 10). */
  k?: number;
}

const name = (nodeClass: NodeClass) => describeNode(nodeClass).name;
const ref = (node: string, field: string) => `\${${node}.${field}}`;

/**
 * The demo pipeline over every `.txt` file of `corpusDir` (sorted by name). Per document: `load_<id>`, then
 * `tokens_<id>`, `readability_<id>` and `keywords_<id>` in parallel, joined by `stats_<id>`. The documents'
 * stats are merged pairwise up a balanced binary tree (`merge_<first>_<last>`, the root `merge_all`), then
 * `top_terms` and `report`.
 *
 * `corpusDir` is written into the spec as given, so a relative one keeps the spec (and its hashes) the same on
 * every machine; LoadDocument resolves it against the working directory of the run. Each document is pinned by
 * its SHA-256, so editing the corpus and rebuilding the spec invalidates exactly the affected nodes.
 */
export function buildPipelineSpec(
  corpusDir: string = DEFAULT_CORPUS_DIR,
  options: PipelineSpecOptions = {},
): PipelineSpec {
  const dir = resolve(options.cwd ?? process.cwd(), corpusDir);
  const files = readdirSync(dir)
    .filter((f) => extname(f) === ".txt")
    .sort();
  if (files.length === 0) throw new Error(`no .txt documents in ${dir}`);

  const spec: PipelineSpec = {};
  const add = (node: string, nodeSpec: PipelineNodeSpec) => {
    if (node in spec) throw new Error(`two nodes would be named "${node}": rename one of the documents.`);
    spec[node] = nodeSpec;
  };
  const ids = files.map((f) => f.slice(0, -".txt".length).replace(/[^A-Za-z0-9_]/g, "_"));
  files.forEach((file, i) => {
    const id = ids[i]!;
    const sha256 = createHash("sha256")
      .update(readFileSync(resolve(dir, file)))
      .digest("hex");
    const load = `load_${id}`;
    add(load, { node: name(LoadDocument), arguments: { corpusDir, path: file, sha256 }, inputs: {} });
    add(`tokens_${id}`, {
      node: name(Tokenize),
      arguments: { lowercase: true, minLength: 3 },
      inputs: { text: ref(load, "text") },
    });
    add(`readability_${id}`, { node: name(Readability), inputs: { text: ref(load, "text") } });
    add(`keywords_${id}`, {
      node: name(ExtractKeywords),
      arguments: { count: 5, maxWords: 3, rounds: options.rounds ?? 300 },
      inputs: { text: ref(load, "text") },
    });
    add(`stats_${id}`, {
      node: name(DocumentStats),
      arguments: { top: 5 },
      inputs: {
        id: ref(load, "id"),
        bytes: ref(load, "bytes"),
        tokens: ref(`tokens_${id}`, "tokens"),
        readability: ref(`readability_${id}`, "scores"),
        keywords: ref(`keywords_${id}`, "keywords"),
      },
    });
  });

  // Merge tree: each level pairs neighbours; an odd one out moves up a level unchanged.
  let level = ids.map((id) => ({ node: `stats_${id}`, first: id, last: id }));
  while (level.length > 1) {
    const next: typeof level = [];
    for (let i = 0; i < level.length; i += 2) {
      const left = level[i]!;
      const right = level[i + 1];
      if (!right) {
        next.push(left);
        continue;
      }
      const node = level.length === 2 ? "merge_all" : `merge_${left.first}_${right.last}`;
      add(node, {
        node: name(MergeStats),
        inputs: { left: ref(left.node, "corpus"), right: ref(right.node, "corpus") },
      });
      next.push({ node, first: left.first, last: right.last });
    }
    level = next;
  }
  const root = level[0]!.node;

  add("top_terms", {
    node: name(TopTerms),
    arguments: { k: options.k ?? 10 },
    inputs: { corpus: ref(root, "corpus") },
  });
  add("report", {
    node: name(Report),
    arguments: { title: "Text analytics over the bundled corpus", keywordsPerDocument: 3 },
    inputs: { corpus: ref(root, "corpus"), topTerms: ref("top_terms", "terms") },
  });
  return spec;
}
