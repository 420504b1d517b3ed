import { distance } from "fastest-levenshtein";

/** How many edits a word of this length may be from what it meant. */
function editLimit(length: number): number {
  return length <= 3 ? 1 : Math.max(2, Math.floor(length / 3));
}

/**
 * The candidate a mistyped word most likely meant, or undefined when none is
 * close: the same word in another case, a prefix of it or the word a prefix
 * of the candidate (`monday` → `mon`), or within a few edits (`shfits` →
 * `shifts`). Ties go to the candidate that sorts first, so output is stable.
 */
export function closestMatch(word: string, candidates: Iterable<string>): string | undefined {
  const lower = word.toLowerCase();
  let best: string | undefined;
  let bestScore = Number.POSITIVE_INFINITY;
  for (const candidate of candidates) {
    if (candidate === word) continue;
    const other = candidate.toLowerCase();
    let score: number;
    if (other === lower) score = 0;
    else if (
      other.length >= 3 &&
      lower.length >= 3 &&
      (lower.startsWith(other) || other.startsWith(lower))
    )
      score = 0.5;
    else {
      const d = distance(lower, other);
      score = d <= editLimit(word.length) ? d : Number.POSITIVE_INFINITY;
    }
    if (score < bestScore || (score === bestScore && best !== undefined && candidate < best)) {
      best = candidate;
      bestScore = score;
    }
  }
  return bestScore === Number.POSITIVE_INFINITY ? undefined : best;
}

/** `; did you mean "x"?` when there is a close candidate, else the empty string. */
export function didYouMean(word: string, candidates: Iterable<string>): string {
  const match = closestMatch(word, candidates);
  return match === undefined ? "" : `; did you mean "${match}"?`;
}

/**
 * The candidate one edit (a letter added, dropped or changed) from `word`,
 * or undefined when there is none or `word` is itself a candidate: a value
 * that close to a defined one is most likely a typo of it.
 */
export function oneEditFrom(word: string, candidates: Iterable<string>): string | undefined {
  const all = [...candidates];
  if (all.includes(word)) return undefined;
  return all.filter((candidate) => distance(word, candidate) === 1).sort()[0];
}
