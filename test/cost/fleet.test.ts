/**
 * Fleet economics (src/cost/fleet) with hand-worked numbers: one pricing rule, one capacity
 * need, and each policy's exact pass pinned to its scaled cost C(s) at s = 1.
 */
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import {
  fleetCost,
  fleetCashMonth,
  upfrontCash,
  reservedCommitMultiplier,
  ownedReplicaHour,
  servableDemand,
  needOf,
  replicasForNeed,
  DemandBins,
  fixedReplicas,
  exactFixed,
  fixedCostAt,
  exactAutoscale,
  autoscaleCostAt,
  wantReplicas,
  hybridBase,
  exactHybrid,
  hybridCostAt,
  type FleetPrice,
  type HourlyView,
  type ReplicaTrial,
  type AutoscaleRule,
  type ExactFleet,
} from '../../src/cost/index.js';
import { peakNeed, PEAK_MINUTE_Z } from '../../src/traffic/index.js';
import { sum } from '../../src/stats/index.js';

const rel = (a: number, b: number) => Math.abs(a - b) / Math.max(Math.abs(b), 1e-300);
const HPM = 730;
const ZR = PEAK_MINUTE_Z * Math.sqrt(60);

/** A trial view over the given hourly demand (months of 730 hours), API $ per call flat unless given. */
function view(path: number[], o: { ptm?: number | null; apiPerCall?: number[]; gpuFactor?: number[] } = {}): { v: HourlyView; bins: DemandBins } {
  const hours = path.length;
  const months = Math.ceil(hours / HPM);
  const p = Float64Array.from(path);
  const need = new Float64Array(hours);
  const bins = new DemandBins(128);
  let min = Infinity;
  let max = -Infinity;
  for (const d of path) {
    min = Math.min(min, d);
    max = Math.max(max, d);
  }
  bins.fill(p, need, hours, min, max, o.ptm === undefined ? null : o.ptm, ZR);
  const gpuFactor = Float64Array.from(o.gpuFactor ?? new Array<number>(months).fill(1));
  const apiMonthPrice = Float64Array.from(o.apiPerCall ?? new Array<number>(months).fill(0.01));
  // demand-weighted API price, as the trial computes it
  let spend = 0;
  let calls = 0;
  for (let h = 0; h < hours; h++) {
    spend += path[h]! * apiMonthPrice[Math.floor(h / HPM)]!;
    calls += path[h]!;
  }
  const v: HourlyView = {
    path: p,
    need,
    hours,
    months,
    hoursPerMonth: HPM,
    gpuFactor,
    gpuFactorMean: gpuFactor.reduce((a, b) => a + b, 0) / months,
    apiMonthPrice,
    apiPerCallEff: calls > 0 ? spend / calls : 0,
    monthCost: new Float64Array(months),
    monthOverflow: new Float64Array(months),
    provPath: new Float64Array(hours),
    ring: new Float64Array(32),
  };
  return { v, bins };
}

const onDemand = (perReplicaHour = 2): FleetPrice => ({ pricing: 'on_demand', perReplicaHour, powerPerReplicaHour: 0, capexPerReplica: 0, commitMult: 1 });
const trial = (K: number, price: FleetPrice, o: { ptm?: number | null; ops?: number } = {}): ReplicaTrial => ({
  K,
  Kraw: K,
  price,
  ptm: o.ptm === undefined ? null : o.ptm,
  zRoot: ZR,
  opsTotal: o.ops ?? 0,
});
const flat = (d: number, hours = HPM * 12) => new Array<number>(hours).fill(d);
const sumOf = (a: Float64Array) => a.reduce((x, y) => x + y, 0);

