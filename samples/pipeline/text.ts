// Plain text functions behind the demo's nodes: words, tokens, term counts, readability, RAKE keywords.
//
// A node's hash covers the source of its class, not of the functions it calls: when you change anything in
// this file, bump TEXT_VERSION so that every node using it gets a new hash and the cache is not reused.

/** The `@Node({ version })` of the nodes that call this file. */
export const TEXT_VERSION = 2;

/** A word: letters, with apostrophes only between letters ("don't", "river's"). */
const WORD = /\p{L}+(?:'\p{L}+)*/gu;

/** A built-in English stop-word list (lower case). */
export const STOP_WORDS: readonly string[] = Object.freeze(
  `a about above across after again against all almost along also although always am among an and another
  any are around as at away be because been before being below between both but by can cannot could did do
  does doing done down during each either else enough even ever every few for from further had has have
  having he her here hers herself him himself his how however i if in into is it its itself just least
  less like made make makes many may me might more most much must my myself neither no nor not now of off
  often on once one only onto or other others ought our ours ourselves out over own perhaps quite rather
  same she should since so some something still such than that the their theirs them themselves then there
  these they this those though through thus till to too toward towards under until up upon us very was way
  we were what when where whether which while who whom whose why will with within without would yet you
  your yours yourself yourselves don't can't won't isn't aren't wasn't weren't doesn't didn't it's that's
  there's`
    .split(/\s+/)
    .filter(Boolean),
);

/** Every word of `text` in order (curly apostrophes count as straight ones). */
export function words(text: string): string[] {
  return text.replace(/\u2019/g, "'").match(WORD) ?? [];
}

/** How `tokenize` filters words. */
export interface TokenizeOptions {
  readonly lowercase: boolean;
  readonly minLength: number;
  readonly stopWords: readonly string[];
}

/**
 * The terms of `text`: its words without a possessive "'s", lower-cased if asked, keeping those of at least
 * `minLength` characters that are not stop words (compared case-insensitively).
 */
export function tokenize(text: string, options: TokenizeOptions): string[] {
  const stop = new Set(options.stopWords.map((w) => w.toLowerCase()));
  const tokens: string[] = [];
  for (const word of words(text)) {
    const term = (options.lowercase ? word.toLowerCase() : word).replace(/'s$/i, "");
    if ([...term].length >= options.minLength && !stop.has(term.toLowerCase())) tokens.push(term);
  }
  return tokens;
}

/** A term and how often it occurs. */
export interface Count {
  term: string;
  count: number;
}

/** Most frequent first; equal counts in code-unit order of the term (the same on every machine). */
export function byCount(a: Count, b: Count): number {
  return b.count - a.count || (a.term < b.term ? -1 : a.term > b.term ? 1 : 0);
}

/** How often each term occurs in `tokens`, sorted `byCount`. */
export function countTerms(tokens: readonly string[]): Count[] {
  const counts = new Map<string, number>();
  for (const token of tokens) counts.set(token, (counts.get(token) ?? 0) + 1);
  return [...counts].map(([term, count]) => ({ term, count })).sort(byCount);
}

/** Adds two term counts, sorted `byCount`. */
export function addCounts(left: readonly Count[], right: readonly Count[]): Count[] {
  const counts = new Map<string, number>();
  for (const { term, count } of [...left, ...right]) counts.set(term, (counts.get(term) ?? 0) + count);
  return [...counts].map(([term, count]) => ({ term, count })).sort(byCount);
}

/** `value` rounded to `digits` decimals. */
export function round(value: number, digits: number): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}

/**
 * Syllables of an English word, estimated: groups of vowels (a e i o u y), less a silent final "e" (but not
 * "-le"), at least one.
 */
export function syllables(word: string): number {
  const w = word.toLowerCase().replace(/[^a-z]/g, "");
  let n = w.match(/[aeiouy]+/g)?.length ?? 0;
  if (n > 1 && w.endsWith("e") && !w.endsWith("le")) n -= 1;
  return Math.max(1, n);
}

/** Readability figures of a text. */
export interface Readability {
  sentences: number;
  words: number;
  syllables: number;
  wordsPerSentence: number;
  syllablesPerWord: number;
  fleschReadingEase: number;
}

/**
 * Sentences (runs of text ended by `.`, `!`, `?` or a blank line that contain a word), words, syllables, and
 * the Flesch reading ease: 206.835 − 1.015 × words/sentence − 84.6 × syllables/word (higher is easier).
 * Ratios are rounded to 2 decimals, the score to 1; a text without words scores 0.
 */
export function readability(text: string): Readability {
  const sentences = text.split(/[.!?]+|\n[ \t]*\n/).filter((s) => words(s).length > 0).length;
  const all = words(text);
  const syllableCount = all.reduce((sum, w) => sum + syllables(w), 0);
  if (all.length === 0) {
    return {
      sentences,
      words: 0,
      syllables: 0,
      wordsPerSentence: 0,
      syllablesPerWord: 0,
      fleschReadingEase: 0,
    };
  }
  const wps = all.length / sentences;
  const spw = syllableCount / all.length;
  return {
    sentences,
    words: all.length,
    syllables: syllableCount,
    wordsPerSentence: round(wps, 2),
    syllablesPerWord: round(spw, 2),
    fleschReadingEase: round(206.835 - 1.015 * wps - 84.6 * spw, 1),
  };
}

/** A key phrase and its RAKE score. */
export interface Phrase {
  phrase: string;
  score: number;
}

/**
 * RAKE (Rapid Automatic Keyword Extraction, Rose et al. 2010): candidate phrases are the runs of words between
 * punctuation and stop words, of at most `maxWords` words. A word scores degree / frequency over the candidates
 * (degree: the summed lengths of the candidates it occurs in), a phrase the sum of its words' scores, rounded
 * to 2 decimals. Returns the `count` best distinct phrases, best first, ties in code-unit order.
 */
export function rake(text: string, stopWords: readonly string[], maxWords: number, count: number): Phrase[] {
  const stop = new Set(stopWords.map((w) => w.toLowerCase()));
  const candidates: string[][] = [];
  for (const fragment of text.replace(/\u2019/g, "'").split(/[^\p{L}'\s]+/u)) {
    let run: string[] = [];
    for (const word of [...words(fragment), ""]) {
      const term = word.toLowerCase().replace(/'s$/, "");
      if (term === "" || stop.has(term)) {
        if (run.length > 0 && run.length <= maxWords) candidates.push(run);
        run = [];
      } else run.push(term);
    }
  }
  const frequency = new Map<string, number>();
  const degree = new Map<string, number>();
  for (const candidate of candidates) {
    for (const word of candidate) {
      frequency.set(word, (frequency.get(word) ?? 0) + 1);
      degree.set(word, (degree.get(word) ?? 0) + candidate.length);
    }
  }
  const scores = new Map<string, number>();
  for (const candidate of candidates) {
    const score = candidate.reduce((sum, w) => sum + degree.get(w)! / frequency.get(w)!, 0);
    scores.set(candidate.join(" "), round(score, 2));
  }
  return [...scores]
    .map(([phrase, score]) => ({ phrase, score }))
    .sort((a, b) => b.score - a.score || (a.phrase < b.phrase ? -1 : a.phrase > b.phrase ? 1 : 0))
    .slice(0, count);
}

/** A key phrase with the share of bootstrap resamples whose top phrases include it. */
export interface StablePhrase extends Phrase {
  readonly support: number;
}

/**
 * RAKE's top `count` phrases of `text`, each with its bootstrap support: the share of `rounds` resamples of the
 * text's sentences (drawn with replacement, as many as it has) in whose own top `count` the phrase is too. A
 * phrase that only ranks high because of one sentence gets a low support. CPU-bound by design: each round runs
 * RAKE over a whole resampled text. Deterministic: the resamples come from a PRNG seeded by the text.
 */
export function stablePhrases(
  text: string,
  stopWords: readonly string[],
  maxWords: number,
  count: number,
  rounds: number,
): StablePhrase[] {
  const top = rake(text, stopWords, maxWords, count);
  if (rounds <= 0) return top.map((p) => ({ ...p, support: 1 }));
  const sentences = text.split(/(?<=[.!?])\s+/).filter((s) => s.trim() !== "");
  const hits = new Map(top.map((p) => [p.phrase, 0]));
  const random = mulberry32(seedOf(text));
  for (let r = 0; r < rounds; r++) {
    const sample: string[] = [];
    for (let i = 0; i < sentences.length; i++)
      sample.push(sentences[Math.floor(random() * sentences.length)]!);
    for (const phrase of rake(sample.join(" "), stopWords, maxWords, count)) {
      const seen = hits.get(phrase.phrase);
      if (seen !== undefined) hits.set(phrase.phrase, seen + 1);
    }
  }
  return top.map((p) => ({ ...p, support: round(hits.get(p.phrase)! / rounds, 3) }));
}

/** A 32-bit seed from a text (FNV-1a). */
function seedOf(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return hash >>> 0;
}

/** The mulberry32 PRNG: numbers in [0, 1). */
function mulberry32(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
