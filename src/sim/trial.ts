/**
 * One Monte Carlo trial, the hot path. Per trial:
 *
 *   draw inputs → fill the hourly demand path (one reusable Float64Array) → bin it →
 *   API cost → per option: capacity per replica (perf model, TTFT bound, spot losses) →
 *   one exact pass over the hours at the scenario's volume (cost, utilisation, violations,
 *   overflow) → break-even search on the binned demand (no rescans of the hours).
 *
 * Break-even: demand is scaled by s; self-hosted cost C(s) is a non-decreasing step function,
 * API cost is s·A. The break-even scale is the smallest s from which C(s) < s·A for every
 * larger s: scan a log grid from the top down to the last s where self-hosting is not
 * cheaper, then bisect. C(s) is evaluated on the binned demand (O(bins)), since a fleet's
 * cost depends on the multiset of hourly demands, not their order (autoscaling's lag only
 * shifts hours; its cold-start cost is scaled from the exact pass).
 *
 * No allocation per hour; per trial only the few small objects of the perf model.
 */
import type { Plan, OptionPlan, PolicyPlan } from './plan.js';
import { trialRng, trialStream, sampleClamped } from '../distributions/index.js';
import { fillDemandPath, PEAK_MINUTE_Z, HOURS_PER_MONTH, type PathParams } from '../traffic/index.js';
import { mixCostPerCall, declineFactor, maxUtilisationForTtft } from '../cost/index.js';
import { replicaCapacity } from '../perf/index.js';
import { DEFAULTS } from '../defaults.js';
import { sum } from '../stats/index.js';
import { isCheaper, fixedBreakevenScale, breakevenScale } from './breakeven.js';

type AutoscalePolicy = Extract<PolicyPlan, { policy: 'autoscale' }>;
type HybridPolicy = Extract<PolicyPlan, { policy: 'hybrid' }>;

/** Per-option metrics kept for every trial (one Float64Array each). */
export const OPTION_METRICS = [
  'breakeven_tokens_per_month',
  'cost_total',
  'cost_per_million_tokens',
  'cost_per_month',
  'savings_per_month',
  'utilisation',
  'violation_hours',
  'overflow_share',
  'replicas',
  'payback_month',
  'cheaper',
  'feasible',
] as const;
export type OptionMetric = (typeof OPTION_METRICS)[number];
export const M = Object.fromEntries(OPTION_METRICS.map((m, i) => [m, i])) as Record<OptionMetric, number>;

export const GLOBAL_METRICS = ['volume_tokens_per_month', 'api_cost_total', 'api_cost_per_million_tokens', 'api_cost_per_month'] as const;
export const G = { volume: 0, apiTotal: 1, apiPerM: 2, apiPerMonth: 3 } as const;

/** Hours of spot capacity lost per interruption (replacement and reload). */
export const SPOT_RECOVERY_HOURS = 0.25;

/** Where one chunk of trials writes its results (flat arrays, transferable between threads). */
export interface ChunkBuffers {
  start: number;
  end: number;
  /** [option][metric][trial - start] */
  metrics: Float64Array;
  /** [global metric][trial - start] */
  global: Float64Array;
  /** [input][trial - start] */
  inputs: Float64Array;
  /** subsample (trials < plan's subsample size): [(options+1) × grid] per trial */
  fan: Float64Array;
  /** [(options+1) × months] per trial: cumulative cost at each month end */
  cumulative: Float64Array;
  /** [options × 168] per trial: mean utilisation by hour of week */
  how: Float64Array;
  /** trial 0 only: [168 demand, options × 168 capacity] tokens/hour */
  week: Float64Array;
  /** per option: the reason of the chunk's first infeasible trial ('' if none) */
  reasons: string[];
}

export function subsampleSize(plan: Plan): number {
  return Math.min(plan.trials, plan.subsampleTrials ?? DEFAULTS.subsampleTrials);
}

export function allocChunk(plan: Plan, start: number, end: number): ChunkBuffers {
  const n = end - start;
  const O = plan.options.length;
  const sub = Math.max(0, Math.min(end, subsampleSize(plan)) - start);
  return {
    start,
    end,
    metrics: new Float64Array(O * OPTION_METRICS.length * n),
    global: new Float64Array(GLOBAL_METRICS.length * n),
    inputs: new Float64Array(plan.inputs.length * n),
    fan: new Float64Array(sub * (O + 1) * plan.grid.length),
    cumulative: new Float64Array(sub * (O + 1) * plan.months),
    how: new Float64Array(sub * O * 168),
    week: new Float64Array(start === 0 && end > 0 ? 168 * (O + 1) : 0),
    reasons: plan.options.map(() => ''),
  };
}