describe('pricing: one rule for every policy', () => {
  it('prices on-demand, reserved and owned fleets (hand-worked)', () => {
    // on-demand: 3 replicas × 8,760 h × $2 = $52,560; with a mean price factor 0.75: $39,420
    expect(fleetCost(onDemand(), 3, 3 * 8760, 1, 8760)).toBe(52560);
    expect(fleetCost(onDemand(), 3, 3 * 8760, 0.75, 8760)).toBe(39420);
    // reserved commits to the peak for every hour, whatever it provisions; no decline
    const reserved: FleetPrice = { pricing: 'reserved', perReplicaHour: 1.5, powerPerReplicaHour: 0, capexPerReplica: 0, commitMult: 1 };
    expect(fleetCost(reserved, 4, 100, 0.5, 8760)).toBe(4 * 1.5 * 8760);
    // owned: capex $200,000 a replica, 20 % residual, 36 months (26,280 h): $6.0883/h depreciation + $1/h power
    const perHour = ownedReplicaHour(200000, 0.2, 36 * HPM, 1);
    expect(rel(perHour, 160000 / 26280 + 1)).toBeLessThan(1e-15);
    const owned: FleetPrice = { pricing: 'owned', perReplicaHour: perHour, powerPerReplicaHour: 1, capexPerReplica: 200000, commitMult: 1 };
    // you buy the peak (4) for the whole horizon; power only while provisioned (10,000 replica-hours)
    expect(rel(fleetCost(owned, 4, 10000, 1, 8760), (4 * 160000 * 8760) / 26280 + 10000)).toBeLessThan(1e-12);
    expect(upfrontCash(owned, 4)).toBe(800000);
    expect(upfrontCash(onDemand(), 4)).toBe(0);
    expect(fleetCashMonth(owned, 4, 2000, 1, HPM)).toBe(2000);
  });

  it('pays whole reserved terms: 12-month terms over 18 months cost 24 months', () => {
    expect(reservedCommitMultiplier(12, 18)).toBe(24 / 18);
    expect(reservedCommitMultiplier(12, 12)).toBe(1);
    expect(reservedCommitMultiplier(12, 6)).toBe(2);
    expect(reservedCommitMultiplier(3, 12)).toBe(1);
    expect(reservedCommitMultiplier(36, 60)).toBe(72 / 60);
  });
});

describe('DemandBins', () => {
  it('takes 1 to 1,024 bins (its histogram scratch), and says so otherwise', () => {
    expect(new DemandBins(1).n).toBe(1);
    expect(new DemandBins(1024).n).toBe(1024);
    for (const n of [0, 1025, 2.5, NaN]) expect(() => new DemandBins(n), String(n)).toThrow(/1 to 1024 bins/);
  });
});

describe('capacity need: one rule', () => {
  it('servableDemand inverts need, and need is traffic’s peakNeed', () => {
    fc.assert(
      fc.property(fc.double({ min: 0.01, max: 1e7, noNaN: true }), fc.option(fc.double({ min: 1, max: 20, noNaN: true }), { nil: null }), (d, ptm) => {
        expect(needOf(d, ptm, ZR)).toBeCloseTo(peakNeed(d, ptm), 6);
        expect(rel(servableDemand(needOf(d, ptm, ZR), ptm, ZR), d)).toBeLessThan(1e-9);
      }),
    );
    // peak-to-mean 2: 3 replicas of 1,000 requests/h serve 1,500 requests/h of hourly demand
    expect(servableDemand(3000, 2, ZR)).toBe(1500);
    expect(replicasForNeed(3000.0001, 1000)).toBe(4);
    expect(replicasForNeed(0, 1000)).toBe(1);
  });
});

