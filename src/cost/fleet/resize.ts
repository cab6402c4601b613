/**
 * Fixed fleet that follows growth (`fixed` with `resize: monthly|quarterly`): the horizon is cut
 * into periods of P months (1 or 3; the last may be shorter); period p runs N_p replicas all
 * period, N_p = ⌈need(L_p)/K⌉ (at least 1), L_p the demand level covering `peak_quantile` of
 * that period's hours (the exact order statistic: the smallest hourly demand with at least
 * q·n_p hours at or below it). Hours with need(d) > N_p·K are violation hours.
 *
 *   pricing      through `fleetCost` with provisioned replica-hours Σ_p N_p·hours_p, their
 *                mean price factor, and the peak max_p N_p: rented fleets pay each period's
 *                size; a reservation commits to the peak for whole terms (it cannot shrink),
 *                so resizing saves nothing there; owned fleets buy the peak and pay power
 *                for what runs.
 *   exact pass   every hour: violations and served against its period's fleet; cost from
 *                `resizedCost` at s = 1
 *   C(s)         `resizedCost` at s: N_p(s) = ⌈need(s·L_p)/K⌉. O(periods). Non-decreasing
 *                in s, as the break-even search requires.
 *
 * The levels are computed once per trial (`periodLevels`, O(hours·log(period hours)) for the
 * sorts), only for options that resize: workloads without it pay nothing.
 */
import type { HourlyView, ReplicaTrial, ExactFleet } from './types.js';
import { fleetCost, fleetCashMonth } from './pricing.js';
import { needOf, replicasForNeed } from './need.js';

export type ResizeEvery = 'monthly' | 'quarterly';

/** Months per resize period. O(1). */
export function resizeMonths(every: ResizeEvery): number {
  return every === 'monthly' ? 1 : 3;
}

/** Number of resize periods over `months` months. O(1). */
export function resizePeriods(months: number, periodMonths: number): number {
  return Math.ceil(months / periodMonths);
}

/**
 * Demand level per period, written to `out[p]`: the `q` order statistic of the period's hourly
 * demand (sorted copy in `scratch`, which must hold periodMonths·hoursPerMonth values).
 * O(hours·log(period hours)).
 */
export function periodLevels(v: HourlyView, q: number, periodMonths: number, scratch: Float64Array, out: Float64Array): void {
  const ph = periodMonths * v.hoursPerMonth;
  const P = resizePeriods(v.months, periodMonths);
  for (let p = 0; p < P; p++) {
    const a = p * ph;
    const b = Math.min(v.hours, a + ph);
    const n = b - a;
    if (n <= 0) {
      out[p] = 0;
      continue;
    }
    const s = scratch.subarray(0, n);
    s.set(v.path.subarray(a, b));
    s.sort();
    // smallest value with at least q·n hours at or below it
    const rank = Math.min(n, Math.max(1, Math.ceil(q * n - 1e-9)));
    out[p] = s[rank - 1]!;
  }
}

/** Replicas of period p at scale s: ⌈need(s·L_p)/K⌉, at least 1. O(1). */
export function periodReplicas(t: ReplicaTrial, level: number, s: number): number {
  return replicasForNeed(needOf(s * level, t.ptm, t.zRoot), t.K);
}

/**
 * The one cost rule of a resized fixed fleet, shared by the exact pass (s = 1) and C(s):
 * fleetCost(peak, Σ_p N_p·hours_p, mean price factor) + ops. O(periods + months).
 */
export function resizedCost(t: ReplicaTrial, v: HourlyView, levels: Float64Array, periodMonths: number, s: number): number {
  const P = resizePeriods(v.months, periodMonths);
  const HPM = v.hoursPerMonth;
  let provSum = 0;
  let priced = 0;
  let peak = 0;
  for (let p = 0; p < P; p++) {
    const N = periodReplicas(t, levels[p]!, s);
    if (N > peak) peak = N;
    const m1 = Math.min(v.months, (p + 1) * periodMonths);
    for (let m = p * periodMonths; m < m1; m++) {
      const hm = Math.min(HPM, v.hours - m * HPM);
      provSum += N * hm;
      priced += N * hm * v.gpuFactor[m]!;
    }
  }
  const priceFactor = provSum > 0 ? priced / provSum : v.gpuFactorMean;
  return fleetCost(t.price, peak, provSum, priceFactor, v.hours) + t.opsTotal;
}

/** Exact pass of a resized fixed fleet. Fills v.provPath (replicas per hour) and v.monthCost. O(hours). */
export function exactResized(v: HourlyView, t: ReplicaTrial, levels: Float64Array, periodMonths: number): ExactFleet {
  const H = v.hours;
  const HPM = v.hoursPerMonth;
  const path = v.path;
  const need = v.need;
  const provPath = v.provPath;
  const P = resizePeriods(v.months, periodMonths);
  const ph = periodMonths * HPM;
  let served = 0;
  let violations = 0;
  let provSum = 0;
  let peak = 0;
  for (let p = 0; p < P; p++) {
    const N = periodReplicas(t, levels[p]!, 1);
    if (N > peak) peak = N;
    const capSlo = N * t.K;
    const capRaw = N * t.Kraw;
    const b = Math.min(H, (p + 1) * ph);
    for (let h = p * ph; h < b; h++) {
      const d = path[h]!;
      if (need[h]! > capSlo) violations++;
      served += d < capRaw ? d : capRaw;
      provPath[h] = N;
    }
    provSum += N * (b - p * ph);
  }
  const opsMonth = t.opsTotal / v.months;
  for (let m = 0; m < v.months; m++) {
    const N = periodReplicas(t, levels[Math.floor(m / periodMonths)]!, 1);
    const hm = Math.min(HPM, H - m * HPM);
    v.monthCost[m] = fleetCashMonth(t.price, peak, N * hm, v.gpuFactor[m]!, hm) + opsMonth;
  }
  const capacity = provSum * t.Kraw;
  let priced = 0;
  for (let m = 0; m < v.months; m++) priced += periodReplicas(t, levels[Math.floor(m / periodMonths)]!, 1) * Math.min(HPM, H - m * HPM) * v.gpuFactor[m]!;
  return {
    cost: resizedCost(t, v, levels, periodMonths, 1),
    utilisation: capacity > 0 ? served / capacity : 0,
    violations,
    overflow: 0,
    overflowHours: 0,
    peak,
    meanReplicas: provSum / H,
    coldIncrements: 0,
    fleet: NaN,
    servePerReplica: t.Kraw,
    priceFactor: provSum > 0 ? priced / provSum : v.gpuFactorMean,
  };
}
