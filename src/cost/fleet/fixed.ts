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
import type { HourlyView, ReplicaTrial, ExactFleet } from './types.js';
import { fleetCost, fleetCashMonth } from './pricing.js';
import { needOf, replicasForNeed } from './need.js';

/** Replicas of a fixed fleet sized to demand level Q. O(1). */
export function fixedReplicas(t: ReplicaTrial, Q: number): number {
  return replicasForNeed(needOf(Q, t.ptm, t.zRoot), t.K);
}

/** One replica over the horizon, $ (the fleet's cost per replica, the break-even's step height). O(1). */
export function fixedReplicaCost(t: ReplicaTrial, v: HourlyView): number {
  return fleetCost(t.price, 1, v.hours, v.gpuFactorMean, v.hours);
}

/** Exact pass of N replicas over every hour. Fills v.monthCost. O(hours). */
export function exactFixed(v: HourlyView, t: ReplicaTrial, N: number): ExactFleet {
  const H = v.hours;
  const path = v.path;
  const need = v.need;
  const capSlo = N * t.K;
  const capRaw = N * t.Kraw;
  let served = 0;
  let violations = 0;
  for (let h = 0; h < H; h++) {
    const d = path[h]!;
    if (need[h]! > capSlo) violations++;
    served += d < capRaw ? d : capRaw;
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
