/**
 * The fleet you already have (`fleet: { policy: existing }`): B replicas whose capex or
 * reservation is sunk, available for the first `untilHours` hours of the horizon. Only what
 * still changes with the decision is counted:
 *
 *   sunk fleet   B × sunkPerReplicaHour for every hour it is available (owned: power, the
 *                fleet runs around the clock; reserved: 0, the commitment is paid whatever
 *                happens); its capex or commitment is not counted at all
 *   operations   opsTotal (the fleet still needs people)
 *   overflow     per hour, what the fleet cannot serve within the SLO (the same need rule as
 *                every policy: it takes demand up to servableDemand(B·K)) goes on:
 *                  api     the rest of the calls at that month's API price (as a hybrid)
 *                  rented  replicas of the same GPU rented by the hour, without lag:
 *                          max(0, ⌈need(d)/K⌉ − B) at the option's rate × that month's GPU
 *                          price factor (an optimistic bound: no scale-up lag, no cold start)
 *                After untilHours every hour overflows in full (B = 0).
 *
 * It has no violation hours: what the fleet cannot serve is served elsewhere, and paid for.
 * `existingPass` prices every hour at a demand scale s (the exact pass is s = 1); C(s) for the
 * break-even search applies the same rules to binned demand (`existingCostAt`, O(bins)), and
 * tests pin the two together. C(s) is non-decreasing in s.
 */
import type { HourlyView, ReplicaTrial, ExactFleet } from './types.js';
import { servableDemand, needOf } from './need.js';
import type { DemandBins } from './bins.js';

export type Overflow = 'api' | 'rented';

export interface ExistingFleet {
  /** replicas the GPUs you own or reserved make: ⌊gpus / tp⌋ */
  replicas: number;
  /** hours from the start the sunk fleet is available (≤ the horizon) */
  untilHours: number;
  /** marginal $ per replica-hour of the sunk fleet: power for owned, 0 for a reservation */
  sunkPerReplicaHour: number;
  overflow: Overflow;
}

/**
 * Price every hour of the trial at demand scale s. With `fill`, also writes v.monthCost,
 * v.monthOverflow and v.provPath (own replicas per hour) for the exact pass. O(hours).
 */
export function existingPass(v: HourlyView, t: ReplicaTrial, f: ExistingFleet, s: number, fill: boolean): ExactFleet {
  const H = v.hours;
  const HPM = v.hoursPerMonth;
  const path = v.path;
  const B = f.replicas;
  const until = Math.min(H, f.untilHours);
  const capB = servableDemand(B * t.K, t.ptm, t.zRoot);
  const capRaw = B * t.Kraw;
  const rent = f.overflow === 'rented';
  const rate = t.price.perReplicaHour;
  const opsMonth = t.opsTotal / v.months;
  let cost = t.opsTotal;
  let overflow = 0;
  let served = 0;
  let rentedHours = 0;
  let peak = until > 0 ? B : 0;
  for (let m = 0; m < v.months; m++) {
    const a = m * HPM;
    const b = Math.min(H, a + HPM);
    const own = Math.max(0, Math.min(b, until) - a);
    let monthCost = own * B * f.sunkPerReplicaHour;
    let monthOver = 0;
    let monthRented = 0;
    for (let h = a; h < b; h++) {
      const d = s * path[h]!;
      const mine = h < until;
      const cap = mine ? capB : 0;
      if (d > cap) {
        monthOver += d - cap;
        if (rent) {
          const total = Math.ceil(needOf(d, t.ptm, t.zRoot) / t.K);
          const extra = total - (mine ? B : 0);
          if (extra > 0) {
            monthRented += extra;
            // replicas at once this hour: the own fleet (while it lasts) and the rented ones
            if (total > peak) peak = total;
          }
        }
      }
      if (mine) served += d < capRaw ? d : capRaw;
    }
    monthCost += rent ? monthRented * rate * v.gpuFactor[m]! : monthOver * v.apiMonthPrice[m]!;
    cost += monthCost;
    overflow += monthOver;
    rentedHours += monthRented;
    if (fill) {
      v.monthCost[m] = monthCost + opsMonth;
      v.monthOverflow[m] = monthOver;
    }
  }
  if (fill) for (let h = 0; h < H; h++) v.provPath[h] = h < until ? B : 0;
  const ownHours = B * until;
  const capacity = ownHours * t.Kraw;
  return {
    cost,
    utilisation: capacity > 0 ? served / capacity : 0,
    violations: 0,
    overflow: rent ? 0 : overflow,
    overflowHours: 0,
    peak,
    meanReplicas: (ownHours + rentedHours) / H,
    coldIncrements: 0,
    fleet: NaN,
    servePerReplica: B > 0 ? capB / B : 0,
    priceFactor: v.gpuFactorMean,
  };
}

/** Exact pass (s = 1). Fills v.monthCost, v.monthOverflow, v.provPath. O(hours). */
export function exactExisting(v: HourlyView, t: ReplicaTrial, f: ExistingFleet): ExactFleet {
  return existingPass(v, t, f, 1, true);
}

/**
 * C(s) for the break-even search on binned demand (as hybrid and autoscale do; O(bins) per
 * call): `own` bins the hours the sunk fleet is available, `after` the hours past it (null
 * when empty). The same rules as `existingPass`, with each bin's hours at its mean demand and
 * the overflow priced at the demand-weighted API price (apiPerCallEff) or the mean GPU price
 * factor; a test pins C(1) to the exact pass on demand that the bins hold exactly.
 */
export function existingCostAt(v: HourlyView, t: ReplicaTrial, f: ExistingFleet, own: DemandBins | null, after: DemandBins | null): (s: number) => number {
  const B = f.replicas;
  const until = Math.min(v.hours, f.untilHours);
  const fixed = B * until * f.sunkPerReplicaHour + t.opsTotal;
  const capB = servableDemand(B * t.K, t.ptm, t.zRoot);
  if (f.overflow === 'api') {
    const price = v.apiPerCallEff;
    const afterCalls = after ? after.sufSum[0]! : 0;
    return (s: number) => {
      if (!(s > 0)) return fixed;
      const over = own ? own.excessOver(capB / s) : 0;
      return fixed + s * (over + afterCalls) * price;
    };
  }
  const rate = t.price.perReplicaHour * v.gpuFactorMean;
  return (s: number) => fixed + (rentedHours(own, t, B, s) + rentedHours(after, t, 0, s)) * rate;
}

/** Σ over the bins' hours of max(0, ⌈need(s·d)/K⌉ − B): replica-hours rented. O(bins). */
function rentedHours(bins: DemandBins | null, t: ReplicaTrial, B: number, s: number): number {
  if (!bins) return 0;
  const invK = 1 / t.K;
  const rs = Math.sqrt(s);
  let sum = 0;
  for (let i = 0; i < bins.nz; i++) {
    const extra = Math.ceil((s * bins.nzNeedLin[i]! + rs * bins.nzNeedRoot[i]!) * invK) - B;
    if (extra > 0) sum += bins.nzCount[i]! * extra;
  }
  return sum;
}