interface OptionTrial {
  feasible: boolean;
  /** requests/hour one replica serves within the SLO (sizing capacity) */
  K: number;
  /** requests/hour one replica serves at full batch (utilisation denominator) */
  Kraw: number;
  /** $ per replica-hour */
  cRep: number;
  /** owned: capex per replica (upfront cash), power $ per replica-hour */
  capexPerReplica: number;
  powerPerHour: number;
  /** multiplier on fleet cost for reserved commitments longer than the horizon */
  commitMult: number;
  /** fixed fleets: the demand quantile the fleet is sized to (this trial) */
  peakQ: number;
}

/** What an exact pass returns. */
interface Exact {
  cost: number;
  utilisation: number;
  violations: number;
  overflow: number;
  replicas: number;
  coldIncrements: number;
  /** replicas every hour, or NaN when they vary by hour (then in provPath) */
  fleet: number;
  /** requests/hour a replica serves when counting utilisation: Kraw, or K for hybrid (overflow above B·K) */
  servePerReplica: number;
}

export class TrialRunner {
  private readonly plan: Plan;
  private readonly path: Float64Array;
  /** provisioning need per hour (peak minute), shared by every option */
  private readonly needPath: Float64Array;
  /** autoscale: replicas provisioned per hour (for the hour-of-week pass) */
  private readonly provPath: Float64Array;
  private readonly binCount: Float64Array;
  private readonly binSum: Float64Array;
  private readonly binRep: Float64Array;
  /**
   * The non-empty bins, compacted, for the autoscale cost at scale s: count, and the
   * provisioning need of the bin's mean demand d at scale s as s·needLin + √s·needRoot
   * (d·ptm, or d + z·√(60·d) split into its linear and square-root parts).
   */
  private readonly nzCount: Float64Array;
  private readonly nzNeedLin: Float64Array;
  private readonly nzNeedRoot: Float64Array;
  private nz = 0;
  /** suffix sums over bins: hours and demand in bins i.. */
  private readonly sufCount: Float64Array;
  private readonly sufSum: Float64Array;
  private readonly monthDemand: Float64Array;
  private readonly monthCost: Float64Array;
  private readonly monthOverflow: Float64Array;
  private readonly monthApi: Float64Array;
  private readonly decline: Float64Array;
  private readonly x: Float64Array;
  private readonly ring: Float64Array;
  private readonly howSum: Float64Array;
  private readonly howCap: Float64Array;
  private readonly hourOfWeek: Float64Array;
  private readonly trace: Float64Array | null;
  // per-trial state read by the cost functions
  private binMin = 0;
  private binWidth = 1;
  private nBins: number;
  private ptm: number | null = null;
  private apiPerCall = 0;

  constructor(plan: Plan) {
    this.plan = plan;
    this.path = new Float64Array(plan.hours);
    this.needPath = new Float64Array(plan.hours);
    this.provPath = new Float64Array(plan.hours);
    this.nBins = DEFAULTS.bins;
    this.binCount = new Float64Array(this.nBins);
    this.binSum = new Float64Array(this.nBins);
    this.binRep = new Float64Array(this.nBins);
    this.nzCount = new Float64Array(this.nBins);
    this.nzNeedLin = new Float64Array(this.nBins);
    this.nzNeedRoot = new Float64Array(this.nBins);
    this.sufCount = new Float64Array(this.nBins + 1);
    this.sufSum = new Float64Array(this.nBins + 1);
    this.monthDemand = new Float64Array(plan.months);
    this.monthCost = new Float64Array(plan.months);
    this.monthOverflow = new Float64Array(plan.months);
    this.monthApi = new Float64Array(plan.months);
    this.decline = new Float64Array(plan.months);
    this.x = new Float64Array(plan.inputs.length);
    this.ring = new Float64Array(32);
    this.howSum = new Float64Array(168);
    this.howCap = new Float64Array(168);
    this.hourOfWeek = Float64Array.from(plan.hourOfWeek);
    this.trace = plan.trace ? Float64Array.from(plan.trace) : null;
  }

