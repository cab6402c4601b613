/**
 * Break-even search (DESIGN §4): scale a trial's demand by s; self-hosted cost C(s) is a
 * non-decreasing step function of s and API cost is s·A. The break-even scale is the
 * smallest s from which C(s) < s·A for every larger s (not merely the first crossing:
 * right after each fleet step there can be a window where the new replica is not yet paid
 * for). Fixed fleets are solved exactly; other policies by grid scan and bisection.
 */
import { PEAK_MINUTE_Z } from '../traffic/index.js';
import { servableDemand } from '../cost/index.js';
import { DEFAULTS } from '../defaults.js';

/**
 * Self-hosting is cheaper only by more than rounding: a hybrid with no base fleet costs
 * exactly the API, summed in another order.
 */
export function isCheaper(selfCost: number, apiCost: number): boolean {
  return selfCost < apiCost * (1 - 1e-9);
}

/**
 * Does an option meet the SLO attainment target? `violations` of `hours` hours missed the
 * TTFT/TPOT targets in their busiest minute; attainment = 1 - violations/hours must reach
 * `target`, i.e. violations ≤ (1 - target)·hours (with a rounding allowance: 87.6 of 8,760
 * hours at 0.99). O(1).
 */
export function meetsAttainment(violations: number, hours: number, target: number): boolean {
  return violations <= (1 - target) * hours + 1e-6;
}

/**
 * Exact break-even scale of a fixed fleet. N(s) = max(1, ⌈need(s·Q)/K⌉) replicas; replica n+1
 * is added at s_n where need(s_n·Q) = n·K, and cost jumps to (n+1)·F + ops (F = one replica
 * over the horizon). Self-hosting is not cheaper on (s_n, ((n+1)·F + ops)/A] while that is
 * non-empty; the condition (n+1)·F + ops > s_n·A holds for n below some n* and fails from
 * there (s_n grows at least linearly in n), so the break-even is (max(1, n*)·F + ops)/A,
 * with n* found by binary search. NaN if the API's slope never exceeds the fleet's.
 */
export function fixedBreakevenScale(p: {
  fleetHourCost: number;
  opsTotal: number;
  apiTotal: number;
  replicaCapacity: number;
  peakDemand: number;
  peakToMean: number | null;
}): number {
  const { fleetHourCost: F, opsTotal: ops, apiTotal: A, replicaCapacity: K, peakDemand: Q, peakToMean: ptm } = p;
  if (!(A > 0) || !(Q > 0) || !(K > 0)) return NaN;
  // s at which need(s·Q) = n·K
  const zr = PEAK_MINUTE_Z * Math.sqrt(60);
  const stepAt = (n: number): number => servableDemand(n * K, ptm, zr) / Q;
  const open = (n: number) => (n + 1) * F + ops > stepAt(n) * A;
  // the windows must close eventually: the API's slope beats the fleet's
  const LIMIT = 1e12;
  if (open(LIMIT)) return NaN;
  let lo = 0; // open(lo) or lo = 0
  let hi = LIMIT; // !open(hi)
  if (!open(1)) hi = 1;
  else {
    lo = 1;
    while (hi - lo > 1) {
      const mid = Math.floor((lo + hi) / 2);
      if (open(mid)) lo = mid;
      else hi = mid;
    }
  }
  const nStar = hi;
  const be = (Math.max(1, nStar) * F + ops) / A;
  return be <= DEFAULTS.searchMaxScale ? be : NaN;
}

/**
 * Smallest demand scale s from which self-hosting stays cheaper (cost(s) < s·apiTotal for
 * all larger s within the search range), or NaN if it never does. Log-grid scan from the top,
 * then bisection. O((grid + iterations) × cost evaluation).
 */
export function breakevenScale(cost: (s: number) => number, apiTotal: number): number {
  if (!(apiTotal > 0)) return NaN;
  const { searchMinScale: lo0, searchMaxScale: hi0, searchPointsPerDecade: ppd, bisectionSteps } = DEFAULTS;
  const cheaper = (s: number) => isCheaper(cost(s), s * apiTotal);
  if (!cheaper(hi0)) return NaN;
  const ratio = Math.pow(10, 1 / ppd);
  let hi: number = hi0;
  let lo: number = hi0 / ratio;
  for (;;) {
    if (lo < lo0) lo = lo0; // the floor itself is checked, not skipped
    if (!cheaper(lo)) break;
    if (lo === lo0) return lo0; // cheaper across the whole range
    hi = lo;
    lo = lo / ratio;
  }
  // The windows where a new fleet step is not yet paid for are widest just above the
  // break-even and can be narrower than the coarse grid: re-scan the decade above on a
  // fine grid, from the top down, for the highest such window.
  const fine = Math.pow(10, 1 / DEFAULTS.searchFinePointsPerDecade);
  for (let f = Math.min(hi0, hi * 10); f > hi * (1 + 1e-9); f /= fine) {
    if (!cheaper(f)) {
      lo = f;
      hi = f * fine;
      break;
    }
  }
  for (let it = 0; it < bisectionSteps; it++) {
    const mid = Math.sqrt(lo * hi);
    if (cheaper(mid)) hi = mid;
    else lo = mid;
  }
  return hi;
}

