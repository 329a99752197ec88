// The demo pipeline's spec: well-formed, the right shape, committed up to date, and its results right.
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { isAbsolute, join, resolve } from "node:path";
import { describe, it } from "node:test";
import { DEFAULT_CORPUS_DIR } from "../../samples/pipeline/nodes";
import { buildPipelineSpec, type PipelineSpec } from "../../samples/pipeline/spec";
import { buildGraph, describeNode, execute, type Graph, NODES } from "../../src/index";
import { countIndependently } from "./count-terms";

const root = resolve(__dirname, "../../..");
const corpusDir = join(root, DEFAULT_CORPUS_DIR);
const documents = readdirSync(corpusDir)
  .filter((f) => f.endsWith(".txt"))
  .sort();
const spec = buildPipelineSpec(undefined, { cwd: root });
const graph = buildGraph(spec);

/** `${node.field}` exactly. */
const REFERENCE = /^\$\{([A-Za-z_][A-Za-z0-9_]*)\.([A-Za-z_][A-Za-z0-9_]*)\}$/;

/** The references among the inputs of `spec[name]`, read from the spec itself. */
function referencesOf(s: PipelineSpec, name: string): { input: string; node: string; field: string }[] {
  return Object.entries(s[name]!.inputs).flatMap(([input, value]) => {
    const match = typeof value === "string" ? REFERENCE.exec(value) : null;
    return match ? [{ input, node: match[1]!, field: match[2]! }] : [];
  });
}

/** Every node `name` depends on, directly or not. */
function ancestors(g: Graph, name: string, seen = new Set<string>()): Set<string> {
  for (const parent of g.dependenciesOf(name)) {
    if (!seen.has(parent)) {
      seen.add(parent);
      ancestors(g, parent, seen);
    }
  }
  return seen;
}

/** The number of nodes on the longest path ending at `name`. */
function depth(g: Graph, name: string): number {
  return 1 + Math.max(0, ...g.dependenciesOf(name).map((parent) => depth(g, parent)));
}

describe("the demo pipeline's spec", () => {
  it("has 20 to 50 nodes: five per document, a merge tree and the report", () => {
    const names = Object.keys(spec);
    assert.ok(documents.length >= 8 && documents.length <= 12, `${documents.length} documents`);
    assert.equal(names.length, 5 * documents.length + (documents.length - 1) + 2);
    assert.ok(names.length >= 20 && names.length <= 50, `${names.length} nodes`);
    for (const name of names) assert.match(name, /^[A-Za-z_][A-Za-z0-9_]*$/);
  });

  it("uses registered nodes with their declared arguments and exactly their input fields", () => {
    for (const [name, { node, arguments: args = {}, inputs }] of Object.entries(spec)) {
      const nodeClass = NODES.get(node);
      assert.ok(nodeClass, `${name}: ${node} is not registered`);
      const description = describeNode(nodeClass);
      const argumentNames = description.arguments.map((f) => f.name);
      for (const arg of Object.keys(args)) assert.ok(argumentNames.includes(arg), `${name}: argument ${arg}`);
      assert.deepEqual(
        Object.keys(inputs).sort(),
        description.input.map((f) => f.name).sort(),
        `${name}: input fields`,
      );
    }
  });

  it("references only existing nodes' output fields, of the type the input declares", () => {
    for (const [name, { node, inputs }] of Object.entries(spec)) {
      const inputFields = describeNode(NODES.get(node)!).input;
      for (const [input, value] of Object.entries(inputs)) {
        if (typeof value === "string") {
          assert.ok(!value.includes("${") || REFERENCE.test(value), `${name}.${input}: ${value}`);
        }
      }
      for (const r of referencesOf(spec, name)) {
        assert.ok(r.node in spec, `${name}.${r.input} references a missing node ${r.node}`);
        const outputFields = describeNode(NODES.get(spec[r.node]!.node)!).output;
        const field = outputFields.find((f) => f.name === r.field);
        assert.ok(field, `${name}.${r.input}: ${spec[r.node]!.node} has no output field ${r.field}`);
        assert.equal(field.type, inputFields.find((f) => f.name === r.input)!.type, `${name}.${r.input}`);
      }
    }
  });

  it("builds into a graph whose report depends on every other node", () => {
    assert.equal(graph.nodes.size, Object.keys(spec).length);
    const others = Object.keys(spec).filter((n) => n !== "report");
    assert.deepEqual([...ancestors(graph, "report")].sort(), others.sort());
  });

  it("has real parallel branches: every document, and three branches per document", () => {
    const ids = documents.map((f) => f.replace(/\.txt$/, ""));
    const independent = (a: string, b: string) => !ancestors(graph, a).has(b) && !ancestors(graph, b).has(a);
    for (const [i, id] of ids.entries()) {
      const branches = [`tokens_${id}`, `readability_${id}`, `keywords_${id}`];
      for (const branch of branches) assert.deepEqual([...ancestors(graph, branch)], [`load_${id}`]);
      assert.deepEqual([...graph.dependenciesOf(`stats_${id}`)].sort(), [`load_${id}`, ...branches].sort());
      // The slow steps of different documents can all run at once.
      for (const other of ids.slice(i + 1)) assert.ok(independent(`keywords_${id}`, `keywords_${other}`));
    }
  });

  it("merges the documents up a balanced binary tree", () => {
    const merges = Object.keys(spec).filter((n) => spec[n]!.node === "MergeStats");
    assert.equal(merges.length, documents.length - 1);
    const levels = Math.ceil(Math.log2(documents.length));
    assert.equal(depth(graph, "merge_all"), 3 + levels); // load → keywords → stats → merges
    assert.equal(depth(graph, "report"), 3 + levels + 2);
  });

  it("is portable: relative paths only, each document pinned by its sha256", () => {
    for (const { node, arguments: args } of Object.values(spec)) {
      if (node !== "LoadDocument") continue;
      assert.equal(args!.corpusDir, DEFAULT_CORPUS_DIR);
      assert.ok(!isAbsolute(args!.path as string));
      assert.match(args!.sha256 as string, /^[0-9a-f]{64}$/);
    }
  });

  it("is what samples/pipeline/pipeline.json holds (regenerate it with write-spec.ts after editing the corpus)", () => {
    const committed = JSON.parse(readFileSync(join(root, "samples/pipeline/pipeline.json"), "utf8"));
    assert.deepEqual(committed, spec);
  });
});