  /** Run trial `i`, writing into `out` at position i - out.start. */
  run(i: number, out: ChunkBuffers): void {
    const plan = this.plan;
    const { idx } = plan;
    const n = out.end - out.start;
    const k = i - out.start;
    const x = this.x;

    // 1. inputs: stream 0 of trial i
    const rng = trialRng(plan.seed, i, 0);
    for (let j = 0; j < plan.inputs.length; j++) {
      x[j] = sampleClamped(plan.inputs[j]!.spec, rng);
      out.inputs[j * n + k] = x[j]!;
    }
    const inTok = x[idx.inputTokens]!;
    const outTok = x[idx.outputTokens]!;
    const tokensPerCall = inTok + outTok;
    this.ptm = plan.peakToMeanAuto ? null : x[idx.peakToMean]!;

    // 2. demand path: stream 1 of trial i
    const pathRng = trialStream(plan.seed, i, 1);
    const burstSize = x[idx.burstSize]!;
    const burstHours = x[idx.burstHours]!;
    const params: PathParams = {
      baseRequestsPerHour: x[idx.requestsPerDay]! / 24,
      growthMonthly: x[idx.growthMonthly]!,
      hourOfWeek: this.hourOfWeek,
      noiseCv: x[idx.noiseCv]!,
      noiseAutocorrelation: x[idx.noiseAutocorrelation]!,
      bursts: plan.hasBursts ? { ratePerMonth: x[idx.burstRate]!, draw: () => ({ size: burstSize, hours: burstHours }) } : null,
      trace: this.trace,
    };
    const H = plan.hours;
    const stats = fillDemandPath(this.path, H, params, pathRng, this.monthDemand);
    this.binDemand(stats.min, stats.max);

    // 3. API cost, with the price decline per month
    const months = plan.months;
    for (let m = 0; m < months; m++) this.decline[m] = declineFactor(x[idx.priceDecline]!, m);
    const totalCalls = stats.sum; // Σ of the month sums, compensated
    this.apiPerCall = mixCostPerCall(plan.apiMix, {
      inputTokens: inTok,
      outputTokens: outTok,
      cacheHitRate: x[idx.cacheHitRate]!,
      cacheWriteRate: x[idx.cacheWriteRate]!,
      batchShare: x[idx.batchShare]!,
      retryOverhead: x[idx.retryOverhead]!,
      longContextShare: x[idx.longContextShare]!,
    });
    for (let m = 0; m < months; m++) this.monthApi[m] = this.monthDemand[m]! * this.apiPerCall * this.decline[m]!;
    const A = sum(this.monthApi.subarray(0, months));
    const apiPerCallEff = totalCalls > 0 ? A / totalCalls : this.apiPerCall;
    const volume = (totalCalls * tokensPerCall) / months;
    out.global[G.volume * n + k] = volume;
    out.global[G.apiTotal * n + k] = A;
    out.global[G.apiPerM * n + k] = totalCalls > 0 ? (A / (totalCalls * tokensPerCall)) * 1e6 : 0;
    out.global[G.apiPerMonth * n + k] = A / months;

    const inSub = i < subsampleSize(plan);
    const O = plan.options.length;
    const sub = inSub ? i - out.start : -1;
    if (inSub) {
      // API fan and cumulative series (slot O)
      const gridN = plan.grid.length;
      for (let g = 0; g < gridN; g++) {
        const s = volume > 0 ? plan.grid[g]! / volume : 0;
        out.fan[(sub * (O + 1) + O) * gridN + g] = (s * A) / months;
      }
      let cum = 0;
      for (let m = 0; m < months; m++) {
        cum += this.monthDemand[m]! * this.apiPerCall * this.decline[m]!;
        out.cumulative[(sub * (O + 1) + O) * months + m] = cum;
      }
    }
    if (i === 0) {
      for (let h = 0; h < 168; h++) out.week[h] = (this.path[h] ?? 0) * tokensPerCall;
    }

    // 4. options
    const opsTotal = x[idx.opsPerMonth]! * months;
    for (let o = 0; o < O; o++) {
      const op = plan.options[o]!;
      const base = o * OPTION_METRICS.length * n;
      const put = (metric: number, v: number) => {
        out.metrics[base + metric * n + k] = v;
      };
      const ot = this.optionTrial(op, x, out, o);
      if (!ot.feasible) {
        for (let m = 0; m < OPTION_METRICS.length; m++) put(m, NaN);
        put(M.cheaper, 0);
        put(M.feasible, 0);
        continue;
      }
      const r = this.exactPass(op, ot, opsTotal, inSub, i === 0 ? out.week : null, o, tokensPerCall);
      const cost = r.cost;
      put(M.cost_total, cost);
      put(M.cost_per_million_tokens, totalCalls > 0 ? (cost / (totalCalls * tokensPerCall)) * 1e6 : NaN);
      put(M.cost_per_month, cost / months);
      put(M.savings_per_month, (A - cost) / months);
      put(M.utilisation, r.utilisation);
      put(M.violation_hours, r.violations);
      put(M.overflow_share, totalCalls > 0 ? r.overflow / totalCalls : 0);
      put(M.replicas, r.replicas);
      put(M.cheaper, isCheaper(cost, A) ? 1 : 0);
      put(M.feasible, 1);
      put(M.payback_month, op.pricing === 'owned' ? this.payback(ot, r.replicas) : NaN);

      const costAt = (s: number) => this.costAt(op, ot, s, opsTotal, apiPerCallEff, r.coldIncrements);
      const beScale =
        op.policy.policy === 'fixed'
          ? fixedBreakevenScale({
              fleetHourCost: ot.cRep * H * ot.commitMult,
              opsTotal,
              apiTotal: A,
              replicaCapacity: ot.K,
              peakDemand: ot.peakQ,
              peakToMean: this.ptm,
            })
          : breakevenScale(costAt, A);
      put(M.breakeven_tokens_per_month, Number.isNaN(beScale) ? NaN : beScale * volume);

      if (inSub) {
        const gridN = plan.grid.length;
        for (let g = 0; g < gridN; g++) {
          const s = volume > 0 ? plan.grid[g]! / volume : 0;
          out.fan[(sub * (O + 1) + o) * gridN + g] = costAt(s) / months;
        }
        // cumulative (cash) cost by month end; owned pays capex up front
        let cum = op.pricing === 'owned' ? r.replicas * ot.capexPerReplica : 0;
        for (let m = 0; m < months; m++) {
          cum += this.monthCost[m]!;
          out.cumulative[(sub * (O + 1) + o) * months + m] = cum;
        }
        for (let h = 0; h < 168; h++) out.how[(sub * O + o) * 168 + h] = this.howCap[h]! > 0 ? this.howSum[h]! / this.howCap[h]! : 0;
      }
    }
  }

