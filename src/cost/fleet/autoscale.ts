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
import type { HourlyView, ReplicaTrial, ExactFleet, KeptPass } from './types.js';
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

/** Replicas an hour with capacity need `need` asks for. O(1). (Inlined in the loops below, `firstWant`, `provisionEach`, `provisionSteps` and `binnedFleet`, which must stay equal to it: test/cost/fleet.test.ts pins them; and in hours.wat's autoscale pass, which test/cost/hours-wasm.test.ts pins to them.) */
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


/**
 * Exact pass in hour order. Fills v.monthCost and v.provPath. O(hours), in two passes (or
 * O(hours) copies of a `kept` pass's):
 *
 *   1. `provision`: hour h + lag gets what hour h wanted, the first `lag` hours what hour 0
 *      wanted (the fleet starts provisioned); what the last `lag` hours want is never
 *      provisioned within the horizon, so it is not computed
 *   2. `autoscaleHours`: cold starts, peak, violations, served, replica-hours by month
 *
 * (One loop with a ring buffer for the lag cost a sixth more: its index arithmetic sat on
 * every hour. Each loop is a function of its own that ends with the loop: V8 compiles a long
 * loop while it runs (on-stack replacement), and code after it that had not run yet then lacks
 * type feedback and sends every later call back to the interpreter until the whole function is
 * compiled. test/cost/fleet.test.ts pins this pass to an hour-by-hour reference with the ring.)
 * Where `v.kernel` holds the arrays, the two passes run as WebAssembly (hours.wat's
 * `autoscale`, two hours at a time; kernel.ts), pinned to these two by
 * test/cost/hours-wasm.test.ts.
 */
