/**
 * "Did you mean" for the rule linter: the closest known name to a misspelt fact path, operator, channel or key.
 * Edit distance is optimal string alignment (Damerau–Levenshtein with adjacent swaps), because operators' typos
 * are mostly swapped or missing letters (`customer.knid`, `efakutra`).
 */

export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[][] = Array.from({ length: rows }, (_, i) => Array.from({ length: cols }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, d[i - 2]![j - 2]! + 1);
      d[i]![j] = best;
    }
  }
  return d[a.length]![b.length]!;
}

/**
 * The best candidate for `wrong`, or undefined when nothing is close. Tries, in order: an explicit synonym,
 * a case-insensitive match, a unique candidate whose last dotted segment is `wrong` (`kind` → `customer.kind`),
 * then the smallest edit distance within a third of the length (at least 2).
 */
export function didYouMean(wrong: string, candidates: readonly string[], synonyms: Readonly<Record<string, string>> = {}): string | undefined {
  const synonym = Object.hasOwn(synonyms, wrong.toLowerCase()) ? synonyms[wrong.toLowerCase()] : undefined;
  if (synonym !== undefined) return synonym;
  const lower = wrong.toLowerCase();
  const sameCase = candidates.find((c) => c.toLowerCase() === lower);
  if (sameCase !== undefined) return sameCase;
  const byLeaf = candidates.filter((c) => c.toLowerCase().split('.').at(-1) === lower.split('.').at(-1));
  if (byLeaf.length === 1) return byLeaf[0];
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(wrong.length / 3)) + 1;
  for (const candidate of candidates) {
    const distance = editDistance(lower, candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

/** ` Did you mean 'x'?` or the empty string, ready to append to a message. */
export function didYouMeanText(wrong: string, candidates: readonly string[], synonyms?: Readonly<Record<string, string>>): string {
  const suggestion = didYouMean(wrong, candidates, synonyms);
  return suggestion === undefined ? '' : ` Did you mean '${suggestion}'?`;
}