  /** Histogram of the trial's hourly demand: counts and sums per linear bin over [min, max]. */
  private binDemand(min: number, max: number): void {
    const nb = this.nBins;
    this.binCount.fill(0);
    this.binSum.fill(0);
    const width = max > min ? (max - min) / nb : 1;
    const inv = 1 / width;
    this.binMin = min;
    this.binWidth = width;
    const path = this.path;
    const need = this.needPath;
    const H = this.plan.hours;
    const ptm = this.ptm;
    const zr = PEAK_MINUTE_Z * Math.sqrt(60);
    const binCount = this.binCount;
    const binSum = this.binSum;
    for (let h = 0; h < H; h++) {
      const d = path[h]!;
      need[h] = ptm === null ? d + zr * Math.sqrt(d) : d * ptm;
      let b = ((d - min) * inv) | 0;
      if (b >= nb) b = nb - 1;
      binCount[b]!++;
      binSum[b] += d;
    }
    let nz = 0;
    for (let b = 0; b < nb; b++) {
      const c = binCount[b]!;
      const rep = c > 0 ? binSum[b]! / c : 0;
      this.binRep[b] = rep;
      if (c === 0) continue;
      this.nzCount[nz] = c;
      this.nzNeedLin[nz] = ptm === null ? rep : rep * ptm;
      this.nzNeedRoot[nz] = ptm === null ? zr * Math.sqrt(rep) : 0;
      nz++;
    }
    this.nz = nz;
    this.sufCount[nb] = 0;
    this.sufSum[nb] = 0;
    for (let b = nb - 1; b >= 0; b--) {
      this.sufCount[b] = this.sufCount[b + 1]! + binCount[b]!;
      this.sufSum[b] = this.sufSum[b + 1]! + binSum[b]!;
    }
  }

