/**
 * Spearman rank correlation, for the sensitivity (tornado) table.
 *
 * Tied values share the average of the ranks they span (midranks), as simple-statistics'
 * `sampleRankCorrelation` does; we do not call it because it ranks through arrays of
 * [value, index] pairs (not usable on Float64Array, n allocations) and returns NaN for a
 * constant input, where a sensitivity of 0 is the useful answer.
 */

/**
 * Midranks (0-based) of `x`, in input order; NaNs rank last, tied with each other.
 * O(n log n), allocates one index array and the result.
 * @example ranks(Float64Array.of(10, 30, 20, 20)) // [0, 3, 1.5, 1.5]
 */
export function ranks(x: ArrayLike<number>): Float64Array {
  const n = x.length;
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  order.sort((a, b) => {
    const va = x[a];
    const vb = x[b];
    if (va < vb) return -1;
    if (va > vb) return 1;
    return (Number.isNaN(va) ? 1 : 0) - (Number.isNaN(vb) ? 1 : 0);
  });
  const r = new Float64Array(n);
  const same = (a: number, b: number) => a === b || (Number.isNaN(a) && Number.isNaN(b));
  let i = 0;
  while (i < n) {
    let j = i;
    while (j + 1 < n && same(x[order[j + 1]], x[order[i]])) j++;
    const rank = (i + j) / 2;
    for (let k = i; k <= j; k++) r[order[k]] = rank;
    i = j + 1;
  }
  return r;
}

/** Pearson correlation; 0 when either side is constant. Clamped to [-1, 1]. O(n). */
export function pearson(x: ArrayLike<number>, y: ArrayLike<number>): number {
  const n = x.length;
  if (n !== y.length) throw new RangeError(`pearson: x and y must have the same length (${n} vs ${y.length})`);
  if (n < 2) return 0;
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += x[i];
    my += y[i];
  }
  mx /= n;
  my /= n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = x[i] - mx;
    const dy = y[i] - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  if (!(sxx > 0) || !(syy > 0)) return 0;
  const r = sxy / Math.sqrt(sxx * syy);
  return r > 1 ? 1 : r < -1 ? -1 : r;
}

/**
 * Spearman's rho: Pearson correlation of midranks. 0 when either input is constant; never
 * NaN. O(n log n).
 * @example spearman(Float64Array.of(1, 2, 3), Float64Array.of(1, 4, 9)) // 1
 */
export function spearman(x: Float64Array, y: Float64Array): number {
  if (x.length !== y.length) throw new RangeError(`spearman: x and y must have the same length (${x.length} vs ${y.length})`);
  return pearson(ranks(x), ranks(y));
}

/**
 * Spearman's rho of each input against one output (the output is ranked once), in input
 * order. O(k · n log n) for k inputs.
 */
export function rankCorrelations(
  inputs: readonly { readonly path: string; readonly values: Float64Array }[],
  output: Float64Array,
): { input: string; rho: number }[] {
  const ry = ranks(output);
  return inputs.map(({ path, values }) => {
    if (values.length !== output.length) {
      throw new RangeError(`rankCorrelations: ${path} has ${values.length} values, the output ${output.length}`);
    }
    return { input: path, rho: pearson(ranks(values), ry) };
  });
}
