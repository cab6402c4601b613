/**
 * Autoscaled fleet: each hour wants ⌈need(d)/(K·target)⌉ replicas (clamped to min, rounded up
 * to whole steps, capped at max) and gets what it wanted `lag` hours earlier; every increase
 * is a cold start. Hours with need(d) > provisioned·K are violation hours.
 *
 *   exact pass   every hour, in order (the lag needs it): provisioned replicas, violations,
 *                served; cost from `fleetCost` with the peak (owned buys it, reserved commits
 *                to it) and the provisioned replica-hours (rented pays them)
 *   C(s)         the same `wantReplicas` on the binned demand (order-free: the lag only
 *                shifts hours), priced by the same `fleetCost`; cold starts scale with the
 *                replica-hours above the floor (a fleet held at min_replicas starts nothing)
 *
 * Cold starts cost GPU time only for rented replicas (on-demand, spot): a reserved or owned
 * replica is paid for whether it is loading or serving.
 */
import type { HourlyView, ReplicaTrial, ExactFleet } from './types.js';
import type { DemandBins } from './bins.js';
import { fleetCost, fleetCashMonth, followsGpuDecline } from './pricing.js';

export interface AutoscaleRule {
  minReplicas: number;
  maxReplicas: number;
  lagHours: number;
  /** replicas per scaling step (whole nodes) */
  step: number;
  coldStartHours: number;
  targetUtilisation: number;
}

/** Replicas an hour with capacity need `need` asks for. O(1). (Inlined in the two loops below, which must stay equal to it: test/cost/fleet.test.ts pins them.) */
export function wantReplicas(rule: AutoscaleRule, need: number, K: number): number {
  let want = Math.ceil(need / (K * rule.targetUtilisation));
  if (want < rule.minReplicas) want = rule.minReplicas;
  if (rule.step !== 1) want = Math.ceil(want / rule.step) * rule.step;
  if (want > rule.maxReplicas) want = rule.maxReplicas;
  return want;
}

/** $ per cold start: GPU time while loading, rented replicas only. O(1). */
function coldStartCost(rule: AutoscaleRule, t: ReplicaTrial, priceFactor: number): number {
  return followsGpuDecline(t.price.pricing) ? rule.coldStartHours * t.price.perReplicaHour * priceFactor : 0;
}