  /**
   * Σ_h max(0, d_h - t) from the bins in O(1): every bin above t's bin counts whole (suffix
   * sums); t's own bin counts through its mean.
   */
  private excessOver(t: number): number {
    if (t <= this.binMin) return this.sufSum[0]! - t * this.sufCount[0]!;
    let j = Math.floor((t - this.binMin) / this.binWidth);
    if (j >= this.nBins) return 0;
    if (j < 0) j = 0;
    let v = this.sufSum[j + 1]! - t * this.sufCount[j + 1]!;
    const rep = this.binRep[j]!;
    if (rep > t) v += this.binCount[j]! * (rep - t);
    return v;
  }

  /** q-quantile of hourly demand from the bins, interpolated within the bin. */
  private demandQuantile(q: number): number {
    const H = this.plan.hours;
    const target = q * H;
    let cum = 0;
    for (let b = 0; b < this.nBins; b++) {
      const c = this.binCount[b]!;
      if (cum + c >= target && c > 0) {
        const frac = (target - cum) / c;
        return this.binMin + (b + frac) * this.binWidth;
      }
      cum += c;
    }
    return this.binMin + this.nBins * this.binWidth;
  }

  private optionTrial(op: OptionPlan, x: Float64Array, out: ChunkBuffers, o: number): OptionTrial {
    const plan = this.plan;
    const { idx } = plan;
    const bad: OptionTrial = { feasible: false, K: 0, Kraw: 0, cRep: 0, capexPerReplica: 0, powerPerHour: 0, commitMult: 1, peakQ: 0 };
    if (op.infeasibleReason) {
      out.reasons[o] = op.infeasibleReason;
      return bad;
    }
    const inTok = x[idx.inputTokens]!;
    const outTok = x[idx.outputTokens]!;
    const cap = replicaCapacity(
      { hardware: op.hardware, model: plan.model, weights: op.weights, kvCache: op.kvCache, tp: op.tp },
      { inputTokens: inTok, outputTokens: outTok, tpotMs: plan.tpotMs ?? undefined, engineEfficiency: x[idx.engineEfficiency]! },
    );
    if (!cap.feasible) {
      out.reasons[o] ||= cap.reason; // the first in trial order: independent of chunking
      return bad;
    }
    const Kraw = cap.requestsPerS * 3600;
    let umax = 1;
    if (plan.ttftMs !== null) {
      const prefillS = inTok / cap.prefillTokensPerS;
      const serviceS = prefillS + (outTok * cap.stepMs) / 1000;
      const u = maxUtilisationForTtft({ slots: cap.batch, serviceS, prefillS, ttftS: plan.ttftMs / 1000 });
      if (!u.feasible) {
        out.reasons[o] ||= u.reason;
        return bad;
      }
      umax = u.maxUtilisation;
    }
    const spotLoss = op.pricing === 'spot' ? Math.min(0.5, x[op.spotRateInput]! * op.tp * SPOT_RECOVERY_HOURS) : 0;
    const K = Kraw * umax * (1 - spotLoss);
    let cRep: number;
    let capexPerReplica = 0;
    let powerPerHour = 0;
    let commitMult = 1;
    if (op.pricing === 'owned') {
      const capex = x[op.capexInput]!;
      const residual = x[idx.residualValue]!;
      capexPerReplica = capex * op.tp;
      powerPerHour = ((op.hardware.power_w ?? 700) / 1000) * x[idx.pue]! * x[idx.usdPerKwh]! * op.tp;
      cRep = (capexPerReplica * (1 - residual)) / (plan.amortisationMonths * HOURS_PER_MONTH) + powerPerHour;
    } else {
      cRep = x[op.priceInput]! * op.tp;
      if (op.pricing === 'reserved') commitMult = Math.max(1, op.reservedTermMonths / plan.months);
    }
    const peakQ = op.policy.policy === 'fixed' ? this.demandQuantile(op.policy.peakQuantile) : 0;
    return { feasible: true, K, Kraw, cRep, capexPerReplica, powerPerHour, commitMult, peakQ };
  }

  private need(d: number): number {
    return this.ptm === null ? d + PEAK_MINUTE_Z * Math.sqrt(60 * d) : d * this.ptm;
  }

