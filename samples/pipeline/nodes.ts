// The demo pipeline's nodes: text analytics over the bundled corpus (samples/pipeline/corpus).
//
// Per document:  LoadDocument ─┬─ Tokenize ────────┐
//                              ├─ Readability ─────┼─ DocumentStats ─┐
//                              └─ ExtractKeywords ─┘  (slow)         │
// Then:          MergeStats, pairwise up a binary tree ── TopTerms ── Report
//
// ExtractKeywords is CPU-bound and declared `thread: true`: the eight documents' keywords are computed in worker
// threads, on every core at once, while the other nodes run on the event loop.
//
// DocumentStats turns one document into a corpus of one, so a single MergeStats node can combine any two
// corpora: a fixed-input node merges N documents as a tree of N − 1 merges.
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { basename, extname, resolve } from "node:path";
import { Type } from "class-transformer";
import {
  IsArray,
  IsBoolean,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  MinLength,
  ValidateNested,
} from "class-validator";
import { Input, Node, type NodeContext, Output } from "../../src/index";
import {
  addCounts,
  byCount,
  countTerms,
  readability,
  STOP_WORDS,
  stablePhrases,
  TEXT_VERSION,
  tokenize,
} from "./text";

/** Where LoadDocument looks for relative paths by default, relative to the working directory. */
export const DEFAULT_CORPUS_DIR = "samples/pipeline/corpus";

// ---------------------------------------------------------------------------------------------------------
// Nested data

/** A term and how often it occurs. */
export class TermCount {
  @IsString() @MinLength(1) term!: string;
  @IsInt() @Min(1) count!: number;
}

/** A key phrase, its RAKE score and its bootstrap support. */
export class Keyword {
  @IsString() @MinLength(1) phrase!: string;
  @IsNumber() score!: number;
  /** Share (0 to 1) of resampled versions of the text whose top phrases include it too. */
  @IsNumber() @Min(0) @Max(1) support!: number;
}

/** Readability figures of one text. */
export class ReadabilityScores {
  @IsInt() @Min(0) sentences!: number;
  @IsInt() @Min(0) words!: number;
  @IsInt() @Min(0) syllables!: number;
  @IsNumber() wordsPerSentence!: number;
  @IsNumber() syllablesPerWord!: number;
  /** Flesch reading ease: 206.835 − 1.015 × words/sentence − 84.6 × syllables/word; higher is easier. */
  @IsNumber() fleschReadingEase!: number;
}

/** Everything measured about one document. */
export class DocumentSummary {
  @IsString() id!: string;
  @IsInt() @Min(0) bytes!: number;
  /** Terms after tokenizing (stop words and short words removed). */
  @IsInt() @Min(0) tokenCount!: number;
  /** Distinct terms. */
  @IsInt() @Min(0) uniqueCount!: number;
  @IsArray() @ValidateNested({ each: true }) @Type(() => TermCount) topTerms!: TermCount[];
  @ValidateNested() @Type(() => ReadabilityScores) readability!: ReadabilityScores;
  @IsArray() @ValidateNested({ each: true }) @Type(() => Keyword) keywords!: Keyword[];
}

/** Statistics of a set of documents; MergeStats adds two of them. */
export class CorpusStats {
  /** Terms of all documents together. */
  @IsInt() @Min(0) tokenCount!: number;
  /** Every distinct term with its count, most frequent first, ties in code-unit order. */
  @IsArray() @ValidateNested({ each: true }) @Type(() => TermCount) terms!: TermCount[];
  /** One summary per document, by id. */
  @IsArray() @ValidateNested({ each: true }) @Type(() => DocumentSummary) documents!: DocumentSummary[];
}

// ---------------------------------------------------------------------------------------------------------
// Inputs and outputs

/** A source node's input: nothing. */
@Input()
export class NoInput {}

@Output()
export class DocumentOutput {
  /** The file name without its extension. */
  @IsString() id!: string;
  /** The text, with line endings normalized to "\n". */
  @IsString() text!: string;
  /** Size of the file in bytes. */
  @IsInt() @Min(0) bytes!: number;
}

@Input()
export class TextInput {
  @IsString() text!: string;
}

@Output()
export class TokensOutput {
  @IsArray() @IsString({ each: true }) tokens!: string[];
}

@Output()
export class ReadabilityOutput {
  @ValidateNested() @Type(() => ReadabilityScores) scores!: ReadabilityScores;
}

@Output()
export class KeywordsOutput {
  @IsArray() @ValidateNested({ each: true }) @Type(() => Keyword) keywords!: Keyword[];
}

