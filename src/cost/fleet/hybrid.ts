/**
 * Hybrid fleet: a base of B replicas takes each hour's demand up to servableDemand(B·K) (the
 * most whose busiest minute fits, the same need rule as fixed and autoscale) and sends the
 * rest to the API, priced. It has no violation hours: what it cannot serve within the SLO is
 * served by the API, and paid for.
 *
 *   base "auto"  `hybridBase`: add replicas while the API spend a replica absorbs exceeds its
 *                cost, then keep the fleet only if it beats sending everything to the API (ops
 *                included). Both passes call it with the same demand-weighted API price
 *                (`apiPerCallEff`, price decline included), so they choose the same base.
 *   exact pass   every hour: overflow by month priced at that month's API price
 *   C(s)         the same base rule at scale s; overflow s·excessOver(c_B/s) at apiPerCallEff
 */
import type { HourlyView, ReplicaTrial, ExactFleet, KeptPass } from './types.js';
import type { DemandBins } from './bins.js';
import { fleetCost, fleetCashMonth } from './pricing.js';
import { servableDemand, needOf } from './need.js';
import { sum } from '../../stats/index.js';

/**
 * Base replicas at demand scale s (binned demand). A fixed `base` is returned as is. O(log B)
 * evaluations of O(1) each. The marginal saving of replica b is exactly non-increasing with a
 * peak-to-mean factor; with the Poisson rule the servable step c_b - c_{b-1} grows slowly
 * toward K while the hours above it thin out, so the bisection finds the last paying replica.
 */
export function hybridBase(bins: DemandBins, v: HourlyView, t: ReplicaTrial, base: number | 'auto', s: number): number {
  if (base !== 'auto') return base;
  const K = t.K;
  if (!(s > 0) || !(K > 0)) return 0;
  const price = v.apiPerCallEff;
  const replicaCost = fleetCost(t.price, 1, v.hours, v.gpuFactorMean, v.hours);
  if (absorbedBy(bins, t, 1, s) * price < replicaCost) return 0;
  let lo = 1;
  let hi = Math.max(1, Math.ceil(needOf(s * bins.topDemand(), t.ptm, t.zRoot) / K));
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (absorbedBy(bins, t, mid, s) * price >= replicaCost) lo = mid;
    else hi = mid - 1;
  }
  // fixed ops cost: only worth it if the fleet saves more than ops in total
  const absorbed = s * (bins.sufSum[0]! - bins.excessOver(servableDemand(lo * K, t.ptm, t.zRoot) / s)) * price;
  return absorbed - lo * replicaCost > t.opsTotal ? lo : 0;
}

/**
 * Calls the b-th base replica takes from the API at scale s: s·(excess over c_{b-1}/s −
 * excess over c_b/s), c_b = servableDemand(b·K). O(1).
 */
function absorbedBy(bins: DemandBins, t: ReplicaTrial, b: number, s: number): number {
  const below = servableDemand((b - 1) * t.K, t.ptm, t.zRoot) / s;
  const above = servableDemand(b * t.K, t.ptm, t.zRoot) / s;
  return s * (bins.excessOver(below) - bins.excessOver(above));
}

/**
 * Exact pass of a base of B replicas. Fills v.monthCost and v.monthOverflow. O(hours), or
 * O(months) with a `kept` pass to reuse (its loop depends on the demand and servableDemand(B·K)).
 * The hour loop runs in WebAssembly where `v.kernel` holds the path (`hybridHours`' twin).
 */