  /**
   * The exact pass over every hour at the scenario's volume: cost, utilisation, violation
   * hours, overflow; fills monthCost (cash per month, excl. owned capex) and, for subsample
   * trials, utilisation by hour of week and (trial 0) the week chart's capacity.
   *
   * One small method per policy, each one loop with nothing in it that this trial does not
   * need: the hour-of-week accumulation runs as its own pass for subsample trials only (a
   * never-taken branch inside the loop cost the optimiser ~2 ns per hour).
   */
  private exactPass(op: OptionPlan, ot: OptionTrial, opsTotal: number, inSub: boolean, week: Float64Array | null, o: number, tokensPerCall: number): Exact {
    const pol = op.policy;
    this.monthCost.fill(0);
    const r =
      pol.policy === 'fixed'
        ? this.exactFixed(op, ot, opsTotal)
        : pol.policy === 'autoscale'
          ? this.exactAutoscale(op, pol, ot, opsTotal)
          : this.exactHybrid(op, pol, ot, opsTotal);
    if (inSub) this.hourOfWeekUtilisation(r.fleet, r.servePerReplica, ot.Kraw);
    if (week) {
      const weekCap = week.subarray(168 * (o + 1), 168 * (o + 2));
      const perReplica = ot.K * tokensPerCall;
      for (let h = 0; h < 168; h++) weekCap[h] = (Number.isNaN(r.fleet) ? this.provPath[h]! : r.fleet) * perReplica;
    }
    return r;
  }

  /** Fixed fleet: N replicas sized to the trial's peak-quantile hour, all hours. */
  private exactFixed(op: OptionPlan, ot: OptionTrial, opsTotal: number): Exact {
    const H = this.plan.hours;
    const months = this.plan.months;
    const path = this.path;
    const need = this.needPath;
    const { K, Kraw, cRep } = ot;
    const N = Math.max(1, Math.ceil(this.need(ot.peakQ) / K));
    const capSlo = N * K;
    const capRaw = N * Kraw;
    let served = 0;
    let violations = 0;
    for (let h = 0; h < H; h++) {
      const d = path[h]!;
      if (need[h]! > capSlo) violations++;
      served += d < capRaw ? d : capRaw;
    }
    const capacity = capRaw * H;
    const monthly = (op.pricing === 'owned' ? N * ot.powerPerHour : N * cRep * ot.commitMult) * HOURS_PER_MONTH + opsTotal / months;
    this.monthCost.fill(monthly, 0, months);
    const cost = N * cRep * H * ot.commitMult + opsTotal;
    return { cost, utilisation: capacity > 0 ? served / capacity : 0, violations, overflow: 0, replicas: N, coldIncrements: 0, fleet: N, servePerReplica: Kraw };
  }

  /**
   * Autoscaled fleet: each hour wants ceil(need / (K × target)) replicas (min, step, max) and
   * gets what it wanted `lag` hours earlier; every increase is a cold start. The provisioned
   * count per hour is kept in provPath for the hour-of-week pass.
   */
  private exactAutoscale(op: OptionPlan, pol: AutoscalePolicy, ot: OptionTrial, opsTotal: number): Exact {
    const H = this.plan.hours;
    const months = this.plan.months;
    const path = this.path;
    const need = this.needPath;
    const provPath = this.provPath;
    const mc = this.monthCost;
    const ring = this.ring;
    const { K, Kraw, cRep } = ot;
    const lag = Math.min(pol.lagHours, ring.length - 1);
    const ringLen = lag + 1;
    const step = pol.step;
    const invKt = 1 / (K * pol.targetUtilisation);
    const minR = pol.minReplicas;
    const maxR = pol.maxReplicas;
    const hourCost = op.pricing === 'owned' ? ot.powerPerHour : cRep;
    let wIdx = 0; // ring slot of hour h
    let m = 0;
    let mEnd = HOURS_PER_MONTH;
    let monthProv = 0; // replica-hours so far this month
    let provSum = 0;
    let prevProv = -1;
    let cold = 0;
    let peak = 0;
    let served = 0;
    let violations = 0;
    for (let h = 0; h < H; h++) {
      const d = path[h]!;
      const nd = need[h]!;
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
      if (prov > prevProv && prevProv >= 0) cold += prov - prevProv;
      prevProv = prov;
      if (prov > peak) peak = prov;
      const capRaw = prov * Kraw;
      if (nd > prov * K) violations++;
      served += d < capRaw ? d : capRaw;
      if (h === mEnd) {
        mc[m++] = monthProv * hourCost;
        provSum += monthProv;
        monthProv = 0;
        mEnd += HOURS_PER_MONTH;
      }
      monthProv += prov;
    }
    mc[m] = monthProv * hourCost;
    provSum += monthProv;
    const capacity = provSum * Kraw;
    const coldCost = cold * pol.coldStartHours * cRep;
    let fleetCost: number;
    if (op.pricing === 'reserved') fleetCost = peak * cRep * H * ot.commitMult;
    else if (op.pricing === 'owned') fleetCost = peak * (cRep - ot.powerPerHour) * H + provSum * ot.powerPerHour;
    else fleetCost = provSum * cRep;
    const extra = opsTotal / months + coldCost / months;
    for (let mm = 0; mm < months; mm++) mc[mm] += extra;
    const cost = fleetCost + coldCost + opsTotal;
    return { cost, utilisation: capacity > 0 ? served / capacity : 0, violations, overflow: 0, replicas: provSum / H, coldIncrements: cold, fleet: NaN, servePerReplica: Kraw };
  }