@Input()
export class DocumentStatsInput {
  @IsString() id!: string;
  @IsInt() @Min(0) bytes!: number;
  @IsArray() @IsString({ each: true }) tokens!: string[];
  @ValidateNested() @Type(() => ReadabilityScores) readability!: ReadabilityScores;
  @IsArray() @ValidateNested({ each: true }) @Type(() => Keyword) keywords!: Keyword[];
}

@Output()
export class StatsOutput {
  @ValidateNested() @Type(() => CorpusStats) corpus!: CorpusStats;
}

@Input()
export class MergeStatsInput {
  @ValidateNested() @Type(() => CorpusStats) left!: CorpusStats;
  @ValidateNested() @Type(() => CorpusStats) right!: CorpusStats;
}

@Input()
export class CorpusInput {
  @ValidateNested() @Type(() => CorpusStats) corpus!: CorpusStats;
}

@Output()
export class TopTermsOutput {
  @IsArray() @ValidateNested({ each: true }) @Type(() => TermCount) terms!: TermCount[];
}

@Input()
export class ReportInput {
  @ValidateNested() @Type(() => CorpusStats) corpus!: CorpusStats;
  @IsArray() @ValidateNested({ each: true }) @Type(() => TermCount) topTerms!: TermCount[];
}

@Output()
export class ReportOutput {
  /** The report, in Markdown. */
  @IsString() markdown!: string;
}

// ---------------------------------------------------------------------------------------------------------
// Nodes

/**
 * Reads one UTF-8 document. `path` is absolute or relative to `corpusDir`, itself absolute or relative to the
 * working directory. With `sha256`, the file must still have that digest: the spec pins the corpus, because a
 * node's hash covers its arguments, not the files it reads (regenerate the spec after editing the corpus).
 */
@Node({ input: NoInput, output: DocumentOutput })
export class LoadDocument {
  @IsString() @MinLength(1) path!: string;
  @IsString() corpusDir: string = DEFAULT_CORPUS_DIR;
  @IsOptional() @IsString() @Matches(/^[0-9a-f]{64}$/) sha256?: string;

  async execute(_: NoInput, ctx: NodeContext): Promise<DocumentOutput> {
    const file = resolve(this.corpusDir, this.path);
    const bytes = await readFile(file, { signal: ctx.signal });
    if (this.sha256 !== undefined) {
      const actual = createHash("sha256").update(bytes).digest("hex");
      if (actual !== this.sha256) {
        throw new Error(
          `${file} changed since the spec was written (sha256 ${actual}, expected ${this.sha256}). ` +
            "Regenerate the spec: npm run sample -- samples/pipeline/write-spec.ts",
        );
      }
    }
    let text: string;
    try {
      text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    } catch {
      throw new Error(`${file} is not valid UTF-8 text.`);
    }
    return {
      id: basename(this.path, extname(this.path)),
      text: text.replace(/\r\n?/g, "\n"),
      bytes: bytes.byteLength,
    };
  }
}

/**
 * Splits a text into terms: words (letters, with apostrophes between letters) without a possessive "'s",
 * lower-cased unless `lowercase` is false, at least `minLength` characters long, minus `stopWords`.
 */
@Node({ input: TextInput, output: TokensOutput, version: TEXT_VERSION })
export class Tokenize {
  @IsBoolean() lowercase: boolean = true;
  @IsInt() @Min(1) minLength: number = 3;
  @IsArray() @IsString({ each: true }) stopWords: string[] = [...STOP_WORDS];

  async execute(input: TextInput): Promise<TokensOutput> {
    return { tokens: tokenize(input.text, this) };
  }
}

/** Sentences, words, syllables and the Flesch reading ease of a text. */
@Node({ input: TextInput, output: ReadabilityOutput, version: TEXT_VERSION })
export class Readability {
  async execute(input: TextInput): Promise<ReadabilityOutput> {
    return { scores: readability(input.text) };
  }
}

/**
 * The slow step, CPU-bound: the `count` best key phrases of a text (RAKE, phrases of at most `maxWords` words),
 * each with its support over `rounds` bootstrap resamples of the text's sentences (see `stablePhrases`). It runs
 * in worker threads (`thread: true`), so the documents' keywords are computed in parallel on every core while
 * the light nodes stay on the event loop.
 */
@Node({ input: TextInput, output: KeywordsOutput, version: TEXT_VERSION, thread: true })
export class ExtractKeywords {
  @IsInt() @Min(1) count: number = 5;
  @IsInt() @Min(1) maxWords: number = 3;
  @IsInt() @Min(0) rounds: number = 300;

