import { distance } from "fastest-levenshtein";

const MAX_WORD = 200;

/** The candidate closest to `word`, when it is close enough to be a likely typo. */
export function suggest(word: string, candidates: Iterable<string>): string | undefined {
  return suggestAll(word, candidates, 1)[0];
}

/** Up to `limit` candidates close to `word` (by edit distance, ignoring case), closest first. */
export function suggestAll(word: string, candidates: Iterable<string>, limit = 3): string[] {
  // Nothing is a likely typo of a very long word, and comparing one costs its length times each candidate's.
  if (word.length > MAX_WORD) return [];
  const lower = word.toLowerCase();
  const max = Math.max(2, Math.floor(word.length / 3));
  const scored: [string, number][] = [];
  for (const candidate of candidates) {
    if (candidate.length > MAX_WORD) continue;
    const other = candidate.toLowerCase();
    const d = distance(lower, other);
    if (d <= max || (lower.length >= 3 && (other.includes(lower) || lower.includes(other))))
      scored.push([candidate, d]);
  }
  return scored
    .sort((a, b) => a[1] - b[1] || a[0].localeCompare(b[0]))
    .slice(0, limit)
    .map(([candidate]) => candidate);
}