  /** Hybrid: a base fleet of B replicas serves up to B·K an hour; the rest goes to the API. */
  private exactHybrid(op: OptionPlan, pol: HybridPolicy, ot: OptionTrial, opsTotal: number): Exact {
    const H = this.plan.hours;
    const months = this.plan.months;
    const path = this.path;
    const { K, Kraw, cRep } = ot;
    const B = this.hybridBase(pol.baseReplicas, K, cRep * ot.commitMult, 1, opsTotal, this.apiPerCall);
    const capB = B * K;
    const capRaw = B * Kraw;
    const mo = this.monthOverflow;
    let m = 0;
    let mEnd = HOURS_PER_MONTH;
    let monthOver = 0;
    let comp = 0; // Neumaier compensation of monthOver
    let served = 0;
    for (let h = 0; h < H; h++) {
      if (h === mEnd) {
        mo[m++] = monthOver + comp;
        monthOver = 0;
        comp = 0;
        mEnd += HOURS_PER_MONTH;
      }
      const d = path[h]!;
      const over = d > capB ? d - capB : 0;
      const t = monthOver + over;
      comp += monthOver >= over ? monthOver - t + over : over - t + monthOver;
      monthOver = t;
      served += d - over;
    }
    mo[m] = monthOver + comp;
    const overflow = sum(mo.subarray(0, months));
    const capacity = capRaw * H;
    const monthApi = this.monthApi;
    for (let mm = 0; mm < months; mm++) monthApi[mm] = mo[mm]! * this.apiPerCall * this.decline[mm]!;
    const cost = B * cRep * H * ot.commitMult + (B > 0 ? opsTotal : 0) + sum(monthApi.subarray(0, months));
    const fleetMonth = (op.pricing === 'owned' ? B * ot.powerPerHour : B * cRep * ot.commitMult) * HOURS_PER_MONTH + (B > 0 ? opsTotal / months : 0);
    for (let mm = 0; mm < months; mm++) this.monthCost[mm] = fleetMonth + monthApi[mm]!;
    return { cost, utilisation: capacity > 0 ? served / capacity : 0, violations: 0, overflow, replicas: B, coldIncrements: 0, fleet: B, servePerReplica: K };
  }

  /**
   * Subsample trials: mean utilisation by hour of week (served / capacity, both summed over
   * the weeks). `fleet` replicas every hour, or provPath's count per hour when NaN; each
   * replica serves up to `servePerReplica` requests an hour and offers Kraw.
   */
  private hourOfWeekUtilisation(fleet: number, servePerReplica: number, Kraw: number): void {
    const H = this.plan.hours;
    const path = this.path;
    const provPath = this.provPath;
    const howSum = this.howSum;
    const howCap = this.howCap;
    const perHour = Number.isNaN(fleet);
    howSum.fill(0);
    howCap.fill(0);
    let w = 0;
    for (let h = 0; h < H; h++) {
      const n = perHour ? provPath[h]! : fleet;
      const d = path[h]!;
      const lim = n * servePerReplica;
      howSum[w] += d < lim ? d : lim;
      howCap[w] += n * Kraw;
      if (++w === 168) w = 0;
    }
  }

