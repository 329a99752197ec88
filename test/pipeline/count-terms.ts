import { STOP_WORDS } from "../../samples/pipeline/text";

/** The terms of a text counted without the pipeline's code: split at anything but letters and apostrophes. */
export function countIndependently(texts: string[]): Map<string, number> {
  const stop = new Set(STOP_WORDS);
  const counts = new Map<string, number>();
  for (const text of texts) {
    for (const piece of text.toLowerCase().split(/[^\p{L}'\u2019]+/u)) {
      const term = piece
        .replace(/\u2019/g, "'")
        .replace(/^'+|'+$/g, "")
        .replace(/'s$/, "");
      if (term.length >= 3 && !stop.has(term)) counts.set(term, (counts.get(term) ?? 0) + 1);
    }
  }
  return counts;
}