export function exactAutoscale(v: HourlyView, t: ReplicaTrial, rule: AutoscaleRule, kept?: KeptPass): ExactFleet {
  const H = v.hours;
  const months = v.months;
  const HPM = v.hoursPerMonth;
  const mc = v.monthCost;
  const { K, Kraw } = t;
  const acc = HOURS_ACC;
  if (kept?.reuse) {
    v.provPath.set(kept.hours.subarray(0, H));
    mc.set(kept.months.subarray(0, months));
    acc.set(kept.acc.subarray(0, 4));
  } else {
    const lag = Math.min(rule.lagHours, v.ring.length - 1);
    const invKt = 1 / (K * rule.targetUtilisation);
    const k = v.kernel;
    if (k && H > 0 && k.holds(v.need) && k.holds(v.path) && k.holds(v.provPath)) {
      k.autoscale(v.need, v.path, v.provPath, H, HPM, lag, firstWant(v.need, invKt, rule), invKt, rule.minReplicas, rule.maxReplicas, rule.step, K, Kraw);
      mc.set(k.months.subarray(0, Math.min(Math.ceil(H / HPM), mc.length)));
      acc.set(k.acc.subarray(0, 4));
    } else {
      provision(v.need, v.provPath, H, lag, invKt, rule.minReplicas, rule.maxReplicas, rule.step, H > 0 ? firstWant(v.need, invKt, rule) : 0);
      autoscaleHours(v.path, v.need, v.provPath, H, HPM, K, Kraw, mc, acc);
    }
    if (kept) {
      if (kept.hours.length < H) kept.hours = new Float64Array(H);
      kept.hours.set(v.provPath.subarray(0, H));
      kept.months.set(mc.subarray(0, months));
      kept.acc.set(acc);
    }
  }
  const cold = acc[0]!;
  const peak = acc[1]!;
  const served = acc[2]!;
  const violations = acc[3]!;
  let provSum = 0;
  let provPriced = 0; // Σ_m prov_m · f_m
  for (let m = 0; m * HPM < H; m++) {
    provPriced += mc[m]! * v.gpuFactor[m]!;
    provSum += mc[m]!;
  }
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

/** What `autoscaleHours` returns: cold starts, peak, served, violation hours. */
const HOURS_ACC = new Float64Array(4);

/**
 * Replicas provisioned each hour: provPath[h + lag] = wantReplicas(need[h]) (inlined, the rule's
 * numbers unpacked: invKt = 1/(K·target)), provPath[0, lag) = `first`, what hour 0 wants
 * (`firstWant`). O(hours).
 */
/** What hour 0 wants (what the first `lag` hours are provisioned): wantReplicas inlined. O(1). */
function firstWant(need: Float64Array, invKt: number, rule: AutoscaleRule): number {
  let first = Math.ceil(need[0]! * invKt);
  if (first < rule.minReplicas) first = rule.minReplicas;
  if (rule.step !== 1) first = Math.ceil(first / rule.step) * rule.step;
  if (first > rule.maxReplicas) first = rule.maxReplicas;
  return first;
}

function provision(need: Float64Array, provPath: Float64Array, H: number, lag: number, invKt: number, minR: number, maxR: number, step: number, first: number): void {
  if (H === 0) return;
  for (let h = 0; h < lag && h < H; h++) provPath[h] = first;
  if (step === 1) provisionEach(need, provPath, H - lag, lag, invKt, minR, maxR);
  else provisionSteps(need, provPath, H - lag, lag, invKt, minR, maxR, step);
}

/** provPath[h + lag] for h < n, one replica per step. O(n). */
function provisionEach(need: Float64Array, provPath: Float64Array, n: number, lag: number, invKt: number, minR: number, maxR: number): void {
  for (let h = 0; h < n; h++) {
    let want = Math.ceil(need[h]! * invKt);
    if (want < minR) want = minR;
    if (want > maxR) want = maxR;
    provPath[h + lag] = want;
  }
}

/** provPath[h + lag] for h < n, rounded up to whole steps. O(n). */
function provisionSteps(need: Float64Array, provPath: Float64Array, n: number, lag: number, invKt: number, minR: number, maxR: number, step: number): void {
  for (let h = 0; h < n; h++) {
    let want = Math.ceil(need[h]! * invKt);
    if (want < minR) want = minR;
    want = Math.ceil(want / step) * step;
    if (want > maxR) want = maxR;
    provPath[h + lag] = want;
  }
}

/**
 * One pass over the provisioned hours: replica-hours per month into `monthProv`, and into
 * `acc` the cold starts (each rise of the fleet; none in the first hour), the peak, the
 * demand served (up to prov·Kraw an hour) and the violation hours (need > prov·K). O(hours).
 */
function autoscaleHours(path: Float64Array, need: Float64Array, provPath: Float64Array, H: number, HPM: number, K: number, Kraw: number, monthProv: Float64Array, acc: Float64Array): void {
  let prevProv = H > 0 ? provPath[0]! : 0;
  let cold = 0;
  let peak = 0;
  let served = 0;
  let violations = 0;
  let m = 0;
  let mEnd = HPM;
  let month = 0; // replica-hours so far this month
  for (let h = 0; h < H; h++) {
    if (h === mEnd) {
      monthProv[m++] = month;
      month = 0;
      mEnd += HPM;
    }
    const prov = provPath[h]!;
    // cold starts, branch-free: (x + |x|)/2 is exact for these whole numbers, and a branch on
    // the increase mispredicted about every other hour (it cost a third of the pass)
    const inc = prov - prevProv;
    cold += (inc + Math.abs(inc)) * 0.5;
    prevProv = prov;
    if (prov > peak) peak = prov;
    const d = path[h]!;
    const capRaw = prov * Kraw;
    if (need[h]! > prov * K) violations++;
    served += d < capRaw ? d : capRaw;
    month += prov;
  }
  monthProv[m] = month;
  acc[0] = cold;
  acc[1] = peak;
  acc[2] = served;
  acc[3] = violations;
}

/**
 * Replica-hours and peak of the binned demand at scale s. O(bins), or O(levels · log bins)
 * when the bins' needs rise with demand (`DemandBins.nzRising`, nearly always): then so does
 * what each bin wants, the peak is the last bin's want and the replica-hours are summed a run
 * of equal wants at a time (a run's hours from prefix sums, its end by bisection), which at
 * the scales the search visits near the break-even is a few runs instead of a hundred bins.
 * The sum is of whole numbers below 2^53 either way (checked), so exact in any order: the
 * same double as the bin-by-bin loop, which test/cost/fleet.test.ts pins.
 */
function binnedFleet(bins: DemandBins, t: ReplicaTrial, rule: AutoscaleRule, s: number, out: { provSum: number; peak: number }): void {
  const invKt = 1 / (t.K * rule.targetUtilisation);
  const a = s * invKt;
  const r = Math.sqrt(s) * invKt;
  const { minReplicas, maxReplicas, step } = rule;
  const count = bins.nzCount;
  const lin = bins.nzNeedLin;
  const root = bins.nzNeedRoot;
  const nz = bins.nz;
  if (bins.nzRising && nz > 0 && a >= 0 && r >= 0) {
    const top = binWant(lin, root, nz - 1, a, r, minReplicas, maxReplicas, step);
    if (top * bins.hours < 2 ** 53) {
      const pre = bins.nzPrefix;
      let provSum = 0;
      let i = 0;
      // a run per level while runs are long; the bins one by one once one is short (at large
      // scales every bin wants its own count, and bisecting would only add evaluations)
      for (let long = true; i < nz && long; ) {
        const w = binWant(lin, root, i, a, r, minReplicas, maxReplicas, step);
        let lo = i; // wants w
        if (w === top) lo = nz - 1;
        else {
          let hi = nz - 1; // wants more than w
          while (hi - lo > 1) {
            const mid = (lo + hi) >> 1;
            if (binWant(lin, root, mid, a, r, minReplicas, maxReplicas, step) === w) lo = mid;
            else hi = mid;
          }
        }
        provSum += w * (pre[lo + 1]! - pre[i]!);
        long = lo - i >= 4;
        i = lo + 1;
      }
      for (; i < nz; i++) provSum += count[i]! * binWant(lin, root, i, a, r, minReplicas, maxReplicas, step);
      out.provSum = provSum;
      out.peak = top > 0 ? top : 0;
      return;
    }
  }
  let provSum = 0;
  let peak = 0;
  for (let i = 0; i < nz; i++) {
    const want = binWant(lin, root, i, a, r, minReplicas, maxReplicas, step);
    provSum += count[i]! * want;
    if (want > peak) peak = want;
  }
  out.provSum = provSum;
  out.peak = peak;
}

/** What compacted bin i wants at scale s: wantReplicas(rule, need(s·d), K) with need(s·d) = s·lin + √s·root, a = s/(K·target), r = √s/(K·target). O(1). */
function binWant(lin: Float64Array, root: Float64Array, i: number, a: number, r: number, minR: number, maxR: number, step: number): number {
  let want = Math.ceil(a * lin[i]! + r * root[i]!);
  if (want < minR) want = minR;
  if (step !== 1) want = Math.ceil(want / step) * step;
  if (want > maxR) want = maxR;
  return want;
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
