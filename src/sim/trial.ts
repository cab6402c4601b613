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
 * shifts hours; its cold-start cost scales with its replica-hours above the floor).
 *
 * The fleet economics (each policy's exact pass and C(s), pricing, capacity need) live in
 * src/cost/fleet/; this file draws, fills the shared buffers, calls them and records.
 *
 * SLO (DESIGN §4b): per option and trial, attainment = 1 - violation hours / hours (a
 * hybrid's overflow goes to the API, priced: attainment 1). A trial counts as "cheaper"
 * only if the option costs less than the API AND its attainment reaches the target.
 *
 * No allocation per hour; per trial and option only a few small objects (the perf model's
 * capacity, the replica's price, the exact pass's result, the C(s) closure).
 */
import type { Plan, OptionPlan } from './plan.js';
import { streamName } from './stream-name.js';
import { trialStream, sampleClamped, KeyedStream, streamKey, type StreamKey } from '../distributions/index.js';
import { DemandKernel, pathShape, PEAK_MINUTE_Z, HOURS_PER_MONTH, type PathParams, type BurstParams } from '../traffic/index.js';
import {
  mixCostPerCall,
  declineFactor,
  ownedReplicaHour,
  upfrontCash,
  servableDemand,
  DemandBins,
  fixedReplicas,
  fixedReplicaCost,
  exactFixed,
  fixedCostAt,
  periodLevels,
  resizePeriods,
  exactResized,
  resizedCost,
  exactAutoscale,
  autoscaleCostAt,
  hybridBase,
  exactHybrid,
  hybridCostAt,
  exactExisting,
  existingCostAt,
  batchRuns,
  serveBatch,
  deferredTrial,
  startDeferredTrial,
  deferredOption,
  needOf,
  hourOfWeekUse,
  FleetKernel,
  fleetKernelBytes,
  type ScaledFleet,
  type KeptPass,
  type DeferredTrial,
  type DeferredFleet,
  type HourlyView,
  type ReplicaTrial,
  type ExactFleet,
  type FleetPrice,
} from '../cost/index.js';
import { replicaCapacity, ttftUtilisation } from '../perf/index.js';
import { DEFAULTS } from '../defaults.js';
import { sum } from '../stats/index.js';
import { isCheaper, meetsAttainment, fixedBreakevenScale, breakevenScale } from './breakeven.js';
import { M, G, V, VG, OPTION_METRICS, GLOBAL_METRICS, VS_METRICS, VS_GLOBAL_METRICS } from './metrics.js';

export { OPTION_METRICS, GLOBAL_METRICS, VS_METRICS, VS_GLOBAL_METRICS, type OptionMetric } from './metrics.js';

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
  /** extra baselines (compare_apis): [option][baseline][VS_METRICS][trial - start] */
  vs: Float64Array;
  /** [baseline][VS_GLOBAL_METRICS][trial - start] */
  vsGlobal: Float64Array;
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

/**
 * A chunk's buffers, sized for `plan` and trials [start, end). O(trials × outputs).
 *
 * Built by a constructor, not returned as an object literal: V8 builds a literal from a
 * boilerplate from its second run on, and that boilerplate widens the fields' recorded types
 * (each Float64Array field from "a Float64Array" to "anything"), which throws away the
 * optimised code of every function that read those fields, `run` included. A thread allocates
 * its second chunk only after `run` has been optimised, so each thread compiled `run` twice
 * (~60-130 ms each). Instances made by one constructor keep the narrow types.
 */
class Chunk implements ChunkBuffers {
  readonly start: number;
  readonly end: number;
  readonly metrics: Float64Array;
  readonly global: Float64Array;
  readonly inputs: Float64Array;
  readonly vs: Float64Array;
  readonly vsGlobal: Float64Array;
  readonly fan: Float64Array;
  readonly cumulative: Float64Array;
  readonly how: Float64Array;
  readonly week: Float64Array;
  readonly reasons: string[];

  constructor(plan: Plan, start: number, end: number) {
    const n = end - start;
    const O = plan.options.length;
    const sub = Math.max(0, Math.min(end, subsampleSize(plan)) - start);
    this.start = start;
    this.end = end;
    this.metrics = new Float64Array(O * OPTION_METRICS.length * n);
    this.global = new Float64Array(GLOBAL_METRICS.length * n);
    this.inputs = new Float64Array(plan.inputs.length * n);
    this.vs = new Float64Array(O * plan.compareApis.length * VS_METRICS.length * n);
    this.vsGlobal = new Float64Array(plan.compareApis.length * VS_GLOBAL_METRICS.length * n);
    this.fan = new Float64Array(sub * (O + 1) * plan.grid.length);
    this.cumulative = new Float64Array(sub * (O + 1) * plan.months);
    this.how = new Float64Array(sub * O * 168);
    this.week = new Float64Array(start === 0 && end > 0 ? 168 * (O + 1) : 0);
    this.reasons = plan.options.map(() => '');
  }
}

export function allocChunk(plan: Plan, start: number, end: number): ChunkBuffers {
  return new Chunk(plan, start, end);
}

/** A trial's shared buffers as the fleet policies read them (fields refreshed per trial). */
type View = { -readonly [F in keyof HourlyView]: HourlyView[F] };

/** One slot's last hour pass (TrialRunner `keptPass`): the pass and the trial and capacities it is for. */
interface SharedPass extends KeptPass {
  trial: number;
  /** the capacities its loop read (NaN: unused) */
  keys: Float64Array;
}

export class TrialRunner {
  private readonly plan: Plan;
  private readonly path: Float64Array;
  private readonly bins: DemandBins;
  private readonly view: View;
  private readonly monthDemand: Float64Array;
  private readonly monthApi: Float64Array;
  /** batch jobs: API spend per month, the API's standard $ per item per month, $ of missed items sent to the API per month (all 0 without batch jobs) */
  private readonly monthBatch: Float64Array;
  private readonly itemPrice: Float64Array;
  private readonly monthMiss: Float64Array;
  private readonly decline: Float64Array;
  private readonly x: Float64Array;
  private readonly howSum: Float64Array;
  private readonly howCap: Float64Array;
  private readonly hourOfWeek: Float64Array;
  private readonly trace: Float64Array | null;
  /** resized fixed fleets: a period's sorted demand, and the demand level per period (empty when no option resizes) */
  private readonly resizeScratch: Float64Array;
  private readonly resizeLevels: Float64Array;
  /** existing fleets that end before the horizon: demand binned before and after the end (null when none does) */
  /**
   * routing options and deferral (self_hosted.batch_share: deferred): the share of the hours a
   * fleet serves as interactive traffic, σ·(1 − b)·d (null when no option routes and nothing
   * defers); with deferral its own API prices, the standard (non-batch) price per call
   */
  private readonly routed: { path: Float64Array; bins: DemandBins; view: View } | null;
  /** the share `routed` holds for this trial (NaN: none yet) */
  private routedSigma = NaN;
  /** deferral: its state across the trial's options (cost/fleet/deferred.ts; null when off) */
  private readonly defer: DeferredTrial | null;
  /** batch jobs: free replica-hours and arrivals per hour (null without batch jobs) */
  private readonly batchScratch: { free: Float64Array; arrive: Float64Array; filled: boolean } | null;
  private pathMin = 0;
  private pathMax = 0;
  private readonly segments: { before: DemandBins; after: DemandBins } | null;
  private ptm: number | null = null;
  /**
   * This trial's bursts: every burst of a trial has the drawn size and duration. One object for
   * every trial (a new closure per trial made the path loop's optimised code deoptimise on
   * its call to `draw`, a different function each time).
   */
  private readonly burst = new TrialBursts();
  /** each input's random stream, by its name (`streamName`), and the one stream object that draws them */
  private readonly inputKeys: StreamKey[];
  private readonly inputStream = new KeyedStream();
  /** the demand path's hour loops (WebAssembly) and their buffers: `path` and the view's `need` are its */
  private readonly kernel: DemandKernel;
  private apiPerCall = 0;
  /** deferral: the API's standard (non-batch) $ per call, demand-weighted over the horizon */
  private stdPerCallEff = 0;
  /** deferral: every call of the trial at the standard price, $ (what missing all of them would cost per unit share) */
  private stdApiTotal = 0;
  /** extra baselines: each one's API spend A_c and batch spend Ab_c in this trial; a month scratch */
  private readonly compareA: Float64Array;
  private readonly compareAb: Float64Array;
  private readonly compareMonth: Float64Array;
  /** per option: the first option whose replica is the same (see replicaTrial) */
  private readonly capShare: number[];
  /**
   * per option: its slot in `passes` when another option of the plan with the same policy has
   * the same replica and spot loss, else -1. `plan` searches pricing modes: on demand,
   * reserved and owned have the same capacity, so their fleets' hour passes (which depend on
   * the capacity and the rule, not the price) are often the same (see `keptPass`)
   */
  private readonly passShare: number[];
  /** per slot: its last hour pass (the trial and capacities it is for, what it wrote and totalled) */
  private readonly passes: SharedPass[];
  /** per such first option: the capacity and TTFT bound of the trial `trial` */
  private readonly capMemo: ({ trial: number; cap: ReturnType<typeof replicaCapacity>; ttft: ReturnType<typeof ttftUtilisation> | null } | undefined)[] = [];

  constructor(plan: Plan) {
    this.plan = plan;
    this.hourOfWeek = Float64Array.from(plan.hourOfWeek);
    this.trace = plan.trace ? Float64Array.from(plan.trace) : null;
    // the fleet passes' hour arrays and scratch live beside the path, in the demand kernel's
    // memory, where their WebAssembly loops read it (cost/fleet/kernel.ts)
    this.kernel = new DemandKernel(plan.hours, pathShape({ hourOfWeek: this.hourOfWeek, trace: this.trace }), fleetKernelBytes(plan.hours, plan.months));
    const fleetKernel = new FleetKernel(this.kernel.memory, this.kernel.extraAt, plan.hours, plan.months);
    this.path = this.kernel.path;
    this.bins = new DemandBins(DEFAULTS.bins, fleetKernel);
    this.monthDemand = new Float64Array(plan.months);
    this.monthApi = new Float64Array(plan.months);
    this.monthBatch = new Float64Array(plan.months);
    this.itemPrice = new Float64Array(plan.months);
    this.monthMiss = new Float64Array(plan.months);
    this.decline = new Float64Array(plan.months);
    this.view = {
      path: this.path,
      need: this.kernel.need,
      hours: plan.hours,
      months: plan.months,
      hoursPerMonth: HOURS_PER_MONTH,
      gpuFactor: new Float64Array(plan.months),
      gpuFactorMean: 1,
      apiMonthPrice: new Float64Array(plan.months),
      apiPerCallEff: 0,
      monthCost: new Float64Array(plan.months),
      monthOverflow: new Float64Array(plan.months),
      provPath: fleetKernel.prov,
      ring: new Float64Array(32),
      kernel: fleetKernel,
    };
    this.x = new Float64Array(plan.inputs.length);
    this.inputKeys = plan.inputs.map((inp) => streamKey(streamName(inp)));
    this.compareA = new Float64Array(plan.compareApis.length);
    this.compareAb = new Float64Array(plan.compareApis.length);
    this.compareMonth = new Float64Array(plan.months);
    const replicaKeys = plan.options.map((op) => JSON.stringify([op.hardware, op.model, op.weights, op.kvCache, op.tp, op.engine]));
    this.capShare = replicaKeys.map((k) => replicaKeys.indexOf(k));
    // the same policy (rule and all), replica and spot loss (a spot option loses capacity: its K
    // is its own); resized fixed fleets and existing fleets are not shared
    const passKeys = plan.options.map((op, o) => {
      const pol = op.policy;
      if (pol.policy === 'existing' || (pol.policy === 'fixed' && pol.resizeMonths > 0)) return null;
      return JSON.stringify([this.capShare[o], pol, op.pricing === 'spot' ? op.spotRateInput : null]);
    });
    const slots = new Map<string, number>();
    this.passes = [];
    this.passShare = passKeys.map((key) => {
      if (key === null || passKeys.indexOf(key) === passKeys.lastIndexOf(key)) return -1;
      let slot = slots.get(key);
      if (slot === undefined) {
        slot = this.passes.length;
        slots.set(key, slot);
        this.passes.push({ reuse: false, trial: -1, keys: new Float64Array(2).fill(NaN), hours: new Float64Array(0), months: new Float64Array(plan.months), acc: new Float64Array(4) });
      }
      return slot;
    });
    this.howSum = new Float64Array(168);
    this.howCap = new Float64Array(168);
    const resizeMonths = Math.max(0, ...plan.options.map((op) => (op.policy.policy === 'fixed' ? op.policy.resizeMonths : 0)));
    this.resizeScratch = new Float64Array(resizeMonths * HOURS_PER_MONTH);
    this.resizeLevels = new Float64Array(resizeMonths > 0 ? plan.months : 0);
    if (plan.options.some((op) => op.routing !== null) || plan.deferred) {
      const path = new Float64Array(plan.hours);
      const apiMonthPrice = plan.deferred ? new Float64Array(plan.months) : this.view.apiMonthPrice;
      this.routed = { path, bins: new DemandBins(DEFAULTS.bins), view: { ...this.view, path, need: new Float64Array(plan.hours), apiMonthPrice } };
    } else this.routed = null;
    this.defer = plan.deferred ? deferredTrial(plan.hours, plan.months) : null;
    // with deferral, batch jobs share its free-capacity buffer (they take what deferred calls leave)
    this.batchScratch = plan.batch ? { free: this.defer?.scratch.free ?? new Float64Array(plan.hours), arrive: new Float64Array(plan.hours), filled: false } : null;
    const ends = plan.options.some((op) => op.policy.policy === 'existing' && op.policy.untilHours < plan.hours);
    this.segments = ends ? { before: new DemandBins(DEFAULTS.bins), after: new DemandBins(DEFAULTS.bins) } : null;
  }

  /** Run trial `i`, writing into `out` at position i - out.start. */
  run(i: number, out: ChunkBuffers): void {
    const plan = this.plan;
    const { idx } = plan;
    const n = out.end - out.start;
    const k = i - out.start;
    const x = this.x;
    const v = this.view;

    // 1. inputs: each from its own stream in trial i (distributions/philox.ts)
    const draws = this.inputStream;
    for (let j = 0; j < plan.inputs.length; j++) {
      draws.reset(plan.seed, i, this.inputKeys[j]!);
      x[j] = sampleClamped(plan.inputs[j]!.spec, draws.uniform);
      out.inputs[j * n + k] = x[j]!;
    }
    const inTok = x[idx.inputTokens]!;
    const outTok = x[idx.outputTokens]!;
    const tokensPerCall = inTok + outTok;
    this.ptm = plan.peakToMeanAuto ? null : x[idx.peakToMean]!;

    // 2. demand path: stream 1 of trial i
    const pathRng = trialStream(plan.seed, i, 1);
    const burst = this.burst;
    burst.ratePerMonth = plan.hasBursts ? x[idx.burstRate]! : 0;
    burst.shape.size = plan.hasBursts ? x[idx.burstSize]! : 1;
    burst.shape.hours = plan.hasBursts ? x[idx.burstHours]! : 1;
    const params: PathParams = {
      baseRequestsPerHour: x[idx.requestsPerDay]! / 24,
      growthMonthly: x[idx.growthMonthly]!,
      hourOfWeek: this.hourOfWeek,
      noiseCv: x[idx.noiseCv]!,
      noiseAutocorrelation: x[idx.noiseAutocorrelation]!,
      bursts: plan.hasBursts ? burst : null,
      trace: this.trace,
    };
    const H = plan.hours;
    // the kernel writes each hour's need as it goes; the bins only bin
    const stats = this.kernel.fill(H, params, pathRng, this.monthDemand, this.ptm, ZROOT);
    this.bins.bin(this.path, H, stats.min, stats.max, this.ptm, ZROOT);
    this.pathMin = stats.min;
    this.pathMax = stats.max;
    if (this.defer) startDeferredTrial(this.defer, this.path, H);
    this.routedSigma = NaN;

    // 3. API cost, with the price decline per month; the GPU rental decline per month
    const months = plan.months;
    const gpuDecline = x[idx.gpuPriceDecline]!;
    let gpuFactorSum = 0;
    for (let m = 0; m < months; m++) {
      this.decline[m] = declineFactor(x[idx.priceDecline]!, m);
      const f = gpuDecline > 0 ? declineFactor(gpuDecline, m) : 1;
      v.gpuFactor[m] = f;
      gpuFactorSum += f;
    }
    v.gpuFactorMean = gpuFactorSum / months;
    const totalCalls = stats.sum; // Σ of the month sums, compensated
    const usage = {
      inputTokens: inTok,
      outputTokens: outTok,
      cacheHitRate: x[idx.cacheHitRate]!,
      cacheWriteRate: x[idx.cacheWriteRate]!,
      batchShare: x[idx.batchShare]!,
      retryOverhead: x[idx.retryOverhead]!,
      longContextShare: x[idx.longContextShare]!,
    };
    this.apiPerCall = mixCostPerCall(plan.apiMix, usage);
    for (let m = 0; m < months; m++) {
      v.apiMonthPrice[m] = this.apiPerCall * this.decline[m]!;
      this.monthApi[m] = this.monthDemand[m]! * v.apiMonthPrice[m]!;
    }
    const A = sum(this.monthApi.subarray(0, months));
    v.apiPerCallEff = totalCalls > 0 ? A / totalCalls : this.apiPerCall;
    if (plan.deferred) {
      // what the fleet's interactive overflow and its missed deferred calls pay: the standard price
      const std = mixCostPerCall(plan.apiMix, { ...usage, batchShare: 0 });
      const price = this.routed!.view.apiMonthPrice;
      for (let m = 0; m < months; m++) {
        price[m] = std * this.decline[m]!;
        this.compareMonth[m] = this.monthDemand[m]! * price[m]!;
      }
      this.stdApiTotal = sum(this.compareMonth.subarray(0, months));
      this.stdPerCallEff = totalCalls > 0 ? this.stdApiTotal / totalCalls : std;
    }
    const volume = (totalCalls * tokensPerCall) / months;
    // batch jobs (issue 15): their API spend Ab, by month in monthBatch; 0 without them
    const batch = plan.batch;
    const items = batch ? x[batch.itemsInput]! : 0;
    const Ab = batch ? this.batchApi(batch, items, x, plan.apiMix, batch.windowHours, true) : 0;
    const batchTokens = batch ? batchRuns(batch, H) * items * (batch.inputTokens + batch.outputTokens) : 0;
    out.global[G.volume_tokens_per_month * n + k] = volume;
    out.global[G.api_cost_total * n + k] = A + Ab;
    out.global[G.api_cost_per_million_tokens * n + k] = totalCalls > 0 ? ((A + Ab) / (totalCalls * tokensPerCall + batchTokens)) * 1e6 : 0;
    out.global[G.api_cost_per_month * n + k] = (A + Ab) / months;
    // extra baselines (compare_apis): the same calls by month, draws and decline at each one's
    // prices, O(months) each; the options' passes are not re-run for them
    const C = plan.compareApis.length;
    for (let c = 0; c < C; c++) {
      const cb = plan.compareApis[c]!;
      const perCall = mixCostPerCall(cb.mix, usage);
      for (let m = 0; m < months; m++) this.compareMonth[m] = this.monthDemand[m]! * (perCall * this.decline[m]!);
      const Ac = sum(this.compareMonth.subarray(0, months));
      const Abc = batch ? this.batchApi(batch, items, x, cb.mix, cb.windowHours, false) : 0;
      this.compareA[c] = Ac;
      this.compareAb[c] = Abc;
      const at = c * VS_GLOBAL_METRICS.length * n + k;
      out.vsGlobal[at + VG.api_cost_per_month * n] = (Ac + Abc) / months;
      out.vsGlobal[at + VG.api_cost_per_million_tokens * n] = totalCalls > 0 ? ((Ac + Abc) / (totalCalls * tokensPerCall + batchTokens)) * 1e6 : 0;
    }
    const VN = VS_METRICS.length;

    const inSub = i < subsampleSize(plan);
    const O = plan.options.length;
    const sub = inSub ? i - out.start : -1;
    const gridN = plan.grid.length;
    if (inSub) {
      // API fan and cumulative series (slot O)
      for (let g = 0; g < gridN; g++) {
        const s = volume > 0 ? plan.grid[g]! / volume : 0;
        out.fan[(sub * (O + 1) + O) * gridN + g] = (s * A + Ab) / months;
      }
      let cum = 0;
      for (let m = 0; m < months; m++) {
        cum += this.monthApi[m]! + this.monthBatch[m]!;
        out.cumulative[(sub * (O + 1) + O) * months + m] = cum;
      }
    }
    if (i === 0) {
      for (let h = 0; h < 168; h++) out.week[h] = (this.path[h] ?? 0) * tokensPerCall;
    }

    // 4. options
    const opsTotal = x[idx.opsPerMonth]! * months;
    const retryLoad = 1 + Math.max(0, x[idx.retryOverhead]!);
    for (let o = 0; o < O; o++) {
      const op = plan.options[o]!;
      const base = o * OPTION_METRICS.length * n;
      const put = (metric: number, val: number) => {
        out.metrics[base + metric * n + k] = val;
      };
      const putVs = (c: number, metric: number, val: number) => {
        out.vs[((o * C + c) * VN + metric) * n + k] = val;
      };
      const t = this.replicaTrial(op, x, out, o, i, opsTotal, retryLoad);
      if (t === null) {
        for (let m = 0; m < OPTION_METRICS.length; m++) put(m, NaN);
        for (let c = 0; c < C; c++) {
          putVs(c, V.cheaper, 0);
          putVs(c, V.savings_per_month, NaN);
          putVs(c, V.breakeven_tokens_per_month, NaN);
        }
        put(M.cheaper, 0);
        put(M.cheaper_ignoring_slo, 0);
        put(M.meets_slo, 0);
        put(M.feasible, 0);
        if (inSub) {
          // nothing to draw: NaN, never a $0 line
          out.fan.fill(NaN, (sub * (O + 1) + o) * gridN, (sub * (O + 1) + o + 1) * gridN);
          out.cumulative.fill(NaN, (sub * (O + 1) + o) * months, (sub * (O + 1) + o + 1) * months);
          out.how.fill(NaN, (sub * O + o) * 168, (sub * O + o + 1) * 168);
        }
        if (i === 0) out.week.fill(0, 168 * (o + 1), 168 * (o + 2));
        continue;
      }
      // routing options (issue 15): the fleet serves a share σ of every hour, the API the rest;
      // the fleet's break-even against σ·A is the option's (C(s) + (1-σ)·s·A < s·A ⇔ C(s) < σ·s·A)
      const sigma = op.routing ? x[op.routing.shareInput]! : 1;
      // deferral (self_hosted.batch_share: deferred): the fleet is sized and judged on its
      // interactive share σ·(1 − b); the deferred share σ·b waits for capacity it leaves free
      const bShare = this.defer ? Math.min(1, Math.max(0, x[idx.batchShare]!)) : 0;
      const inter = sigma * (1 - bShare);
      const shared = op.routing !== null || this.defer !== null;
      const fv = shared ? this.routedView(inter) : v;
      const fb = shared ? this.routed!.bins : this.bins;
      const pool = this.fleet(op, t, x, fv, fb, opsTotal, shared ? -1 : this.passShare[o]!, i);
      const r = pool.r;
      let fleetAt = pool.costAt;
      let beFor = pool.beFor;
      let deferMiss = 0;
      let deferMissed = 0;
      let utilisation = r.utilisation;
      if (this.defer) {
        const d = this.defer;
        const Kb = this.fullBatchCapacity(op, x, retryLoad, inTok, outTok, plan.prefixCache ? x[plan.prefixCache.hitInput]! : 0);
        // batch jobs rewrite the deferred pass's scratch: then no exact pass is shared
        const fleet: DeferredFleet = { view: fv, t, exact: r, provPath: v.provPath, costAt: pool.costAt, scaled: pool.scaled };
        const deferred = deferredOption(d, fleet, this.path, this.pathMax, inter, sigma * bShare, Kb, plan.deferred!.windowHours, this.stdApiTotal, !this.batchScratch);
        const dq = deferred.outcome;
        for (let m = 0; m < months; m++) v.monthCost[m]! += d.monthMiss[m]!;
        deferMiss = dq.missCost;
        deferMissed = dq.missed;
        // the replica-hours deferred calls kept busy count as used
        if (dq.provHours > 0 && Kb > 0) utilisation += (dq.arrived - dq.missed) / Kb / dq.provHours;
        put(M.deferred_missed_share, dq.arrived > 0 ? dq.missed / dq.arrived : NaN);
        // C(s): the policy's C(s) on the interactive share plus the deferred pass at scale s
        fleetAt = (s: number) => deferred.costAt(s, Infinity);
        // the line isCheaper draws (the same product, so the same decisions as the full C(s))
        beFor = (Aj: number) => breakevenScale((s) => deferred.costAt(s, s * Aj * (1 - 1e-9)), Aj);
        if (this.batchScratch) this.batchScratch.filled = true;
      } else put(M.deferred_missed_share, NaN);
      const rest = (1 - sigma) * A;
      const costAt = op.routing ? (s: number) => fleetAt(s) + (1 - sigma) * s * A : fleetAt;
      if (op.routing) for (let m = 0; m < months; m++) v.monthCost[m]! += (1 - sigma) * this.monthApi[m]!;
      // batch jobs: served in the capacity the interactive traffic leaves free; missed runs' rest goes to the API
      let miss = 0;
      if (batch) {
        const w = { items, every: batch.every, start: batch.start, deadline: batch.deadline, Kb: this.batchCapacity(op, x, retryLoad) };
        const bo = serveBatch(fv, t, r, w, this.itemPrice, this.monthMiss, this.batchScratch!);
        miss = bo.missCost;
        for (let m = 0; m < months; m++) v.monthCost[m]! += this.monthMiss[m]!;
        put(M.batch_missed_share, bo.runs > 0 ? bo.missedRuns / bo.runs : NaN);
      } else put(M.batch_missed_share, NaN);
      const cost = r.cost + rest + miss + deferMiss;
      const attainment = 1 - r.violations / H;
      const meets = meetsAttainment(r.violations, H, plan.sloAttainment);
      /**
       * The option against a baseline whose interactive API spend is Aj and batch spend Abj
       * (the primary: A, Ab). The option's own cost is the same whatever the baseline: its
       * overflow, routed share and missed batch runs stay priced at the primary API (the API
       * it is wired to). Break-even scales the interactive volume with the batch work held
       * fixed; a routing option's fleet must beat what the baseline costs beyond the routed
       * rest it still pays the primary for: C(s) < s·(σ·Aj + (1−σ)·(Aj − A)), which is σ·A for
       * the primary itself. One rule for the primary and every compare_apis entry.
       */
      const versus = (Aj: number, Abj: number) => {
        const total = Aj + Abj;
        const be = batch ? breakevenScale((s) => costAt(s) + miss - Abj, Aj) : beFor(op.routing ? sigma * Aj + (1 - sigma) * (Aj - A) : Aj);
        const cheaperIgnoringSlo = isCheaper(cost, total);
        return { cheaperIgnoringSlo, cheaper: cheaperIgnoringSlo && meets, savingsPerMonth: (total - cost) / months, breakevenTokens: Number.isNaN(be) ? NaN : be * volume };
      };
      const primary = versus(A, Ab);
      for (let c = 0; c < C; c++) {
        const vc = versus(this.compareA[c]!, this.compareAb[c]!);
        putVs(c, V.cheaper, vc.cheaper ? 1 : 0);
        putVs(c, V.savings_per_month, vc.savingsPerMonth);
        putVs(c, V.breakeven_tokens_per_month, vc.breakevenTokens);
      }
      put(M.cost_total, cost);
      put(M.cost_per_million_tokens, totalCalls > 0 ? (cost / (totalCalls * tokensPerCall)) * 1e6 : NaN);
      put(M.cost_per_month, cost / months);
      put(M.savings_per_month, primary.savingsPerMonth);
      put(M.utilisation, utilisation);
      put(M.violation_hours, r.violations);
      put(M.overflow_share, totalCalls > 0 ? (r.overflow + deferMissed + (1 - sigma) * totalCalls) / totalCalls : 0);
      put(M.replicas, r.meanReplicas);
      put(M.gpus, r.peak * op.tp);
      put(M.slo_attainment, attainment);
      put(M.meets_slo, meets ? 1 : 0);
      put(M.cheaper_ignoring_slo, primary.cheaperIgnoringSlo ? 1 : 0);
      put(M.cheaper, primary.cheaper ? 1 : 0);
      put(M.feasible, 1);
      const upfront = upfrontCash(t.price, r.peak);
      put(M.payback_month, op.pricing === 'owned' ? this.payback(upfront) : NaN);
      put(M.breakeven_tokens_per_month, primary.breakevenTokens);

      if (inSub) {
        for (let g = 0; g < gridN; g++) {
          const s = volume > 0 ? plan.grid[g]! / volume : 0;
          out.fan[(sub * (O + 1) + o) * gridN + g] = (costAt(s) + miss) / months;
        }
        // cumulative cash by month end (pricing.ts conventions): owned pays the peak fleet's capex up front
        let cum = upfront;
        for (let m = 0; m < months; m++) {
          cum += v.monthCost[m]!;
          out.cumulative[(sub * (O + 1) + o) * months + m] = cum;
        }
        this.hourOfWeekUtilisation(fv.path, r.fleet, r.servePerReplica, t.Kraw);
        for (let h = 0; h < 168; h++) out.how[(sub * O + o) * 168 + h] = this.howCap[h]! > 0 ? this.howSum[h]! / this.howCap[h]! : 0;
      }
      if (i === 0) {
        // the hourly demand the fleet serves within the SLO (its busiest minute fits): demand
        // above this line is a violation hour (or overflow, for a hybrid), as the passes count it
        const weekCap = out.week.subarray(168 * (o + 1), 168 * (o + 2));
        for (let h = 0; h < 168; h++) {
          const replicas = Number.isNaN(r.fleet) ? v.provPath[h]! : r.fleet;
          // a routing option serves a whole hour d within the SLO while its share σ·d fits (with
          // deferral, its interactive share σ·(1 − b)·d)
          weekCap[h] = (servableDemand(replicas * t.K, t.ptm, ZROOT) / (inter > 0 ? inter : 1)) * tokensPerCall;
        }
      }
    }
  }

  /**
   * What one replica serves and costs in this trial, or null (reason recorded) when it cannot
   * run: perf model capacity (the one call site of `replicaCapacity`), the TTFT bound, spot
   * losses, and retries (each user request costs 1 + retry_overhead calls on the fleet too).
   */
  private replicaTrial(op: OptionPlan, x: Float64Array, out: ChunkBuffers, o: number, i: number, opsTotal: number, retryLoad: number): ReplicaTrial | null {
    const plan = this.plan;
    const { idx } = plan;
    if (op.infeasibleReason) {
      out.reasons[o] = op.infeasibleReason;
      return null;
    }
    const inTok = x[idx.inputTokens]!;
    const outTok = x[idx.outputTokens]!;
    const cfg = { hardware: op.hardware, model: op.model, weights: op.weights, kvCache: op.kvCache, tp: op.tp };
    const pc = plan.prefixCache;
    const prefixCache = pc ? { hitRate: x[pc.hitInput]!, reserveFraction: pc.reserveFraction, workingSetTokens: pc.workingSetTokens } : undefined;
    const w = { inputTokens: inTok, outputTokens: outTok, tpotMs: plan.tpotMs ?? undefined, engineEfficiency: x[idx.engineEfficiency]!, prefixCache };
    // options whose replicas are the same (GPU, model, formats, tp, engine) differ only in
    // fleet and pricing: the first of them computes this trial's capacity and TTFT bound for all
    const g = this.capShare[o]!;
    let memo = this.capMemo[g];
    if (memo === undefined || memo.trial !== i) {
      const c = replicaCapacity(cfg, op.engine, w);
      memo = { trial: i, cap: c, ttft: c.feasible && plan.ttftMs !== null ? ttftUtilisation(cfg, op.engine, w, c, plan.ttftMs) : null };
      this.capMemo[g] = memo;
    }
    const cap = memo.cap;
    if (!cap.feasible) {
      out.reasons[o] ||= cap.reason; // the first in trial order: independent of chunking
      return null;
    }
    const Kraw = (cap.requestsPerS * 3600) / retryLoad;
    let umax = 1;
    if (plan.ttftMs !== null) {
      const u = memo.ttft!;
      if (!u.feasible) {
        out.reasons[o] ||= u.reason + op.ttftHint;
        return null;
      }
      umax = u.maxUtilisation;
    }
    const spotLoss = op.pricing === 'spot' ? Math.min(0.5, x[op.spotRateInput]! * op.tp * SPOT_RECOVERY_HOURS) : 0;
    const K = Kraw * umax * (1 - spotLoss);
    let price: FleetPrice;
    if (op.pricing === 'owned') {
      const capexPerReplica = x[op.capexInput]! * op.tp;
      const power = this.powerPerReplicaHour(op, x);
      const perReplicaHour = ownedReplicaHour(capexPerReplica, x[idx.residualValue]!, plan.amortisationMonths * HOURS_PER_MONTH, power);
      price = { pricing: 'owned', perReplicaHour, powerPerReplicaHour: power, capexPerReplica, commitMult: 1 };
    } else {
      price = { pricing: op.pricing, perReplicaHour: x[op.priceInput]! * op.tp, powerPerReplicaHour: 0, capexPerReplica: 0, commitMult: op.commitMult };
    }
    return { K, Kraw, price, ptm: this.ptm, zRoot: ZROOT, opsTotal };
  }

  /**
   * One option's fleet on a trial's hours: the exact pass, its scaled cost C(s) and the
   * break-even scale against an API spend A (what the fleet replaces; a function, so each
   * baseline reuses the one pass and C(s): O(grid + bisection) C(s) evaluations each). `v`/`bins`
   * are the trial's own, or a routing option's share of them. O(hours) for the pass.
   */
  private fleet(
    op: OptionPlan,
    t: ReplicaTrial,
    x: Float64Array,
    v: HourlyView,
    bins: DemandBins,
    opsTotal: number,
    slot: number,
    trial: number,
  ): { r: ExactFleet; costAt: (s: number) => number; beFor: (A: number) => number; scaled: ScaledFleet } {
    const pol = op.policy;
    const H = v.hours;
    let r: ExactFleet;
    let costAt: (s: number) => number;
    let beFor: (A: number) => number;
    let scaled: ScaledFleet;
    if (pol.policy === 'fixed' && pol.resizeMonths > 0) {
      const pm = pol.resizeMonths;
      const levels = this.resizeLevels.subarray(0, resizePeriods(v.months, pm));
      periodLevels(v, pol.peakQuantile, pm, this.resizeScratch, levels);
      r = exactResized(v, t, levels, pm);
      scaled = { policy: 'resize', levels, periodMonths: pm };
      costAt = (s) => resizedCost(t, v, levels, pm, s);
      beFor = (A) => breakevenScale(costAt, A);
    } else if (pol.policy === 'fixed') {
      const Q = bins.quantileUpper(pol.peakQuantile);
      const N = fixedReplicas(t, Q);
      r = exactFixed(v, t, N, bins, slot < 0 ? undefined : this.keptPass(slot, trial, N * t.K, N * t.Kraw));
      scaled = { policy: 'fixed', Q };
      costAt = (s) => fixedCostAt(t, v, Q, s);
      const fleetHourCost = fixedReplicaCost(t, v);
      beFor = (A) => fixedBreakevenScale({ fleetHourCost, opsTotal, apiTotal: A, replicaCapacity: t.K, peakDemand: Q, peakToMean: t.ptm });
    } else if (pol.policy === 'autoscale') {
      r = exactAutoscale(v, t, pol, slot < 0 ? undefined : this.keptPass(slot, trial, t.K, t.Kraw));
      scaled = { policy: 'autoscale', rule: pol };
      costAt = autoscaleCostAt(bins, v, t, pol, r);
      beFor = (A) => breakevenScale(costAt, A);
    } else if (pol.policy === 'existing') {
      const f = { replicas: pol.replicas, untilHours: pol.untilHours, overflow: pol.overflow, sunkPerReplicaHour: pol.sunk === 'owned' ? this.powerPerReplicaHour(op, x) : 0 };
      r = exactExisting(v, t, f);
      scaled = { policy: 'existing', fleet: f };
      const until = Math.min(H, pol.untilHours);
      const seg = this.segments;
      const own = until >= H ? bins : until > 0 && seg ? this.binSegment(v.path, seg.before, 0, until) : null;
      const after = until < H && seg ? this.binSegment(v.path, seg.after, until, H) : null;
      costAt = existingCostAt(v, t, f, own, after);
      beFor = (A) => breakevenScale(costAt, A);
    } else {
      const b = pol.baseReplicas;
      const B = hybridBase(bins, v, t, b, 1);
      r = exactHybrid(v, t, B, slot < 0 ? undefined : this.keptPass(slot, trial, B * t.K, NaN));
      scaled = { policy: 'hybrid', bins, base: b };
      costAt = (s) => hybridCostAt(bins, v, t, b, s);
      beFor = (A) => breakevenScale(costAt, A);
    }
    return { r, costAt, beFor, scaled };
  }

  /**
   * The kept pass of an option's slot (cost/fleet `KeptPass`): to reuse when it is this trial's
   * with the same capacities (`k0`, `k1`: what the pass's loop reads besides the demand, need
   * and rule, to the bit; NaN for none), else to fill, marked as this trial's with those. A
   * loop reads the trial's demand, need and bins (the plain view's, never a routed share: the
   * caller gives slot -1 for those), those capacities and its rule (the same for every option
   * in a slot), and nothing else, so the copy is what it would compute.
   * test/sim/engine.test.ts pins every option's result in a plan to its result alone. O(1).
   */
  private keptPass(slot: number, trial: number, k0: number, k1: number): KeptPass {
    const p = this.passes[slot]!;
    p.reuse = p.trial === trial && Object.is(p.keys[0], k0) && Object.is(p.keys[1], k1);
    p.trial = trial;
    p.keys[0] = k0;
    p.keys[1] = k1;
    return p;
  }

  /**
   * The share `sigma` of the trial's hours a fleet serves as interactive traffic (a routing
   * option's σ, times 1 − b with deferral): sigma·path, its need and bins, in buffers allocated
   * only when some option routes or the batch share is deferred. O(hours + bins).
   */
  private routedView(sigma: number): HourlyView {
    const rt = this.routed!;
    // options with the same share (every non-routing one with deferral) reuse the trial's view
    if (sigma === this.routedSigma) return rt.view;
    this.routedSigma = sigma;
    const H = this.plan.hours;
    const rp = rt.path;
    const ptm = this.ptm;
    sharePath(this.path, rp, rt.view.need, H, sigma, ptm);
    rt.bins.bin(rp, H, sigma * this.pathMin, sigma * this.pathMax, ptm, ZROOT);
    // the per-trial scalars (the arrays are the trial view's own)
    rt.view.gpuFactorMean = this.view.gpuFactorMean;
    rt.view.apiPerCallEff = this.plan.deferred ? this.stdPerCallEff : this.view.apiPerCallEff;
    return rt.view;
  }

  /** Bin the hours [a, b) of the trial's demand into `bins` (their need is the view's own). O(b − a + bins). */
  private binSegment(path: Float64Array, bins: DemandBins, a: number, b: number): DemandBins {
    const seg = path.subarray(a, b);
    let min = Infinity;
    let max = -Infinity;
    for (let h = 0; h < seg.length; h++) {
      const d = seg[h]!;
      if (d < min) min = d;
      if (d > max) max = d;
    }
    bins.bin(seg, seg.length, min, max, this.ptm, ZROOT);
    return bins;
  }

  /**
   * Batch jobs on the API side: each run's items at the batch price when the deadline is at
   * least the batch window (else the standard price), with the month's price decline, for the
   * baseline `mix`; with `record` (the primary) fills monthBatch and itemPrice (standard $ per
   * item by month, what a missed run pays). Returns the total. O(months + runs).
   */
  private batchApi(b: NonNullable<Plan['batch']>, items: number, x: Float64Array, mix: Plan['apiMix'], windowHours: number, record: boolean): number {
    const { idx } = this.plan;
    const months = this.plan.months;
    const u = { inputTokens: b.inputTokens, outputTokens: b.outputTokens, cacheHitRate: 0, cacheWriteRate: 0, retryOverhead: x[idx.retryOverhead]!, longContextShare: 0 };
    const standard = mixCostPerCall(mix, { ...u, batchShare: 0 });
    const priced = b.deadline >= windowHours ? mixCostPerCall(mix, { ...u, batchShare: 1 }) : standard;
    if (record)
      for (let m = 0; m < months; m++) {
        this.itemPrice[m] = standard * this.decline[m]!;
        this.monthBatch[m] = 0;
      }
    const runs = batchRuns(b, this.plan.hours);
    let total = 0;
    for (let k = 0; k < runs; k++) {
      const m = Math.min(months - 1, Math.floor((b.start + k * b.every) / HOURS_PER_MONTH));
      const c = items * priced * this.decline[m]!;
      if (record) this.monthBatch[m]! += c;
      total += c;
    }
    return total;
  }

  /** Batch items one replica serves per hour at full batch (no latency target), retries included; 0 when it cannot run them. */
  private batchCapacity(op: OptionPlan, x: Float64Array, retryLoad: number): number {
    const b = this.plan.batch!;
    // batch items are distinct documents: no prefix hits, but the cache's reserve still holds its memory
    return this.fullBatchCapacity(op, x, retryLoad, b.inputTokens, b.outputTokens, 0);
  }

  /**
   * Calls of `inputTokens`/`outputTokens` one replica serves per hour at full batch (no TPOT
   * target: deferrable work, batch jobs and the deferred batch share), retries included, with
   * the workload's prefix cache at `hitRate`; 0 when it cannot run them. O(1) perf-model call.
   */
  private fullBatchCapacity(op: OptionPlan, x: Float64Array, retryLoad: number, inputTokens: number, outputTokens: number, hitRate: number): number {
    const cfg = { hardware: op.hardware, model: op.model, weights: op.weights, kvCache: op.kvCache, tp: op.tp };
    const pc = this.plan.prefixCache;
    const prefixCache = pc ? { hitRate, reserveFraction: pc.reserveFraction, workingSetTokens: pc.workingSetTokens } : undefined;
    const cap = replicaCapacity(cfg, op.engine, { inputTokens, outputTokens, engineEfficiency: x[this.plan.idx.engineEfficiency]!, prefixCache });
    return cap.feasible ? (cap.requestsPerS * 3600) / retryLoad : 0;
  }

  /** Power of one replica running, $/h: power_w × PUE × $/kWh × tp. O(1). */
  private powerPerReplicaHour(op: OptionPlan, x: Float64Array): number {
    const { idx } = this.plan;
    return ((op.hardware.power_w ?? 700) / 1000) * x[idx.pue]! * x[idx.usdPerKwh]! * op.tp;
  }

  /**
   * Subsample trials: mean utilisation by hour of week (served / capacity, both summed over
   * the weeks). `fleet` replicas every hour, or provPath's count per hour when NaN; each
   * replica serves up to `servePerReplica` requests an hour and offers Kraw.
   */
  private hourOfWeekUtilisation(path: Float64Array, fleet: number, servePerReplica: number, Kraw: number): void {
    const H = this.plan.hours;
    const provPath = this.view.provPath;
    hourOfWeekUse(this.view.kernel ?? null, path, provPath, H, fleet, servePerReplica, Kraw, this.howSum, this.howCap);
  }

  /**
   * Owned hardware, cash convention: the month in which the cumulative API spend avoided,
   * net of the fleet's monthly cash (power, ops), covers the capex paid up front for the peak
   * fleet; extrapolated at the last month's rate past the horizon (NaN when it never does).
   */
  private payback(capex: number): number {
    const mc = this.view.monthCost;
    let cumNet = 0;
    let lastNet = 0;
    for (let m = 0; m < this.plan.months; m++) {
      lastNet = this.monthApi[m]! + this.monthBatch[m]! - mc[m]!;
      if (cumNet + lastNet >= capex) return m + (capex - cumNet) / lastNet;
      cumNet += lastNet;
    }
    if (lastNet <= 0) return NaN;
    const m = this.plan.months + (capex - cumNet) / lastNet;
    return m <= DEFAULTS.maxPaybackMonths ? m : NaN;
  }
}

/** z·√60: the Poisson busiest-minute rule's coefficient (traffic's `peakNeed`). */
const ZROOT = PEAK_MINUTE_Z * Math.sqrt(60);

/** A trial's burst parameters: its rate, and one size and duration for each of its bursts. */
class TrialBursts implements BurstParams {
  ratePerMonth = 0;
  readonly shape = { size: 1, hours: 1 };
  /** the same object every time (the demand kernel reads it at once) */
  draw(): { size: number; hours: number } {
    return this.shape;
  }
}

/**
 * σ·path and its need in one pass, by the one need rule, into `share` and `need`. A function
 * that is its loop: with the loop inside `routedView`, V8 optimised the loop while a call ran
 * (on-stack replacement), before the code after it had ever run, and that code, lacking type
 * feedback, deoptimised it at the end of a call; in some runs the same optimised loop was entered
 * and left that way in every trial (600 deoptimisations in 300 trials of
 * routed-small-model.yaml), running the rest of each trial's routed views in the interpreter. O(H).
 */
function sharePath(path: Float64Array, share: Float64Array, need: Float64Array, H: number, sigma: number, ptm: number | null): void {
  for (let h = 0; h < H; h++) {
    const d = sigma * path[h]!;
    share[h] = d;
    need[h] = needOf(d, ptm, ZROOT);
  }
}

