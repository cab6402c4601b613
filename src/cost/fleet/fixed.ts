/**
 * Fixed fleet: N replicas all the time, N = ⌈need(Q)/K⌉ (at least 1) with Q the demand level
 * covering `peak_quantile` of the trial's hours (DemandBins.quantileUpper). Hours with
 * need(d) > N·K are violation hours.
 *
 *   exact pass   every hour: violations, served (utilisation); cost from `fleetCost`
 *   C(s)         fleetCost(N(s) replicas) + ops with N(s) = ⌈need(s·Q)/K⌉; its break-even is
 *                solved in closed form (sim/breakeven.ts `fixedBreakevenScale`) with one
 *                replica's horizon cost `fixedReplicaCost`
 */
import type { HourlyView, ReplicaTrial, ExactFleet, KeptPass } from './types.js';
import { fleetCost, fleetCashMonth } from './pricing.js';
import { needOf, replicasForNeed } from './need.js';
import type { DemandBins } from './bins.js';

/** Replicas of a fixed fleet sized to demand level Q. O(1). */
export function fixedReplicas(t: ReplicaTrial, Q: number): number {
  return replicasForNeed(needOf(Q, t.ptm, t.zRoot), t.K);
}

/** One replica over the horizon, $ (the fleet's cost per replica, the break-even's step height). O(1). */
export function fixedReplicaCost(t: ReplicaTrial, v: HourlyView): number {
  return fleetCost(t.price, 1, v.hours, v.gpuFactorMean, v.hours);
}

/**
 * Exact pass of N replicas over every hour. Fills v.monthCost. O(hours), or O(months) with a
 * `kept` pass to reuse (its served demand and violation hours depend on N·K and N·Kraw).
 *
 * With `bins` filled from v.path (`DemandBins.source`), a fleet whose raw capacity covers the
 * busiest hour serves every hour whole: served is the demand summed in hour order, which the
 * bins found (the same double as this loop's sum), and when its SLO capacity also covers that
 * hour's need (need rises with demand, and v.need is needOf(path) by the view's contract) there
 * are no violation hours and no loop at all; else only the need is scanned. Pinned to the loop
 * by a property test (test/cost/fleet.test.ts). The loops run in WebAssembly where `v.kernel`
 * holds the arrays (`fixedHours`' and `hoursAbove`'s twins).
 */
export function exactFixed(v: HourlyView, t: ReplicaTrial, N: number, bins?: DemandBins, kept?: KeptPass): ExactFleet {
  const H = v.hours;
  const capSlo = N * t.K;
  const capRaw = N * t.Kraw;
  let served: number;
  let violations: number;
  if (kept?.reuse) {
    served = kept.acc[0]!;
    violations = kept.acc[1]!;
  } else if (bins !== undefined && bins.source === v.path && bins.hours === H && capRaw >= bins.pathMax && Number.isFinite(bins.pathTotal)) {
    served = bins.pathTotal;
    const needRises = t.ptm === null ? t.zRoot >= 0 : t.ptm >= 0;
    const k = v.kernel;
    violations = needRises && capSlo >= needOf(bins.pathMax, t.ptm, t.zRoot) ? 0 : k && k.holds(v.need) ? k.above(v.need, H, capSlo) : hoursAbove(v.need, H, capSlo);
  } else {
    const k = v.kernel;
    if (k && k.holds(v.path) && k.holds(v.need)) {
      k.fixed(v.path, v.need, H, capSlo, capRaw);
      FIXED_ACC.set(k.acc.subarray(0, 2));
    } else fixedHours(v.path, v.need, H, capSlo, capRaw, FIXED_ACC);
    served = FIXED_ACC[0]!;
    violations = FIXED_ACC[1]!;
  }
  if (kept && !kept.reuse) {
    kept.acc[0] = served;
    kept.acc[1] = violations;
  }
  const months = v.months;
  const opsMonth = t.opsTotal / months;
  for (let m = 0; m < months; m++) v.monthCost[m] = fleetCashMonth(t.price, N, N * v.hoursPerMonth, v.gpuFactor[m]!, v.hoursPerMonth) + opsMonth;
  const cost = fleetCost(t.price, N, N * H, v.gpuFactorMean, H) + t.opsTotal;
  const capacity = capRaw * H;
  return {
    cost,
    utilisation: capacity > 0 ? served / capacity : 0,
    violations,
    overflow: 0,
    overflowHours: 0,
    peak: N,
    meanReplicas: N,
    coldIncrements: 0,
    fleet: N,
    servePerReplica: t.Kraw,
    priceFactor: v.gpuFactorMean,
  };
}

/** C(s) of a fixed fleet sized to s·Q. O(1). */
export function fixedCostAt(t: ReplicaTrial, v: HourlyView, Q: number, s: number): number {
  const N = fixedReplicas(t, s * Q);
  return fleetCost(t.price, N, N * v.hours, v.gpuFactorMean, v.hours) + t.opsTotal;
}

/** What `fixedHours` returns: [served, violation hours]. */
const FIXED_ACC = new Float64Array(2);

/**
 * Demand served (up to capRaw an hour, summed in hour order) and hours whose need exceeds
 * capSlo, into `acc`. A function that ends with its loop (see autoscale.ts). O(hours).
 */
function fixedHours(path: Float64Array, need: Float64Array, H: number, capSlo: number, capRaw: number, acc: Float64Array): void {
  let served = 0;
  let violations = 0;
  for (let h = 0; h < H; h++) {
    const d = path[h]!;
    if (need[h]! > capSlo) violations++;
    served += d < capRaw ? d : capRaw;
  }
  acc[0] = served;
  acc[1] = violations;
}

/** Hours whose need exceeds `cap`. O(hours). */
function hoursAbove(need: Float64Array, H: number, cap: number): number {
  let n = 0;
  for (let h = 0; h < H; h++) if (need[h]! > cap) n++;
  return n;
}