describe("buildPipelineSpec on other corpora", () => {
  function withCorpus(files: string[], check: (dir: string) => void) {
    const dir = mkdtempSync(join(tmpdir(), "moirae-corpus-"));
    try {
      for (const file of files) writeFileSync(join(dir, file), `The text of ${file}.`);
      check(dir);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  it("carries an odd document up the merge tree", () => {
    withCorpus(["a.txt", "b.txt", "c.txt", "notes.md"], (dir) => {
      const s = buildPipelineSpec(dir, { rounds: 0, k: 3 });
      assert.equal(Object.keys(s).length, 3 * 5 + 2 + 2);
      assert.deepEqual(s.merge_a_b!.inputs, { left: "${stats_a.corpus}", right: "${stats_b.corpus}" });
      assert.deepEqual(s.merge_all!.inputs, { left: "${merge_a_b.corpus}", right: "${stats_c.corpus}" });
      assert.equal(s.keywords_a!.arguments!.rounds, 0);
      assert.equal(s.top_terms!.arguments!.k, 3);
    });
  });

  it("needs no merge for one document, and refuses a corpus without documents", () => {
    withCorpus(["only one.txt"], (dir) => {
      const s = buildPipelineSpec(dir);
      assert.equal(s.top_terms!.inputs.corpus, "${stats_only_one.corpus}");
      assert.equal(s.load_only_one!.arguments!.path, "only one.txt");
    });
    withCorpus([], (dir) => assert.throws(() => buildPipelineSpec(dir), /no \.txt documents in/));
  });

  it("pins each document: editing one changes only the hashes of its branch and of what is downstream", () => {
    withCorpus(["a.txt", "b.txt", "c.txt", "d.txt"], (dir) => {
      const before = buildGraph(buildPipelineSpec(dir));
      writeFileSync(join(dir, "c.txt"), "An edited document.");
      const after = buildGraph(buildPipelineSpec(dir));
      const changed = [...before.nodes.keys()].filter((n) => before.hashOf(n) !== after.hashOf(n));
      assert.deepEqual(changed.sort(), [
        "keywords_c",
        "load_c",
        "merge_all",
        "merge_c_d",
        "readability_c",
        "report",
        "stats_c",
        "tokens_c",
        "top_terms",
      ]);
    });
  });

  it("refuses two documents that would share node names", () => {
    withCorpus(["a-b.txt", "a_b.txt"], (dir) => {
      assert.throws(() => buildPipelineSpec(dir), /two nodes would be named "load_a_b"/);
    });
  });
});

describe("the demo pipeline's results", () => {
  it("runs end to end, and its top terms match a count made without the pipeline's code", async () => {
    const outputs = (await execute(buildGraph(buildPipelineSpec(corpusDir, { rounds: 0, k: 12 })))) as Record<
      string,
      Record<string, unknown>
    >;
    const texts = documents.map((f) => readFileSync(join(corpusDir, f), "utf8"));
    const counts = countIndependently(texts);
    const expected = [...counts]
      .sort(([a, x], [b, y]) => y - x || (a < b ? -1 : 1))
      .slice(0, 12)
      .map(([term, count]) => `${term} ${count}`);
    const top = (outputs.top_terms!.terms as { term: string; count: number }[]).map(
      (t) => `${t.term} ${t.count}`,
    );
    assert.deepEqual(top, expected);
    // Pinned, for the CLI's end-to-end test and the README: the bundled corpus's top terms.
    assert.deepEqual(top, [
      "salt 49",
      "water 31",
      "people 30",
      "bell 27",
      "river 26",
      "time 25",
      "bells 20",
      "bread 18",
      "light 18",
      "old 18",
      "bees 17",
      "sea 17",
    ]);
    const corpus = outputs.merge_all!.corpus as {
      tokenCount: number;
      terms: unknown[];
      documents: { id: string }[];
    };
    assert.equal(
      corpus.tokenCount,
      [...counts.values()].reduce((a, b) => a + b, 0),
    );
    assert.equal(corpus.terms.length, counts.size);
    assert.deepEqual(
      corpus.documents.map((d) => d.id),
      documents.map((f) => f.replace(/\.txt$/, "")),
    );
    assert.deepEqual([corpus.tokenCount, corpus.terms.length], [3151, 1440]); // pinned, like the top terms
    const markdown = outputs.report!.markdown as string;
    assert.match(
      markdown,
      new RegExp(`^# Text analytics over the bundled corpus\n\n${documents.length} documents, `),
    );
    assert.match(markdown, /^8 documents, 6521 words, 3151 terms after stop words, 1440 distinct terms\.$/m);
    assert.match(markdown, /\| 1 \| salt \| 49 \| 1\.6% \|/);
  });
});