describe('fixed fleet', () => {
  it('sizes to the quantile, never below it: a busiest level covering 12.5 % of hours gets its own replicas', () => {
    // 21 of 168 hours a week (12.5 %) at 3,000 requests/h, the rest at 300; ptm 1, K = 1,000:
    // p99 lies on the top level, so the fleet is 3 replicas and violates no hour
    const week = Array.from({ length: 168 }, (_, h) => (h % 8 === 0 ? 3000 : 300));
    const path = Array.from({ length: HPM * 12 }, (_, h) => week[h % 168]!);
    const { v, bins } = view(path, { ptm: 1 });
    const t = trial(1000, onDemand(), { ptm: 1 });
    const Q = bins.quantileUpper(0.99);
    expect(Q).toBe(3000);
    const r = exactFixed(v, t, fixedReplicas(t, Q));
    expect(r.peak).toBe(3);
    expect(r.violations).toBe(0);
  });

  it('constant demand that one replica serves gets one replica (the bin width does not add a request)', () => {
    // 1,000 requests/h every hour, ptm 1, K = 1,000: one replica, $2 × 8,760 h = $17,520
    const { v, bins } = view(flat(1000), { ptm: 1 });
    const t = trial(1000, onDemand(), { ptm: 1 });
    const Q = bins.quantileUpper(0.99);
    expect(Q).toBe(1000);
    const r = exactFixed(v, t, fixedReplicas(t, Q));
    expect(r.peak).toBe(1);
    expect(r.cost).toBe(17520);
    expect(fixedCostAt(t, v, Q, 1)).toBe(r.cost);
    // cash by month sums to the total (rented)
    expect(rel(sumOf(v.monthCost), r.cost)).toBeLessThan(1e-12);
  });

  it('follows the GPU rental price decline (on-demand); a reserved fleet does not', () => {
    // 50 % a year: month m costs 2 × 730 × 0.5^((m+½)/12)
    const f = Array.from({ length: 12 }, (_, m) => Math.pow(0.5, (m + 0.5) / 12));
    const { v } = view(flat(500), { ptm: 1, gpuFactor: f });
    const r = exactFixed(v, trial(1000, onDemand(), { ptm: 1 }), 1);
    const hand = f.reduce((a, x) => a + 2 * 730 * x, 0);
    expect(rel(r.cost, hand)).toBeLessThan(1e-12);
    expect(rel(sumOf(v.monthCost), hand)).toBeLessThan(1e-12);
    const reserved: FleetPrice = { pricing: 'reserved', perReplicaHour: 2, powerPerReplicaHour: 0, capexPerReplica: 0, commitMult: 1 };
    expect(exactFixed(v, trial(1000, reserved, { ptm: 1 }), 1).cost).toBe(17520);
  });
});

describe('autoscale', () => {
  const rule = (o: Partial<AutoscaleRule> = {}): AutoscaleRule => ({ minReplicas: 1, maxReplicas: 1e9, lagHours: 0, step: 1, coldStartHours: 0, targetUtilisation: 1, ...o });
  // 12 hours at 1,000 and 12 at 3,000 each day; ptm 1, K = 1,000: 1 then 3 replicas, mean 2, peak 3
  const daily = Array.from({ length: HPM * 12 }, (_, h) => (h % 24 < 12 ? 1000 : 3000));

  it('owned: counts the capex of the peak fleet, in cost and up front (not the mean fleet)', () => {
    const { v } = view(daily, { ptm: 1 });
    const owned: FleetPrice = { pricing: 'owned', perReplicaHour: 3, powerPerReplicaHour: 1, capexPerReplica: 50000, commitMult: 1 };
    const r = exactAutoscale(v, trial(1000, owned, { ptm: 1 }), rule());
    expect(r.peak).toBe(3);
    expect(r.meanReplicas).toBe(2);
    // depreciation (3 - 1) $/h × 3 replicas × 8,760 h + power 1 $/h × 2 × 8,760 replica-hours
    expect(r.cost).toBe(2 * 3 * 8760 + 2 * 8760);
    expect(upfrontCash(owned, r.peak)).toBe(150000);
  });

  it('reserved: the monthly cash adds up to the total (the commitment to the peak, not the provisioned hours)', () => {
    const { v } = view(daily, { ptm: 1 });
    const reserved: FleetPrice = { pricing: 'reserved', perReplicaHour: 1.5, powerPerReplicaHour: 0, capexPerReplica: 0, commitMult: 1 };
    const r = exactAutoscale(v, trial(1000, reserved, { ptm: 1, ops: 1200 }), rule());
    // 3 replicas × $1.5 × 8,760 h + $1,200 ops = $40,620
    expect(r.cost).toBe(40620);
    expect(rel(sumOf(v.monthCost), r.cost)).toBeLessThan(1e-12);
  });

  it('C(1) on the bins equals the exact pass without lag; cold starts vanish where the fleet sits at its floor', () => {
    const { v, bins } = view(daily, { ptm: 1 });
    const t = trial(1000, onDemand(), { ptm: 1 });
    const rl = rule({ coldStartHours: 0.5 });
    const r = exactAutoscale(v, t, rl);
    // 365 ups of 2 replicas (the first day starts at 1): 730 - 2 + ... : count them by hand
    // from the path: every day's hour 12 adds 2 replicas, 365 days
    expect(r.coldIncrements).toBe(2 * 365);
    // cost: 2 × 8,760 replica-hours × $2 + 730 cold starts × 0.5 h × $2 = $35,040 + $730
    expect(r.cost).toBe(35040 + 730);
    const costAt = autoscaleCostAt(bins, v, t, rl, r);
    expect(rel(costAt(1), r.cost)).toBeLessThan(1e-12);
    // at s = 0.3 every hour wants ⌈300 or 900 / 1000⌉ = 1 replica = the floor: no cold starts
    expect(costAt(0.3)).toBe(8760 * 2);
  });

  it('counts each rise of the provisioned fleet as cold starts, none in the first hour (any path, lag and step)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 20000, noNaN: true }), { minLength: 1, maxLength: 300 }),
        fc.integer({ min: 0, max: 5 }),
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 0, max: 4 }),
        (path, lagHours, step, minReplicas) => {
          const { v } = view(path, { ptm: 1.3 });
          const r = exactAutoscale(v, trial(1000, onDemand(), { ptm: 1.3 }), rule({ lagHours, step, minReplicas, maxReplicas: 12 }));
          let ups = 0;
          for (let h = 1; h < path.length; h++) ups += Math.max(0, v.provPath[h]! - v.provPath[h - 1]!);
          expect(r.coldIncrements).toBe(ups);
        },
      ),
    );
  });

  it('the binned search and the hourly pass use the same replica rule', () => {
    const rl = rule({ minReplicas: 2, step: 4, maxReplicas: 40, targetUtilisation: 0.8 });
    for (const need of [0, 1, 799, 800, 801, 5000, 1e9]) {
      const { v } = view(flat(need / 1.0, 730), { ptm: 1 });
      const r = exactAutoscale(v, trial(1000, onDemand(), { ptm: 1 }), rl);
      expect(r.peak).toBe(wantReplicas(rl, need, 1000));
    }
  });
});