export function exactHybrid(v: HourlyView, t: ReplicaTrial, B: number, kept?: KeptPass): ExactFleet {
  const H = v.hours;
  const months = v.months;
  const HPM = v.hoursPerMonth;
  const path = v.path;
  const capB = servableDemand(B * t.K, t.ptm, t.zRoot);
  const capRaw = B * t.Kraw;
  const mo = v.monthOverflow;
  if (kept?.reuse) {
    mo.set(kept.months.subarray(0, months));
    HYBRID_ACC.set(kept.acc.subarray(0, 2));
  } else {
    const k = v.kernel;
    if (k && H > 0 && k.holds(path)) {
      k.hybrid(path, H, HPM, capB);
      mo.set(k.months.subarray(0, Math.min(Math.ceil(H / HPM), mo.length)));
      HYBRID_ACC.set(k.acc.subarray(0, 2));
    } else hybridHours(path, H, HPM, Math.min(HPM, H), capB, mo, HYBRID_ACC);
    if (kept) {
      kept.months.set(mo.subarray(0, months));
      kept.acc.set(HYBRID_ACC);
    }
  }
  const served = HYBRID_ACC[0]!;
  const overHours = HYBRID_ACC[1]!;
  const overflow = sum(mo.subarray(0, months));
  const mc = v.monthCost;
  const opsMonth = B > 0 ? t.opsTotal / months : 0;
  for (let mm = 0; mm < months; mm++) {
    mo[mm] = mo[mm]! * v.apiMonthPrice[mm]!; // calls → $ (reuses the buffer)
    mc[mm] = fleetCashMonth(t.price, B, B * HPM, v.gpuFactor[mm]!, HPM) + opsMonth + mo[mm]!;
  }
  const apiSpend = sum(mo.subarray(0, months));
  const cost = fleetCost(t.price, B, B * H, v.gpuFactorMean, H) + (B > 0 ? t.opsTotal : 0) + apiSpend;
  const capacity = capRaw * H;
  return {
    cost,
    utilisation: capacity > 0 ? served / capacity : 0,
    violations: 0,
    overflow,
    overflowHours: overHours,
    peak: B,
    meanReplicas: B,
    coldIncrements: 0,
    fleet: B,
    servePerReplica: B > 0 ? capB / B : 0,
    priceFactor: v.gpuFactorMean,
  };
}

/** What `hybridHours` returns: [served, overflow hours]. */
const HYBRID_ACC = new Float64Array(2);

/**
 * The hours of a base that serves up to capB an hour: each month's overflow (summed in hour
 * order, Neumaier-compensated) into `mo`, and into `acc` the demand served and the hours with
 * overflow. A function that ends with its loop, which stores the month and the totals so far at
 * every month end, hour H included (the first at `firstEnd`), and begins with no operation that
 * needs type feedback (see autoscale.ts `autoscaleHours`). O(hours).
 */
function hybridHours(path: Float64Array, H: number, HPM: number, firstEnd: number, capB: number, mo: Float64Array, acc: Float64Array): void {
  let m = 0;
  let mEnd = firstEnd;
  let monthOver = 0;
  let comp = 0; // Neumaier compensation of monthOver
  let served = 0;
  let overHours = 0;
  for (let h = 0; ; h++) {
    if (h === mEnd) {
      mo[m++] = monthOver + comp;
      monthOver = 0;
      comp = 0;
      acc[0] = served;
      acc[1] = overHours;
      if (h === H) break;
      mEnd += HPM;
      if (mEnd > H) mEnd = H;
    }
    const d = path[h]!;
    // d − capB > 0 exactly when d > capB; computed every hour, not in a branch that the first hours
    // may not take (a fleet that covers them): its type feedback is there when the loop is optimised
    const x = d - capB;
    const over = x > 0 ? x : 0;
    overHours += +(d > capB); // branch-free: the demand crosses capB often
    const tt = monthOver + over;
    comp += monthOver >= over ? monthOver - tt + over : over - tt + monthOver;
    monthOver = tt;
    served += d - over;
  }
}

/** C(s) of a hybrid at scale s. O(log B). */
export function hybridCostAt(bins: DemandBins, v: HourlyView, t: ReplicaTrial, base: number | 'auto', s: number): number {
  const B = hybridBase(bins, v, t, base, s);
  const capB = servableDemand(B * t.K, t.ptm, t.zRoot);
  const over = s > 0 ? s * bins.excessOver(capB / s) : 0;
  return fleetCost(t.price, B, B * v.hours, v.gpuFactorMean, v.hours) + (B > 0 ? t.opsTotal : 0) + over * v.apiPerCallEff;
}
