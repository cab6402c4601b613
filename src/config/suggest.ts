/**
 * Did-you-mean suggestions for misspelled keys and unknown ids, as commander's
 * `lib/suggestSimilar.js` does: optimal-string-alignment (Damerau-Levenshtein) distance,
 * keep candidates at least 40 % similar, the closest first. Candidates that contain the
 * word (or that it contains) also count as close: "h100" → "h100-sxm".
 */

/** Optimal string alignment distance (edits: insert, delete, substitute, swap adjacent). O(a·b). */
export function editDistance(a: string, b: string): number {
  const d: number[][] = [];
  for (let i = 0; i <= a.length; i++) {
    d.push([i]);
  }
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let j = 1; j <= b.length; j++) {
    for (let i = 1; i <= a.length; i++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[a.length]![b.length]!;
}

const MIN_SIMILARITY = 0.4;
const MAX_SUGGESTIONS = 3;
/**
 * Longest word or candidate compared, characters. The distance costs O(a·b) time and memory,
 * so a 9.5 MB id took 98 s and 3.4 GB; no key or id is near this long, so nothing longer can
 * be "close" and none is suggested.
 */
export const MAX_SUGGEST_LENGTH = 100;

/**
 * The candidates closest to `word` (at most 3, closest first; empty when none is close).
 * @example suggestSimilar("requests_pr_day", ["requests_per_day", "input_tokens"]) // ["requests_per_day"]
 */
export function suggestSimilar(word: string, candidates: Iterable<string>): string[] {
  if (word.length === 0 || word.length > MAX_SUGGEST_LENGTH) return [];
  const w = word.toLowerCase();
  const scored: { c: string; d: number }[] = [];
  for (const c of new Set(candidates)) {
    if (c.length > MAX_SUGGEST_LENGTH) continue;
    const lc = c.toLowerCase();
    if (lc === w) {
      scored.push({ c, d: 0 });
      continue;
    }
    const dist = editDistance(w, lc);
    const similarity = (Math.max(w.length, lc.length) - dist) / Math.max(w.length, lc.length);
    const contains = w.length >= 2 && (lc.includes(w) || w.includes(lc));
    if (similarity > MIN_SIMILARITY || contains) scored.push({ c, d: contains ? Math.min(dist, 1.5) : dist });
  }
  scored.sort((x, y) => x.d - y.d || x.c.localeCompare(y.c));
  return scored.slice(0, MAX_SUGGESTIONS).map((s) => s.c);
}

/** ` (did you mean "a" or "b"?)` text for a list of suggestions; '' when none. */
export function didYouMean(suggestions: readonly string[]): string {
  if (suggestions.length === 0) return '';
  const q = suggestions.map((s) => JSON.stringify(s));
  const list = q.length === 1 ? q[0] : `${q.slice(0, -1).join(', ')} or ${q[q.length - 1]}`;
  return `did you mean ${list}?`;
}
