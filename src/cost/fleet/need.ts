/**
 * One capacity-need rule for every fleet policy (DESIGN §4b). An hour with mean demand d
 * (requests/hour) needs capacity need(d) for its busiest minute: d·ptm with a given
 * peak-to-mean factor, else d + zr·√d (zr = z·√60, Poisson busiest minute; `peakNeed` in
 * traffic computes the same). A fleet of n replicas, each serving K requests/hour within the
 * SLO, serves the hour within the SLO iff need(d) ≤ n·K.
 *
 *   fixed, autoscale  an hour with need(d) > n·K is a violation hour
 *   hybrid            the fleet takes demand up to servableDemand(n·K), the largest d with
 *                     need(d) ≤ n·K, and sends the rest to the API (priced): the same hours
 *                     that a fixed fleet of n replicas counts as violations overflow here
 */

/** Largest hourly demand whose busiest minute fits in `capacity` requests/hour. O(1). */
export function servableDemand(capacity: number, peakToMean: number | null, zRoot: number): number {
  if (!(capacity > 0)) return 0;
  if (peakToMean !== null) return capacity / peakToMean;
  // x + zr·√x = c  →  √x = (-zr + √(zr² + 4c)) / 2
  const r = (-zRoot + Math.sqrt(zRoot * zRoot + 4 * capacity)) / 2;
  return r * r;
}

/** Replicas a need calls for: ⌈need / K⌉, at least one. O(1). */
export function replicasForNeed(need: number, K: number): number {
  return Math.max(1, Math.ceil(need / K));
}

/** need(d): the busiest minute's demand as an hourly rate (d·ptm, or d + zr·√d). O(1). */
export function needOf(d: number, peakToMean: number | null, zRoot: number): number {
  return peakToMean === null ? d + zRoot * Math.sqrt(d) : d * peakToMean;
}