/**
 * The autoscale exact pass in its plainest form: one loop over the hours, `wantReplicas` per
 * hour, a ring buffer for the lag, the month's replica-hours summed as the hours go. The fast
 * pass (two passes, the lag as an offset) must return the same doubles.
 */
function plainAutoscale(v: HourlyView, t: ReplicaTrial, rule: AutoscaleRule): ExactFleet {
  const H = v.hours;
  const HPM = v.hoursPerMonth;
  const lag = Math.min(rule.lagHours, 31);
  const ring: number[] = [];
  const prov: number[] = [];
  const monthProv = new Array<number>(v.months).fill(0);
  let cold = 0;
  let peak = 0;
  let served = 0;
  let violations = 0;
  for (let h = 0; h < H; h++) {
    ring.push(wantReplicas(rule, v.need[h]!, t.K));
    const p = h >= lag ? ring[h - lag]! : ring[0]!;
    prov.push(p);
    if (h > 0) cold += Math.max(0, p - prov[h - 1]!);
    peak = Math.max(peak, p);
    if (v.need[h]! > p * t.K) violations++;
    served += Math.min(v.path[h]!, p * t.Kraw);
    monthProv[Math.floor(h / HPM)]! += p;
  }
  let provSum = 0;
  let provPriced = 0;
  for (let m = 0; m < v.months; m++) {
    provPriced += monthProv[m]! * v.gpuFactor[m]!;
    provSum += monthProv[m]!;
  }
  const priceFactor = provSum > 0 ? provPriced / provSum : v.gpuFactorMean;
  const coldCost = cold * (t.price.pricing === 'on_demand' || t.price.pricing === 'spot' ? rule.coldStartHours * t.price.perReplicaHour * priceFactor : 0);
  const extra = (t.opsTotal + coldCost) / v.months;
  for (let m = 0; m < v.months; m++) v.monthCost[m] = fleetCashMonth(t.price, peak, monthProv[m]!, v.gpuFactor[m]!, HPM) + extra;
  for (let h = 0; h < H; h++) v.provPath[h] = prov[h]!;
  const capacity = provSum * t.Kraw;
  return {
    cost: fleetCost(t.price, peak, provSum, priceFactor, H) + coldCost + t.opsTotal,
    utilisation: capacity > 0 ? served / capacity : 0,
    violations,
    overflow: 0,
    overflowHours: 0,
    peak,
    meanReplicas: provSum / H,
    coldIncrements: cold,
    fleet: NaN,
    servePerReplica: t.Kraw,
    priceFactor,
  };
}

