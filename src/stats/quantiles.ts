/**
 * Quantile summaries of per-trial quantities.
 *
 * Quantiles interpolate linearly between order statistics (R type 7, numpy's default), so
 * p50 of [1, 2, 3, 4] is 2.5. simple-statistics' `quantileSorted` picks an order statistic
 * instead (no interpolation); we keep type 7 so summaries vary smoothly with the data.
 */
/** Quantile summary of a per-trial quantity (the result JSON's shape). */
export interface Quantiles {
  p10: number;
  p50: number;
  p90: number;
  mean: number;
}

/**
 * The p-quantile of an ascending array, by linear interpolation (R type 7). O(1).
 * Throws a RangeError when p is outside [0, 1] or the array is empty.
 * @example quantileSorted([1, 2, 3, 4], 0.5) // 2.5
 */
export function quantileSorted(sorted: ArrayLike<number>, p: number): number {
  if (!(p >= 0 && p <= 1)) throw new RangeError(`quantileSorted: p must be between 0 and 1 (got ${p})`);
  const n = sorted.length;
  if (n === 0) throw new RangeError('quantileSorted: needs at least one value');
  const h = (n - 1) * p;
  const lo = Math.floor(h);
  const hi = lo + 1 < n ? lo + 1 : n - 1;
  const a = sorted[lo]!;
  const b = sorted[hi]!;
  return a === b ? a : a + (h - lo) * (b - a);
}

/**
 * A sorted copy without NaNs (typed-array sort is numeric and puts NaN last). The input is
 * never mutated. O(n log n).
 */
export function sortedFinite(values: Float64Array | readonly number[]): Float64Array {
  const s = new Float64Array(values).sort(); // a copy (not Float64Array.from: it iterates)
  let n = s.length;
  while (n > 0 && Number.isNaN(s[n - 1])) n--;
  return n === s.length ? s : s.subarray(0, n);
}

/** Sum with Neumaier's compensation (error independent of n). O(n). */
export function sum(values: ArrayLike<number>): number {
  let s = 0;
  let c = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    const t = s + v;
    c += Math.abs(s) >= Math.abs(v) ? s - t + v : v - t + s;
    s = t;
  }
  return s + c;
}

/**
 * p10, p50, p90 and mean of `values`: one sort of a copy (input untouched), O(n log n).
 * NaNs are ignored; ±Infinity counts as a value. Throws a RangeError when no value is left.
 * @example summarize([1, 2, 3, 4, 5]) // { p10: 1.4, p50: 3, p90: 4.6, mean: 3 }
 */
export function summarize(values: Float64Array | readonly number[]): Quantiles {
  const s = sortedFinite(values);
  if (s.length === 0) throw new RangeError('summarize: needs at least one value that is not NaN');
  return {
    p10: quantileSorted(s, 0.1),
    p50: quantileSorted(s, 0.5),
    p90: quantileSorted(s, 0.9),
    mean: sum(s) / s.length,
  };
}

/**
 * The empirical CDF of an ascending array at each x: the share of values <= x, by binary
 * search. O(m log n) for m points.
 * @example ecdfAt([1, 2, 3, 4], [0, 2, 10]) // [0, 0.5, 1]
 */
export function ecdfAt(sortedValues: ArrayLike<number>, xs: readonly number[]): number[] {
  const n = sortedValues.length;
  if (n === 0) throw new RangeError('ecdfAt: needs at least one value');
  return xs.map((x) => {
    let lo = 0;
    let hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (sortedValues[mid]! <= x) lo = mid + 1;
      else hi = mid;
    }
    return lo / n;
  });
}
