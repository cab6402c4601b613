/** Histograms for report charts. */

export interface LogHistogram {
  /** bins + 1 log-spaced edges; bin i counts edges[i] <= v < edges[i + 1] (last bin closed) */
  edges: number[];
  counts: number[];
  /** values left out: NaN, ±Infinity, zero or negative */
  ignored: number;
  /** finite positive values outside [opts.min, opts.max] */
  outside: number;
}

/** bins + 1 edges from lo to hi, log-spaced. O(bins). */
function logEdges(lo: number, hi: number, bins: number): number[] {
  const edges: number[] = [lo];
  const ratio = hi / lo;
  for (let i = 1; i < bins; i++) edges.push(lo * Math.pow(ratio, i / bins));
  edges.push(hi);
  return edges;
}

function strictlyRising(xs: readonly number[]): boolean {
  for (let i = 1; i < xs.length; i++) if (!(xs[i]! > xs[i - 1]!)) return false;
  return true;
}

/**
 * Histogram on log-spaced bins (volumes and costs span decades). Bounds default to the
 * smallest and largest positive finite value; a single value, or values too close together to
 * split into `bins` distinct edges, get bins around them (±10 %).
 * O(n), no sort, no spread of the array.
 * @example logHistogram(Float64Array.of(1, 10, 100), 2) // edges [1, 10, 100], counts [1, 2]
 */
export function logHistogram(values: Float64Array, bins: number, opts: { min?: number; max?: number } = {}): LogHistogram {
  if (!(Number.isInteger(bins) && bins >= 1)) throw new RangeError(`logHistogram: bins must be a whole number >= 1 (got ${bins})`);
  let lo = Infinity;
  let hi = -Infinity;
  let ignored = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!(v > 0 && v < Infinity)) {
      ignored++;
      continue;
    }
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (opts.min !== undefined) lo = opts.min;
  if (opts.max !== undefined) hi = opts.max;
  if (!(lo > 0 && hi < Infinity) || lo > hi) {
    if (opts.min !== undefined || opts.max !== undefined) {
      throw new RangeError(`logHistogram: need 0 < min <= max (got min ${lo}, max ${hi})`);
    }
    return { edges: [], counts: [], ignored, outside: 0 };
  }
  // a single value, or values so close that `bins` bins between them would not have distinct
  // edges (their logarithms equal, or edges rounding to the same double): a bin around them
  let edges = logEdges(lo, hi, bins);
  if (!(Math.log(hi) > Math.log(lo)) || !strictlyRising(edges)) {
    lo /= 1.1;
    hi *= 1.1;
    edges = logEdges(lo, hi, bins);
  }
  const lnLo = Math.log(lo);
  const width = (Math.log(hi) - lnLo) / bins;
  const counts: number[] = new Array<number>(bins).fill(0);
  let outside = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!(v > 0 && v < Infinity)) continue;
    if (v < lo || v > hi) {
      outside++;
      continue;
    }
    let k = Math.floor((Math.log(v) - lnLo) / width);
    if (Number.isNaN(k)) k = 0;
    // Rounding in log/exp can put a value one bin off near an edge; settle on the edges.
    if (k >= bins) k = bins - 1;
    if (k < 0) k = 0;
    while (k > 0 && v < edges[k]!) k--;
    while (k < bins - 1 && v >= edges[k + 1]!) k++;
    counts[k]!++;
  }
  return { edges, counts, ignored, outside };
}