describe('autoscale: the fast exact pass is the plain hour-by-hour rule', () => {
  it('returns the same doubles, month cash and replicas per hour (any path, lag, step, bounds, pricing, price decline)', () => {
    const prices: FleetPrice[] = [
      onDemand(2.5),
      { pricing: 'spot', perReplicaHour: 1.1, powerPerReplicaHour: 0, capexPerReplica: 0, commitMult: 1 },
      { pricing: 'reserved', perReplicaHour: 1.5, powerPerReplicaHour: 0, capexPerReplica: 0, commitMult: 1.5 },
      { pricing: 'owned', perReplicaHour: 3, powerPerReplicaHour: 0.7, capexPerReplica: 40000, commitMult: 1 },
    ];
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 20000, noNaN: true }), { minLength: 1, maxLength: 1600 }),
        fc.record({
          lagHours: fc.integer({ min: 0, max: 24 }),
          step: fc.integer({ min: 1, max: 4 }),
          minReplicas: fc.integer({ min: 0, max: 3 }),
          extra: fc.integer({ min: 0, max: 30 }),
          coldStartHours: fc.double({ min: 0, max: 1, noNaN: true }),
          targetUtilisation: fc.double({ min: 0.3, max: 1, noNaN: true }),
        }),
        fc.option(fc.double({ min: 1, max: 3, noNaN: true }), { nil: null }),
        fc.integer({ min: 0, max: 3 }),
        fc.double({ min: 0, max: 0.5, noNaN: true }),
        (path, r, ptm, pi, decline) => {
          const months = Math.ceil(path.length / HPM);
          const gpuFactor = Array.from({ length: months }, (_, m) => Math.pow(1 - decline, (m + 0.5) / 12));
          const rule: AutoscaleRule = { ...r, maxReplicas: r.minReplicas + r.extra };
          const t: ReplicaTrial = { ...trial(900, prices[pi]!, { ptm, ops: 1234.5 }), Kraw: 1300 };
          const a = view(path, { ptm, gpuFactor });
          const b = view(path, { ptm, gpuFactor });
          expect(exactAutoscale(a.v, t, rule)).toEqual(plainAutoscale(b.v, t, rule));
          expect(Array.from(a.v.monthCost)).toEqual(Array.from(b.v.monthCost));
          expect(Array.from(a.v.provPath)).toEqual(Array.from(b.v.provPath));
        },
      ),
      { numRuns: 300 },
    );
  });
});

/** The autoscale C(s) the plain way: every compacted bin's want, one by one, summed in bin order. */
function plainAutoscaleCostAt(bins: DemandBins, v: HourlyView, t: ReplicaTrial, rule: AutoscaleRule, exact: ExactFleet): (s: number) => number {
  const fleetAt = (s: number) => {
    const invKt = 1 / (t.K * rule.targetUtilisation);
    const a = s * invKt;
    const r = Math.sqrt(s) * invKt;
    let provSum = 0;
    let peak = 0;
    for (let i = 0; i < bins.nz; i++) {
      let want = Math.ceil(a * bins.nzNeedLin[i]! + r * bins.nzNeedRoot[i]!);
      want = Math.max(want, rule.minReplicas);
      if (rule.step !== 1) want = Math.ceil(want / rule.step) * rule.step;
      want = Math.min(want, rule.maxReplicas);
      provSum += bins.nzCount[i]! * want;
      if (want > peak) peak = want;
    }
    return { provSum, peak };
  };
  const floorHours = rule.minReplicas * v.hours;
  const above1 = fleetAt(1).provSum - floorHours;
  const rented = t.price.pricing === 'on_demand' || t.price.pricing === 'spot';
  const perCold = rented ? rule.coldStartHours * t.price.perReplicaHour * exact.priceFactor : 0;
  const coldPerAbove = above1 > 0 ? (exact.coldIncrements * perCold) / above1 : 0;
  return (s) => {
    const { provSum, peak } = fleetAt(s);
    return fleetCost(t.price, peak, provSum, exact.priceFactor, v.hours) + (provSum - floorHours) * coldPerAbove + t.opsTotal;
  };
}