  /**
   * Hybrid base fleet at demand scale s. "auto": the cost-minimising size: add replicas while
   * the API spend a replica would absorb exceeds its cost (the marginal saving falls with
   * each replica, so the first replica that does not pay for itself ends the search), then
   * keep the fleet only if it beats sending everything to the API (fixed ops cost included).
   */
  private hybridBase(base: number | 'auto', K: number, cRepEff: number, s: number, opsTotal: number, apiPerCall: number): number {
    if (base !== 'auto') return base;
    if (!(s > 0) || !(K > 0)) return 0;
    const H = this.plan.hours;
    const replicaCost = cRepEff * H;
    // API spend absorbed by the b-th replica: Σ_h clamp(s·d_h - (b-1)K, 0, K) · price
    //   = s · (excess over (b-1)K/s  -  excess over bK/s) · price
    const saving = (b: number) => s * (this.excessOver(((b - 1) * K) / s) - this.excessOver((b * K) / s)) * apiPerCall;
    if (saving(1) < replicaCost) return 0;
    let lo = 1;
    let hi = Math.max(1, Math.ceil((s * (this.binMin + this.nBins * this.binWidth)) / K));
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (saving(mid) >= replicaCost) lo = mid;
      else hi = mid - 1;
    }
    // fixed ops cost: only worth it if the fleet saves more than ops in total; the first
    // `lo` replicas absorb s·(Σd - excess over lo·K/s)
    const absorbed = s * (this.sufSum[0]! - this.excessOver((lo * K) / s)) * apiPerCall;
    return absorbed - lo * replicaCost > opsTotal ? lo : 0;
  }

  /** Self-hosted cost over the horizon at demand scale s, from the binned demand. O(bins). */
  private costAt(op: OptionPlan, ot: OptionTrial, s: number, opsTotal: number, apiPerCallEff: number, coldIncrements1: number): number {
    const pol = op.policy;
    const H = this.plan.hours;
    const { K, cRep } = ot;
    if (pol.policy === 'fixed') {
      const N = Math.max(1, Math.ceil(this.need(s * ot.peakQ) / K));
      return N * cRep * H * ot.commitMult + opsTotal;
    }
    if (pol.policy === 'autoscale') {
      const invKt = 1 / (K * pol.targetUtilisation);
      const a = s * invKt;
      const r = Math.sqrt(s) * invKt;
      const { minReplicas, maxReplicas, step } = pol;
      const count = this.nzCount;
      const lin = this.nzNeedLin;
      const root = this.nzNeedRoot;
      let provSum = 0;
      let peak = 0;
      for (let i = 0; i < this.nz; i++) {
        let want = Math.ceil(a * lin[i]! + r * root[i]!);
        if (want < minReplicas) want = minReplicas;
        if (step !== 1) want = Math.ceil(want / step) * step;
        if (want > maxReplicas) want = maxReplicas;
        provSum += count[i]! * want;
        if (want > peak) peak = want;
      }
      const cold = coldIncrements1 * s * pol.coldStartHours * cRep;
      let fleet: number;
      if (op.pricing === 'reserved') fleet = peak * cRep * H * ot.commitMult;
      else if (op.pricing === 'owned') fleet = peak * (cRep - ot.powerPerHour) * H + provSum * ot.powerPerHour;
      else fleet = provSum * cRep;
      return fleet + cold + opsTotal;
    }
    const B = this.hybridBase(pol.baseReplicas, K, cRep * ot.commitMult, s, opsTotal, apiPerCallEff);
    const over = s > 0 ? s * this.excessOver((B * K) / s) : 0;
    return B * cRep * H * ot.commitMult + (B > 0 ? opsTotal : 0) + over * apiPerCallEff;
  }

  /**
   * Owned hardware: the month in which cumulative API spend avoided covers the capex paid up
   * front plus running costs; extrapolated at the last month's rate past the horizon
   * (NaN when savings never cover it).
   */
  private payback(ot: OptionTrial, replicas: number): number {
    const capex = replicas * ot.capexPerReplica;
    let cumNet = 0;
    let lastNet = 0;
    for (let m = 0; m < this.plan.months; m++) {
      const api = this.monthDemand[m]! * this.apiPerCall * this.decline[m]!;
      lastNet = api - this.monthCost[m]!;
      if (cumNet + lastNet >= capex) return m + (capex - cumNet) / lastNet;
      cumNet += lastNet;
    }
    if (lastNet <= 0) return NaN;
    const m = this.plan.months + (capex - cumNet) / lastNet;
    return m <= DEFAULTS.maxPaybackMonths ? m : NaN;
  }
}
