// Builds the demo pipeline's graph spec from the documents in a corpus directory, typed: GraphSpecBuilder
// checks every reference against the node classes when this file is compiled.
import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { extname, resolve } from "node:path";
import { GraphSpecBuilder, type NodeSpec } from "../../src/index";
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

  const spec = new GraphSpecBuilder();
  const ids = files.map((f) => f.slice(0, -".txt".length).replace(/[^A-Za-z0-9_]/g, "_"));
  ids.forEach((id, i) => {
    const other = ids.indexOf(id);
    if (other !== i) {
      throw new Error(
        `two nodes would be named "load_${id}" (${files[other]} and ${files[i]}): rename one of the documents.`,
      );
    }
  });
  const documents = files.map((file, i) => {
    const id = ids[i]!;
    const sha256 = createHash("sha256")
      .update(readFileSync(resolve(dir, file)))
      .digest("hex");
    const load = spec.node(`load_${id}`, LoadDocument, { arguments: { corpusDir, path: file, sha256 } });
    const tokens = spec.node(`tokens_${id}`, Tokenize, {
      arguments: { lowercase: true, minLength: 3 },
      inputs: { text: load.text },
    });
    const readability = spec.node(`readability_${id}`, Readability, { inputs: { text: load.text } });
    const keywords = spec.node(`keywords_${id}`, ExtractKeywords, {
      arguments: { count: 5, maxWords: 3, rounds: options.rounds ?? 300 },
      inputs: { text: load.text },
    });
    const stats = spec.node(`stats_${id}`, DocumentStats, {
      arguments: { top: 5 },
      inputs: {
        id: load.id,
        bytes: load.bytes,
        tokens: tokens.tokens,
        readability: readability.scores,
        keywords: keywords.keywords,
      },
    });
    return { corpus: stats.corpus, first: id, last: id };
  });

  // Merge tree: each level pairs neighbours; an odd one out moves up a level unchanged.
  let level = documents;
  while (level.length > 1) {
    const next: typeof level = [];
    for (let i = 0; i < level.length; i += 2) {
      const left = level[i]!;
      const right = level[i + 1];
      if (!right) {
        next.push(left);
        continue;
      }
      const merged = spec.node(
        level.length === 2 ? "merge_all" : `merge_${left.first}_${right.last}`,
        MergeStats,
        {
          inputs: { left: left.corpus, right: right.corpus },
        },
      );
      next.push({ corpus: merged.corpus, first: left.first, last: right.last });
    }
    level = next;
  }
  const corpus = level[0]!.corpus;

  const topTerms = spec.node("top_terms", TopTerms, {
    arguments: { k: options.k ?? 10 },
    inputs: { corpus },
  });
  spec.node("report", Report, {
    arguments: { title: "Text analytics over the bundled corpus", keywordsPerDocument: 3 },
    inputs: { corpus, topTerms: topTerms.terms },
  });
  return spec.toSpec() as PipelineSpec;
}