describe('autoscale: C(s) by runs of equal wants is the plain bin-by-bin sum', () => {
  it('returns the same doubles at every scale (any path, rule, need rule and pricing)', () => {
    const prices: FleetPrice[] = [
      onDemand(2.5),
      { pricing: 'reserved', perReplicaHour: 1.5, powerPerReplicaHour: 0, capexPerReplica: 0, commitMult: 1 },
      { pricing: 'owned', perReplicaHour: 3, powerPerReplicaHour: 0.7, capexPerReplica: 40000, commitMult: 1 },
    ];
    fc.assert(
      fc.property(
        fc.oneof(
          fc.array(fc.double({ min: 0, max: 20000, noNaN: true }), { minLength: 1, maxLength: 1500 }),
          fc.array(fc.integer({ min: 0, max: 40 }), { minLength: 1, maxLength: 1500 }).map((a) => a.map((x) => 100 * x)),
        ),
        fc.record({
          lagHours: fc.integer({ min: 0, max: 3 }),
          step: fc.integer({ min: 1, max: 4 }),
          minReplicas: fc.integer({ min: 0, max: 3 }),
          extra: fc.integer({ min: 0, max: 1e6 }),
          coldStartHours: fc.double({ min: 0, max: 1, noNaN: true }),
          targetUtilisation: fc.double({ min: 0.3, max: 1, noNaN: true }),
        }),
        fc.option(fc.double({ min: 1, max: 3, noNaN: true }), { nil: null }),
        fc.integer({ min: 0, max: 2 }),
        fc.array(fc.double({ min: 0, max: 1e4, noNaN: true }), { minLength: 1, maxLength: 30 }),
        (path, r, ptm, pi, scales) => {
          const rule: AutoscaleRule = { ...r, maxReplicas: r.minReplicas + r.extra };
          const t = trial(700, prices[pi]!, { ptm, ops: 99 });
          const { v, bins } = view(path, { ptm });
          const exact = exactAutoscale(v, t, rule);
          const fast = autoscaleCostAt(bins, v, t, rule, exact);
          const plain = plainAutoscaleCostAt(bins, v, t, rule, exact);
          for (const s of [0, 1e-3, 0.37, 1, 2.5, 1e4, ...scales]) expect(fast(s)).toBe(plain(s));
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('fixed: the pass that takes served and the need bound from the bins is the hourly loop', () => {
  it('returns the same doubles with and without the bins (fleets that cover the busiest hour, or its need, or neither)', () => {
    const prices: FleetPrice[] = [onDemand(2.5), { pricing: 'owned', perReplicaHour: 3, powerPerReplicaHour: 0.7, capexPerReplica: 40000, commitMult: 1 }];
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 5000, noNaN: true }), { minLength: 1, maxLength: 1500 }),
        fc.integer({ min: 1, max: 12 }),
        fc.option(fc.double({ min: 1, max: 3, noNaN: true }), { nil: null }),
        fc.double({ min: 0.3, max: 1, noNaN: true }),
        fc.integer({ min: 0, max: 1 }),
        (path, N, ptm, slo, pi) => {
          // K = slo·Kraw: the raw capacity can cover the busiest hour while the SLO capacity misses its need
          const t: ReplicaTrial = { ...trial(900 * slo, prices[pi]!, { ptm, ops: 77 }), Kraw: 900 };
          const a = view(path, { ptm });
          const b = view(path, { ptm });
          const fast = exactFixed(a.v, t, N, a.bins);
          expect(fast).toEqual(exactFixed(b.v, t, N));
          expect(Array.from(a.v.monthCost)).toEqual(Array.from(b.v.monthCost));
          // bins of another array are not taken for this one's
          expect(exactFixed(a.v, t, N, b.bins)).toEqual(fast);
        },
      ),
      { numRuns: 400 },
    );
  });
});

/** The hybrid exact pass the plain way: one loop over the hours, a month's overflow stored at each month end and after the loop. */
function plainHybrid(v: HourlyView, t: ReplicaTrial, B: number): ExactFleet {
  const H = v.hours;
  const capB = servableDemand(B * t.K, t.ptm, t.zRoot);
  const mo = v.monthOverflow;
  let m = 0;
  let monthOver = 0;
  let comp = 0;
  let served = 0;
  let overHours = 0;
  for (let h = 0; h < H; h++) {
    if (h > 0 && h % v.hoursPerMonth === 0) {
      mo[m++] = monthOver + comp;
      monthOver = 0;
      comp = 0;
    }
    const d = v.path[h]!;
    const over = d > capB ? d - capB : 0;
    if (d > capB) overHours++;
    const tt = monthOver + over;
    comp += Math.abs(monthOver) >= Math.abs(over) ? monthOver - tt + over : over - tt + monthOver;
    monthOver = tt;
    served += d - over;
  }
  mo[m] = monthOver + comp;
  const overflow = sum(mo.subarray(0, v.months));
  const opsMonth = B > 0 ? t.opsTotal / v.months : 0;
  for (let k = 0; k < v.months; k++) {
    mo[k] = mo[k]! * v.apiMonthPrice[k]!;
    v.monthCost[k] = fleetCashMonth(t.price, B, B * v.hoursPerMonth, v.gpuFactor[k]!, v.hoursPerMonth) + opsMonth + mo[k]!;
  }
  const apiSpend = sum(mo.subarray(0, v.months));
  const capacity = B * t.Kraw * H;
  return {
    cost: fleetCost(t.price, B, B * H, v.gpuFactorMean, H) + (B > 0 ? t.opsTotal : 0) + apiSpend,
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

describe('hybrid: the exact pass is the plain hour-by-hour rule', () => {
  it('returns the same doubles, month overflow and month cash (any path and horizon, whole months included, base, need rule, pricing)', () => {
    const prices: FleetPrice[] = [onDemand(2.5), { pricing: 'owned', perReplicaHour: 3, powerPerReplicaHour: 0.7, capexPerReplica: 40000, commitMult: 1 }];
    fc.assert(
      fc.property(
        // horizons of any length up to a few months (fast-check keeps plain arrays short), whole months included
        fc
          .oneof(fc.integer({ min: 1, max: 2300 }), fc.integer({ min: 1, max: 3 }).map((k) => k * HPM))
          .chain((n) => fc.array(fc.double({ min: 0, max: 5000, noNaN: true }), { minLength: n, maxLength: n })),
        fc.integer({ min: 0, max: 8 }),
        fc.option(fc.double({ min: 1, max: 3, noNaN: true }), { nil: null }),
        fc.integer({ min: 0, max: 1 }),
        (path, B, ptm, pi) => {
          const t: ReplicaTrial = { ...trial(700, prices[pi]!, { ptm, ops: 55 }), Kraw: 950 };
          const a = view(path, { ptm });
          const b = view(path, { ptm });
          expect(exactHybrid(a.v, t, B)).toEqual(plainHybrid(b.v, t, B));
          expect(Array.from(a.v.monthOverflow)).toEqual(Array.from(b.v.monthOverflow));
          expect(Array.from(a.v.monthCost)).toEqual(Array.from(b.v.monthCost));
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('hybrid', () => {
  it('judges the busiest minute like the other policies: with peak_to_mean 2, 3 replicas of 1,000/h serve 1,500/h', () => {
    // flat 2,000 requests/h, ptm 2: a fixed fleet of 3 violates every hour (need 4,000 > 3,000);
    // the hybrid base of 3 sends 500/h to the API at $0.01: 500 × 8,760 × 0.01 = $43,800 + 3 × $2 × 8,760
    const { v } = view(flat(2000), { ptm: 2 });
    const t = trial(1000, onDemand(), { ptm: 2 });
    expect(exactFixed(v, t, 3).violations).toBe(8760);
    const h = exactHybrid(v, t, 3);
    expect(h.overflowHours).toBe(8760);
    expect(h.violations).toBe(0);
    expect(rel(h.overflow, 500 * 8760)).toBeLessThan(1e-12);
    expect(rel(h.cost, 43800 + 52560)).toBeLessThan(1e-12);
    expect(rel(sumOf(v.monthCost), h.cost)).toBeLessThan(1e-12);
  });

  it('"auto" picks one base in the exact pass and the search, with the declined API price', () => {
    // API price halves over the year; flat demand, so C(1) on the bins equals the exact cost
    const price = Array.from({ length: 12 }, (_, m) => 0.01 * Math.pow(0.5, (m + 0.5) / 12));
    const { v, bins } = view(flat(2600), { ptm: 1, apiPerCall: price });
    const t = trial(1000, onDemand(5), { ptm: 1 });
    const B = hybridBase(bins, v, t, 'auto', 1);
    // a replica costs $5 × 8,760 = $43,800 and absorbs 1,000/h × 8,760 × mean price (~$0.00721) ≈ $63,200:
    // the first two pay, the third absorbs only 600/h ≈ $37,900 < $43,800
    expect(B).toBe(2);
    const r = exactHybrid(v, t, B);
    expect(rel(hybridCostAt(bins, v, t, 'auto', 1), r.cost)).toBeLessThan(1e-12);
  });
});

describe('invariant: the same replicas see the same hours short, whatever the policy', () => {
  it('fixed N, autoscale pinned at N and a hybrid base of N: violation hours = overflow hours', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 5000, noNaN: true }), { minLength: 24, maxLength: 400 }),
        fc.integer({ min: 1, max: 6 }),
        fc.option(fc.double({ min: 1, max: 4, noNaN: true }), { nil: null }),
        (path, N, ptm) => {
          const { v } = view(path, { ptm });
          const t = trial(900, onDemand(), { ptm });
          const fixed = exactFixed(v, t, N);
          const auto = exactAutoscale(v, t, { minReplicas: N, maxReplicas: N, lagHours: 3, step: 1, coldStartHours: 0.2, targetUtilisation: 0.7 });
          const hybrid = exactHybrid(v, t, N);
          expect(auto.violations).toBe(fixed.violations);
          expect(hybrid.overflowHours).toBe(fixed.violations);
          expect(auto.cost).toBe(fixed.cost);
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('conventions in words', () => {
  it('README states each convention the code applies (the report renders the same list)', async () => {
    const { readFileSync } = await import('node:fs');
    const { FLEET_CONVENTIONS } = await import('../../src/cost/index.js');
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const expectations: Record<string, RegExp> = {
      'SLO attainment': /counts as "self-hosting cheaper"[\s\S]*only when\s+the option costs less \*\*and\*\* its attainment reaches `self_hosted\.slo\.attainment`/,
      'Capacity need': /one rule \(`need\.ts`\)/,
      Retries: /Retries load the fleet as they load the API/,
      'Rented GPUs': /on-demand and spot following `self_hosted\.gpu_price_decline_annual`/,
      Reserved: /\*\*whole\*\* terms/,
      'Sunk fleet': /capex or reservation is \*\*sunk\*\*/,
      Routing: /with `routing`[\s\S]*break-even \(on \*\*total volume\*\*\)/,
      'Deferred batch share': /`self_hosted\.batch_share: deferred`[\s\S]*deferred calls never add replicas/,
      Owned: /depreciation of the \*\*peak\*\* fleet[\s\S]*full capex in month 0/,
    };
    expect(FLEET_CONVENTIONS.map((c) => c.topic)).toEqual(Object.keys(expectations));
    for (const c of FLEET_CONVENTIONS) expect(readme, c.topic).toMatch(expectations[c.topic]!);
  });
});

describe('hybrid "auto" base: the bisection finds the cheapest base', () => {
  it('equals a brute-force search over every base size (Poisson busiest-minute rule, random demand)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 20000, noNaN: true }), { minLength: 50, maxLength: 300 }),
        fc.double({ min: 0.1, max: 20, noNaN: true }),
        fc.double({ min: 1e-4, max: 1e-2, noNaN: true }),
        (path, s, price) => {
          const { v, bins } = view(path, { apiPerCall: [price] });
          const t = trial(1000, onDemand(), { ops: 0 });
          let best = Infinity;
          for (let b = 0; b <= 200; b++) best = Math.min(best, hybridCostAt(bins, v, t, b, s));
          const auto = hybridCostAt(bins, v, t, 'auto', s);
          expect(auto).toBeLessThanOrEqual(best * (1 + 1e-12));
        },
      ),
      { numRuns: 100 },
    );
  });
});