  async execute(input: TextInput): Promise<KeywordsOutput> {
    return { keywords: stablePhrases(input.text, STOP_WORDS, this.maxWords, this.count, this.rounds) };
  }
}

/** Summarizes one document — its term counts, `top` terms, readability and keywords — as a corpus of one. */
@Node({ input: DocumentStatsInput, output: StatsOutput, version: TEXT_VERSION })
export class DocumentStats {
  @IsInt() @Min(1) top: number = 5;

  async execute(input: DocumentStatsInput): Promise<StatsOutput> {
    const terms = countTerms(input.tokens);
    const document: DocumentSummary = {
      id: input.id,
      bytes: input.bytes,
      tokenCount: input.tokens.length,
      uniqueCount: terms.length,
      topTerms: terms.slice(0, this.top),
      readability: input.readability,
      keywords: input.keywords,
    };
    return { corpus: { tokenCount: input.tokens.length, terms, documents: [document] } };
  }
}

/** Adds two corpora: term counts summed, documents together by id (a document in both is an error). */
@Node({ input: MergeStatsInput, output: StatsOutput, version: TEXT_VERSION })
export class MergeStats {
  async execute({ left, right }: MergeStatsInput): Promise<StatsOutput> {
    const ids = new Set(left.documents.map((d) => d.id));
    const twice = right.documents.filter((d) => ids.has(d.id)).map((d) => d.id);
    if (twice.length > 0) {
      throw new Error(`documents ${twice.map((id) => `"${id}"`).join(", ")} are on both sides of the merge.`);
    }
    const documents = [...left.documents, ...right.documents].sort((a, b) => (a.id < b.id ? -1 : 1));
    return {
      corpus: {
        tokenCount: left.tokenCount + right.tokenCount,
        terms: addCounts(left.terms, right.terms),
        documents,
      },
    };
  }
}

/** The `k` most frequent terms of a corpus, ties in code-unit order. */
@Node({ input: CorpusInput, output: TopTermsOutput, version: TEXT_VERSION })
export class TopTerms {
  @IsInt() @Min(1) k: number = 10;

  async execute(input: CorpusInput): Promise<TopTermsOutput> {
    return { terms: [...input.corpus.terms].sort(byCount).slice(0, this.k) };
  }
}

/** Renders the corpus statistics and top terms as a Markdown report. */
@Node({ input: ReportInput, output: ReportOutput })
export class Report {
  @IsString() title: string = "Text analytics report";
  @IsInt() @Min(0) keywordsPerDocument: number = 3;

  async execute({ corpus, topTerms }: ReportInput): Promise<ReportOutput> {
    const docs = corpus.documents;
    const words = docs.reduce((sum, d) => sum + d.readability.words, 0);
    const share = (count: number) =>
      corpus.tokenCount ? ((100 * count) / corpus.tokenCount).toFixed(1) : "0.0";
    const lines = [
      `# ${this.title}`,
      "",
      `${docs.length} documents, ${words} words, ${corpus.tokenCount} terms after stop words, ` +
        `${corpus.terms.length} distinct terms.`,
      "",
      "## Top terms",
      "",
      "| # | term | count | share |",
      "|---:|---|---:|---:|",
      ...topTerms.map((t, i) => `| ${i + 1} | ${t.term} | ${t.count} | ${share(t.count)}% |`),
      "",
      "## Documents",
      "",
      "| document | bytes | words | terms | distinct | top terms | words/sentence | reading ease |",
      "|---|---:|---:|---:|---:|---|---:|---:|",
      ...docs.map(
        (d) =>
          `| ${d.id} | ${d.bytes} | ${d.readability.words} | ${d.tokenCount} | ${d.uniqueCount} | ` +
          `${d.topTerms.map((t) => `${t.term} (${t.count})`).join(", ")} | ` +
          `${d.readability.wordsPerSentence} | ${d.readability.fleschReadingEase} |`,
      ),
    ];
    if (this.keywordsPerDocument > 0) {
      lines.push("", "## Key phrases", "");
      for (const d of docs) {
        const phrases = d.keywords
          .slice(0, this.keywordsPerDocument)
          .map((k) => `${k.phrase} (${Math.round(k.support * 100)}%)`);
        lines.push(`- **${d.id}**: ${phrases.join("; ") || "(none)"}`);
      }
    }
    return { markdown: `${lines.join("\n")}\n` };
  }
}
