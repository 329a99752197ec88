// The demo pipeline's nodes, each run alone with runNode against values worked out by hand.
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { after, before, describe, it } from "node:test";
import {
  DocumentStats,
  ExtractKeywords,
  LoadDocument,
  MergeStats,
  Readability,
  Report,
  Tokenize,
  TopTerms,
} from "../../samples/pipeline/nodes";
import { DataValidationError, NodeArgumentsError, runNode } from "../../src/index";
import { getMetadataStore } from "../../src/metadata/metadata-store";

/** A summary of one document for the stats tests, with the given terms. */
function summary(id: string, tokenCount: number, topTerms: { term: string; count: number }[]) {
  return {
    id,
    bytes: 10 * tokenCount,
    tokenCount,
    uniqueCount: topTerms.length,
    topTerms,
    readability: {
      sentences: 1,
      words: 2 * tokenCount,
      syllables: 3 * tokenCount,
      wordsPerSentence: 2 * tokenCount,
      syllablesPerWord: 1.5,
      fleschReadingEase: 50,
    },
    keywords: [{ phrase: `${id} phrase`, score: 4, support: 0.5 }],
  };
}

describe("LoadDocument", () => {
  let dir: string;
  // "café — bees\r\n": c a f é(2) space —(3) space b e e s \r \n = 16 bytes; "line two\n" = 9 bytes.
  const content = "café — bees\r\nline two\n";
  before(() => {
    dir = mkdtempSync(join(tmpdir(), "moirae-pipeline-"));
    writeFileSync(join(dir, "notes.txt"), content);
    writeFileSync(join(dir, "latin1.txt"), Buffer.from([0x63, 0x61, 0x66, 0xe9])); // "café" in Latin-1
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("reads a document relative to corpusDir: id from the file name, LF line endings, size in bytes", async () => {
    const out = await runNode(LoadDocument, {}, { args: { corpusDir: dir, path: "notes.txt" } });
    assert.deepEqual({ ...out }, { id: "notes", text: "café — bees\nline two\n", bytes: 25 });
  });

  it("resolves a relative corpusDir against the working directory, and takes an absolute path as is", async () => {
    const relativeDir = relative(process.cwd(), dir);
    assert.equal(
      (await runNode(LoadDocument, {}, { args: { corpusDir: relativeDir, path: "notes.txt" } })).bytes,
      25,
    );
    const absolute = join(dir, "notes.txt");
    assert.equal(
      (await runNode(LoadDocument, {}, { args: { corpusDir: "/nowhere", path: absolute } })).id,
      "notes",
    );
  });

  it("checks the pinned sha256 and says how to regenerate the spec when the file changed", async () => {
    const sha256 = createHash("sha256").update(content).digest("hex");
    const args = { corpusDir: dir, path: "notes.txt" };
    assert.equal((await runNode(LoadDocument, {}, { args: { ...args, sha256 } })).bytes, 25);
    await assert.rejects(
      runNode(LoadDocument, {}, { args: { ...args, sha256: "0".repeat(64) } }),
      /notes\.txt changed since the spec was written .*write-spec\.ts/,
    );
    await assert.rejects(runNode(LoadDocument, {}, { args: { ...args, sha256: "abc" } }), NodeArgumentsError);
  });

  it("rejects a file that is not UTF-8, a missing file and a missing path", async () => {
    await assert.rejects(
      runNode(LoadDocument, {}, { args: { corpusDir: dir, path: "latin1.txt" } }),
      /latin1\.txt is not valid UTF-8 text/,
    );
    await assert.rejects(runNode(LoadDocument, {}, { args: { corpusDir: dir, path: "absent.txt" } }), {
      code: "ENOENT",
    });
    await assert.rejects(runNode(LoadDocument, {}, { args: { corpusDir: dir } }), /required argument "path"/);
  });
});

describe("Tokenize", () => {
  const text = "The Bees' honey is the bees' gold; a bee’s dance isn't slow. Honey!";

  it("keeps lower-cased words of 3+ letters that are not stop words, without a possessive 's", async () => {
    const out = await runNode(Tokenize, { text });
    assert.deepEqual(out.tokens, ["bees", "honey", "bees", "gold", "bee", "dance", "slow", "honey"]);
  });

  it("follows its lowercase, minLength and stopWords arguments", async () => {
    const run = async (args: Record<string, unknown>) => (await runNode(Tokenize, { text }, { args })).tokens;
    assert.deepEqual(await run({ lowercase: false }), [
      "Bees",
      "honey",
      "bees",
      "gold",
      "bee",
      "dance",
      "slow",
      "Honey",
    ]);
    assert.deepEqual(await run({ minLength: 5 }), ["honey", "dance", "honey"]);
    assert.deepEqual(await run({ stopWords: ["HONEY"] }), [
      "the",
      "bees",
      "the",
      "bees",
      "gold",
      "bee",
      "dance",
      "isn't",
      "slow",
    ]);
    await assert.rejects(run({ minLength: 0 }), NodeArgumentsError);
  });

  it("returns no tokens for a text without words", async () => {
    assert.deepEqual((await runNode(Tokenize, { text: "1, 2 — 3!" })).tokens, []);
  });
});

describe("Readability", () => {
  it("counts sentences, words and syllables and computes the Flesch reading ease", async () => {
    // the cat sat the dog ran: 1 syllable each; away: a-way = 2 → 8 syllables, 7 words, 2 sentences.
    // 206.835 − 1.015 × 7/2 − 84.6 × 8/7 = 106.597
    const out = await runNode(Readability, { text: "The cat sat. The dog ran away!" });
    assert.deepEqual(
      { ...out.scores },
      {
        sentences: 2,
        words: 7,
        syllables: 8,
        wordsPerSentence: 3.5,
        syllablesPerWord: 1.14,
        fleschReadingEase: 106.6,
      },
    );
  });

  it("ends a sentence at a blank line and drops a silent final e (but not -le)", async () => {
    // Title(2) One(1) more(1) line(1) here(1) Another(3) one(1) = 10 syllables, 7 words, 3 sentences.
    // 206.835 − 1.015 × 7/3 − 84.6 × 10/7 = 83.610
    const out = await runNode(Readability, { text: "Title\n\nOne more line here. Another one?" });
    assert.deepEqual(
      { ...out.scores },
      {
        sentences: 3,
        words: 7,
        syllables: 10,
        wordsPerSentence: 2.33,
        syllablesPerWord: 1.43,
        fleschReadingEase: 83.6,
      },
    );
  });

  it("scores an empty text 0", async () => {
    const out = await runNode(Readability, { text: "" });
    assert.deepEqual(Object.values(out.scores), [0, 0, 0, 0, 0, 0]);
  });
});

describe("ExtractKeywords (the slow step)", () => {
  // Candidates split at punctuation and stop words ("the", "make", "and"):
  //   honey bees dance | honey bees | wax | wax cells hold honey (4 words)
  const text = "Honey bees dance. The honey bees make wax, and wax cells hold honey.";

  it("ranks RAKE phrases of at most maxWords words by the summed degree/frequency of their words", async () => {
    // maxWords 3 drops the 4-word candidate. freq: honey 2, bees 2, dance 1, wax 1;
    // degree: honey 3+2, bees 3+2, dance 3, wax 1 → honey 2.5, bees 2.5, dance 3, wax 1.
    const out = await runNode(ExtractKeywords, { text }, { args: { rounds: 0 } });
    assert.deepEqual(
      out.keywords.map((k) => ({ ...k })),
      [
        { phrase: "honey bees dance", score: 8, support: 1 },
        { phrase: "honey bees", score: 5, support: 1 },
        { phrase: "wax", score: 1, support: 1 },
      ],
    );
  });

  it("follows its maxWords and count arguments", async () => {
    // freq: honey 3, bees 2, dance 1, wax 2, cells 1, hold 1; degree: honey 3+2+4, bees 5, dance 3,
    // wax 1+4, cells 4, hold 4 → honey 3, bees 2.5, dance 3, wax 2.5, cells 4, hold 4.
    const out = await runNode(ExtractKeywords, { text }, { args: { rounds: 0, maxWords: 4, count: 2 } });
    assert.deepEqual(
      out.keywords.map((k) => ({ ...k })),
      [
        { phrase: "wax cells hold honey", score: 13.5, support: 1 },
        { phrase: "honey bees dance", score: 8.5, support: 1 },
      ],
    );
  });

  it("gives each phrase its support: the share of sentence resamples that rank it in their top too", async () => {
    // Two sentences; a resample draws two of them with replacement: {1,1}, {1,2}, {2,1} or {2,2}.
    const out = await runNode(ExtractKeywords, { text }, { args: { rounds: 400, count: 2 } });
    const [first, second] = out.keywords;
    assert.deepEqual([first!.phrase, second!.phrase], ["honey bees dance", "honey bees"]);
    for (const k of out.keywords) assert.ok(k.support > 0 && k.support < 1, `${k.phrase}: ${k.support}`);
    // "honey bees dance" is only in sentence 1: its resamples hold it three times in four.
    assert.ok(Math.abs(first!.support - 0.75) < 0.1, String(first!.support));
    const again = await runNode(ExtractKeywords, { text }, { args: { rounds: 400, count: 2 } });
    assert.deepEqual(again, out, "the resamples are seeded by the text: the same text, the same support");
  });

  it("is a thread node: in a graph, its tries run in worker threads", () => {
    assert.equal(getMetadataStore().nodeByClass(ExtractKeywords)?.thread, true);
  });
});

describe("DocumentStats", () => {
  it("counts terms and summarizes one document as a corpus of one", async () => {
    const readability = summary("x", 1, []).readability;
    const keywords = [{ phrase: "b a", score: 4, support: 0.25 }];
    const out = await runNode(
      DocumentStats,
      { id: "doc", bytes: 42, tokens: ["b", "a", "b", "c", "a", "b"], readability, keywords },
      { args: { top: 2 } },
    );
    assert.deepEqual(JSON.parse(JSON.stringify(out.corpus)), {
      tokenCount: 6,
      terms: [
        { term: "b", count: 3 },
        { term: "a", count: 2 },
        { term: "c", count: 1 },
      ],
      documents: [
        {
          id: "doc",
          bytes: 42,
          tokenCount: 6,
          uniqueCount: 3,
          topTerms: [
            { term: "b", count: 3 },
            { term: "a", count: 2 },
          ],
          readability,
          keywords,
        },
      ],
    });
  });

  it("rejects input whose nested readability is incomplete", async () => {
    const error = await runNode(DocumentStats, {
      id: "doc",
      bytes: 1,
      tokens: [],
      readability: { sentences: 1 },
      keywords: [],
    }).catch((e) => e);
    assert.ok(error instanceof DataValidationError);
    assert.ok(error.issues.some((i: { path: string }) => i.path === "readability.words"));
  });
});

describe("MergeStats", () => {
  const a = {
    tokenCount: 3,
    terms: [
      { term: "a", count: 2 },
      { term: "b", count: 1 },
    ],
    documents: [summary("x", 3, [{ term: "a", count: 2 }])],
  };
  const b = {
    tokenCount: 4,
    terms: [
      { term: "b", count: 2 },
      { term: "c", count: 2 },
    ],
    documents: [summary("w", 4, [{ term: "b", count: 2 }])],
  };
  const c = {
    tokenCount: 2,
    terms: [{ term: "c", count: 2 }],
    documents: [summary("v", 2, [{ term: "c", count: 2 }])],
  };
  const merge = async (left: object, right: object) =>
    JSON.parse(JSON.stringify((await runNode(MergeStats, { left, right })).corpus));

  it("adds term counts and token counts, and keeps the documents in id order", async () => {
    // a 2, b 1+2 = 3, c 2; ties (a, c) in term order.
    assert.deepEqual(await merge(a, b), {
      tokenCount: 7,
      terms: [
        { term: "b", count: 3 },
        { term: "a", count: 2 },
        { term: "c", count: 2 },
      ],
      documents: [b.documents[0], a.documents[0]],
    });
  });

  it("gives the same corpus whatever the shape of the merge tree", async () => {
    const leftFirst = await merge(await merge(a, b), c);
    assert.deepEqual(await merge(a, await merge(b, c)), leftFirst);
    assert.deepEqual(await merge(c, await merge(b, a)), leftFirst);
    assert.deepEqual(
      leftFirst.terms.map((t: { term: string; count: number }) => `${t.term}${t.count}`),
      ["c4", "b3", "a2"],
    );
  });

  it("refuses a document that is on both sides", async () => {
    await assert.rejects(merge(a, a), /documents "x" are on both sides of the merge/);
  });
});

describe("TopTerms", () => {
  const corpus = {
    tokenCount: 9,
    terms: [
      { term: "z", count: 1 },
      { term: "b", count: 3 },
      { term: "c", count: 2 },
      { term: "a", count: 3 },
    ],
    documents: [],
  };
  const top = async (k: number) =>
    (await runNode(TopTerms, { corpus }, { args: { k } })).terms.map((t) => `${t.term}${t.count}`);

  it("returns the k most frequent terms, ties in term order", async () => {
    assert.deepEqual(await top(3), ["a3", "b3", "c2"]);
    assert.deepEqual(await top(1), ["a3"]);
    assert.deepEqual(await top(10), ["a3", "b3", "c2", "z1"]);
    await assert.rejects(top(0), NodeArgumentsError);
  });
});

describe("Report", () => {
  it("renders the totals, the top terms with their share, a row per document and its key phrases", async () => {
    const corpus = {
      tokenCount: 8,
      terms: [
        { term: "salt", count: 3 },
        { term: "sea", count: 2 },
        { term: "sun", count: 2 },
        { term: "wind", count: 1 },
      ],
      documents: [
        summary("brine", 5, [{ term: "salt", count: 3 }]),
        summary("coast", 3, [{ term: "sea", count: 2 }]),
      ],
    };
    const topTerms = corpus.terms.slice(0, 2);
    const out = await runNode(
      Report,
      { corpus, topTerms },
      { args: { title: "Salt report", keywordsPerDocument: 1 } },
    );
    // words: 2 × 5 + 2 × 3 = 16; shares: 3/8 = 37.5 %, 2/8 = 25.0 %.
    assert.equal(
      out.markdown,
      [
        "# Salt report",
        "",
        "2 documents, 16 words, 8 terms after stop words, 4 distinct terms.",
        "",
        "## Top terms",
        "",
        "| # | term | count | share |",
        "|---:|---|---:|---:|",
        "| 1 | salt | 3 | 37.5% |",
        "| 2 | sea | 2 | 25.0% |",
        "",
        "## Documents",
        "",
        "| document | bytes | words | terms | distinct | top terms | words/sentence | reading ease |",
        "|---|---:|---:|---:|---:|---|---:|---:|",
        "| brine | 50 | 10 | 5 | 1 | salt (3) | 10 | 50 |",
        "| coast | 30 | 6 | 3 | 1 | sea (2) | 6 | 50 |",
        "",
        "## Key phrases",
        "",
        "- **brine**: brine phrase (50%)",
        "- **coast**: coast phrase (50%)",
        "",
      ].join("\n"),
    );
  });

  it("leaves out the key phrases with keywordsPerDocument 0", async () => {
    const corpus = { tokenCount: 0, terms: [], documents: [] };
    const out = await runNode(Report, { corpus, topTerms: [] }, { args: { keywordsPerDocument: 0 } });
    assert.match(out.markdown, /^# Text analytics report\n\n0 documents, 0 words, 0 terms/);
    assert.doesNotMatch(out.markdown, /Key phrases/);
  });
});
