import { distance } from "fastest-levenshtein";

const MAX_WORD = 200;

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

/**
 * The end of a "not found" message: `; did you mean "x"?` (or `"x", "y"` for up to `limit` close candidates),
 * or `otherwise` when none is close.
 */
export function didYouMean(word: string, candidates: Iterable<string>, limit = 3, otherwise = "."): string {
  return suggestionText(suggestAll(word, candidates, limit), otherwise);
}

/** `; did you mean "x", "y"?` for `suggestions`, or `otherwise` when there is none. */
export function suggestionText(suggestions: readonly string[], otherwise = "."): string {
  return suggestions.length > 0
    ? `; did you mean ${suggestions.map((c) => `"${c}"`).join(", ")}?`
    : otherwise;
}