/** Exact pass in hour order. Fills v.monthCost and v.provPath. O(hours). */
export function exactAutoscale(v: HourlyView, t: ReplicaTrial, rule: AutoscaleRule): ExactFleet {
  const H = v.hours;
  const months = v.months;
  const HPM = v.hoursPerMonth;
  const path = v.path;
  const need = v.need;
  const provPath = v.provPath;
  const mc = v.monthCost;
  const { K, Kraw } = t;
  const ring = v.ring;
  const lag = Math.min(rule.lagHours, ring.length - 1);
  const ringLen = lag + 1;
  const step = rule.step;
  const invKt = 1 / (K * rule.targetUtilisation);
  const minR = rule.minReplicas;
  const maxR = rule.maxReplicas;
  let wIdx = 0; // ring slot of hour h
  let m = 0;
  let mEnd = HPM;
  let monthProv = 0; // replica-hours so far this month
  let provSum = 0;
  let provPriced = 0; // Σ_m prov_m · f_m
  let prevProv = Number.MAX_VALUE; // hour 0: prov − MAX_VALUE rounds to −MAX_VALUE, no cold start
  let cold = 0;
  let peak = 0;
  let served = 0;
  let violations = 0;
  for (let h = 0; h < H; h++) {
    const d = path[h]!;
    const nd = need[h]!;
    // wantReplicas(rule, nd, K), inlined
    let want = Math.ceil(nd * invKt);
    if (want < minR) want = minR;
    if (step !== 1) want = Math.ceil(want / step) * step;
    if (want > maxR) want = maxR;
    ring[wIdx] = want;
    // provisioned now = what was wanted `lag` hours ago (hour 0 starts provisioned);
    // the slot after this hour's is the oldest, i.e. hour h - lag
    const rIdx = wIdx + 1 === ringLen ? 0 : wIdx + 1;
    const prov = h >= lag ? ring[lag === 0 ? wIdx : rIdx]! : ring[0]!;
    wIdx = rIdx;
    provPath[h] = prov;
    // cold starts: the increase over the last hour, branch-free ((x + |x|)/2 is exact for these
    // whole numbers; a branch on the increase mispredicted about every other hour and cost a third
    // of the pass). The first hour's start value makes its increase 0.
    const inc = prov - prevProv;
    cold += (inc + Math.abs(inc)) * 0.5;
    prevProv = prov;
    if (prov > peak) peak = prov;
    const capRaw = prov * Kraw;
    if (nd > prov * K) violations++;
    served += d < capRaw ? d : capRaw;
    if (h === mEnd) {
      mc[m] = monthProv;
      provPriced += monthProv * v.gpuFactor[m]!;
      m++;
      provSum += monthProv;
      monthProv = 0;
      mEnd += HPM;
    }
    monthProv += prov;
  }
  mc[m] = monthProv;
  provPriced += monthProv * v.gpuFactor[m]!;
  provSum += monthProv;
  const priceFactor = provSum > 0 ? provPriced / provSum : v.gpuFactorMean;
  // month cash: the fleet's, ops, and this month's cold starts (counted where they happen would
  // need a second array; spread evenly, as the total is what the chart must end at)
  const coldCost = cold * coldStartCost(rule, t, priceFactor);
  const extra = (t.opsTotal + coldCost) / months;
  for (let mm = 0; mm < months; mm++) mc[mm] = fleetCashMonth(t.price, peak, mc[mm]!, v.gpuFactor[mm]!, HPM) + extra;
  const cost = fleetCost(t.price, peak, provSum, priceFactor, H) + coldCost + t.opsTotal;
  const capacity = provSum * Kraw;
  return {
    cost,
    utilisation: capacity > 0 ? served / capacity : 0,
    violations,
    overflow: 0,
    overflowHours: 0,
    peak,
    meanReplicas: provSum / H,
    coldIncrements: cold,
    fleet: NaN,
    servePerReplica: Kraw,
    priceFactor,
  };
}

/** Replica-hours and peak of the binned demand at scale s. O(bins). */
function binnedFleet(bins: DemandBins, t: ReplicaTrial, rule: AutoscaleRule, s: number, out: { provSum: number; peak: number }): void {
  const invKt = 1 / (t.K * rule.targetUtilisation);
  const a = s * invKt;
  const r = Math.sqrt(s) * invKt;
  const { minReplicas, maxReplicas, step } = rule;
  const count = bins.nzCount;
  const lin = bins.nzNeedLin;
  const root = bins.nzNeedRoot;
  let provSum = 0;
  let peak = 0;
  for (let i = 0; i < bins.nz; i++) {
    // wantReplicas(rule, need(s·d), K), inlined: need(s·d) = s·lin + √s·root
    let want = Math.ceil(a * lin[i]! + r * root[i]!);
    if (want < minReplicas) want = minReplicas;
    if (step !== 1) want = Math.ceil(want / step) * step;
    if (want > maxReplicas) want = maxReplicas;
    provSum += count[i]! * want;
    if (want > peak) peak = want;
  }
  out.provSum = provSum;
  out.peak = peak;
}

/**
 * C(s) for the break-even search, with what the exact pass measured at s = 1 (its cold
 * starts and price factor). Returns a function of s. O(bins) per call.
 */
export function autoscaleCostAt(bins: DemandBins, v: HourlyView, t: ReplicaTrial, rule: AutoscaleRule, exact: ExactFleet): (s: number) => number {
  const acc = { provSum: 0, peak: 0 };
  binnedFleet(bins, t, rule, 1, acc);
  const floorHours = rule.minReplicas * v.hours;
  const above1 = acc.provSum - floorHours;
  const perCold = coldStartCost(rule, t, exact.priceFactor);
  const coldPerAbove = above1 > 0 ? (exact.coldIncrements * perCold) / above1 : 0;
  const H = v.hours;
  return (s: number) => {
    binnedFleet(bins, t, rule, s, acc);
    const cold = (acc.provSum - floorHours) * coldPerAbove;
    return fleetCost(t.price, acc.peak, acc.provSum, exact.priceFactor, H) + cold + t.opsTotal;
  };
}
