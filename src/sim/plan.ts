/**
 * Compile a loaded workload into a Plan: everything one Monte Carlo trial needs, as plain
 * data (structured-cloneable, so worker threads receive the same plan).
 *
 * Trial i draws each uncertain input from a stream of its own, named by the input
 * (`streamName`; distributions/philox.ts), so every option sees the same draw (common random
 * numbers), an input's draws do not depend on which other inputs the plan has, and results do
 * not depend on how trials are split across workers.
 */
import type { LoadedWorkload } from '../config/index.js';
import { optionLabel, usedCatalog, type EmbeddedCatalog } from '../config/index.js';
import type { Api, Hardware, Model, Option, WeightFormat, KvFormat } from '../config/index.js';
import type { DistSpec } from '../distributions/index.js';
import { quantile, streamKey } from '../distributions/index.js';
import { hourOfWeekFactors, readTrace, HOURS_PER_MONTH } from '../traffic/index.js';
import { minTpThatFits, doesNotFitReason, engineCaps, replicaCapacity, ttftUtilisation, type EngineCaps, type PrefixCache } from '../perf/index.js';
import { UserError } from '../errors.js';
import { reservedCommitMultiplier, resizeMonths, type AutoscaleRule } from '../cost/index.js';
import { DEFAULTS } from '../defaults.js';
import { resolve, dirname } from 'node:path';
import { streamName } from './stream-name.js';

export interface PlanInput {
  path: string;
  /**
   * the name of the input's random stream when it is not `path` (`streamName`): an option's
   * own input is named by the option's id, not its position among the options
   */
  key?: string;
  spec: DistSpec;
  /** false for placeholders of features the scenario does not use (no bursts, no power) */
  used: boolean;
}

export { streamName } from './stream-name.js';

export type PolicyPlan =
  | { policy: 'fixed'; peakQuantile: number; /** months per resize period; 0: one size for the horizon */ resizeMonths: number }
  | ({ policy: 'autoscale' } & AutoscaleRule)
  | { policy: 'hybrid'; baseReplicas: number | 'auto' }
  | {
      policy: 'existing';
      /** ⌊gpus / tp⌋ replicas of the fleet you have */
      replicas: number;
      /** hours from the start the sunk fleet is available */
      untilHours: number;
      sunk: 'owned' | 'reserved';
      overflow: 'api' | 'rented';
    };

export interface OptionPlan {
  id: string;
  label: string;
  gpu: string;
  weights: WeightFormat;
  kvCache: KvFormat;
  tp: number;
  pricing: Option['pricing'];
  policy: PolicyPlan;
  hardware: Hardware;
  /** the serving engine's caps on this GPU (option `engine`, else self_hosted.engine) */
  engine: EngineCaps;
  /** why it cannot run at all (does not fit); null when it can */
  infeasibleReason: string | null;
  /** input indices */
  priceInput: number;
  spotRateInput: number;
  capexInput: number;
  reservedTermMonths: number;
  /** appended to a TTFT-infeasible reason: "; try tp: 4 (...)" when a larger tp meets it at median inputs, else "" */
  ttftHint: string;
  /** reserved: whole terms paid over the horizon, ⌈horizon/term⌉·term / horizon; else 1 */
  commitMult: number;
  /** the model the fleet serves: the workload's, or a routing option's small model */
  model: Model;
  /** routing: the input index of the share served by the fleet (the rest goes to the API), and the stated quality assumption; null otherwise */
  routing: { shareInput: number; quality: string } | null;
}

export interface Plan {
  scenario: { name: string; description: string; file: string | null; model: string; horizonMonths: number; workload: unknown; catalog: EmbeddedCatalog };
  seed: number;
  trials: number;
  hours: number;
  months: number;
  model: Model;
  apiMix: { api: Api; share: number }[];
  apiLabel: string;
  apiId: string;
  /**
   * `compare_apis`: extra baselines priced on the same trials (same draws and path); the
   * options' own cost, overflow and routed share stay priced at `apiMix`. Empty when none.
   */
  compareApis: { id: string; label: string; mix: { api: Api; share: number }[]; windowHours: number }[];
  inputs: PlanInput[];
  /** indices into inputs of the named scalars */
  idx: Record<InputName, number>;
  hourOfWeek: number[];
  trace: number[] | null;
  hasBursts: boolean;
  /** deadline-driven batch jobs (traffic.batch_jobs), or null */
  batch: {
    every: number;
    start: number;
    deadline: number;
    inputTokens: number;
    outputTokens: number;
    /** the API's batch window, hours: the longest of the mix's (default 24) */
    windowHours: number;
    /** input index of items per run (drawn after every other input, so workloads without batch jobs draw as before) */
    itemsInput: number;
  } | null;
  /**
   * self_hosted.batch_share deferred: the fleet is sized and judged on the interactive calls
   * (1 − batch share); the batch share waits up to `windowHours` (the API's batch window) for
   * free capacity. null: the fleet serves every call at the SLO (the default).
   */
  deferred: { windowHours: number } | null;
  peakToMeanAuto: boolean;
  tpotMs: number | null;
  ttftMs: number | null;
  /** share of hours that must meet the SLO for a trial to count as meeting it */
  sloAttainment: number;
  hasPower: boolean;
  amortisationMonths: number;
  options: OptionPlan[];
  /** monthly-volume grid for the curves (tokens/month) */
  grid: number[];
  /**
   * trials whose per-volume, per-month and hour-of-week series are kept (the fan, cumulative
   * and heatmap charts); absent: DEFAULTS.subsampleTrials. `plan` sets 0: it charts none of
   * them, and for hundreds of candidates they would cost more memory than everything else.
   */
  subsampleTrials?: number;
  /** medians of the inputs that size a replica: the "typical" trial shown in reports */
  typical: { inputTokens: number; outputTokens: number; engineEfficiency: number; prefixCache?: PrefixCache | undefined };
  /** the self-hosted prefix cache: input index of its hit rate and its fixed parts; null: none */
  prefixCache: { hitInput: number; reserveFraction: number; workingSetTokens: number } | null;
  warnings: string[];
}

export const INPUT_NAMES = [
  'requestsPerDay',
  'inputTokens',
  'outputTokens',
  'growthMonthly',
  'noiseCv',
  'noiseAutocorrelation',
  'burstRate',
  'burstSize',
  'burstHours',
  'peakToMean',
  'cacheHitRate',
  'cacheWriteRate',
  'batchShare',
  'retryOverhead',
  'priceDecline',
  'longContextShare',
  'engineEfficiency',
  'opsPerMonth',
  'usdPerKwh',
  'pue',
  'residualValue',
  'gpuPriceDecline',
] as const;
export type InputName = (typeof INPUT_NAMES)[number];

const point = (v: number): DistSpec => ({ dist: { type: 'point', value: v }, min: -Infinity, max: Infinity, written: String(v) });

function median(spec: DistSpec): number {
  return Math.min(spec.max, Math.max(spec.min, quantile(spec.dist, 0.5)));
}

/** Build the plan. Throws UserError for a scenario that cannot be simulated at all. */
export function compilePlan(loaded: LoadedWorkload, opts: { trials?: number; seed?: number } = {}): Plan {
  const w = loaded.workload;
  const t = w.traffic;
  const ap = w.api_pricing;
  const sh = w.self_hosted;
  const warnings: string[] = [];

  const inputs: PlanInput[] = [];
  const idx = {} as Record<InputName, number>;
  const add = (name: InputName, path: string, spec: DistSpec | undefined) => {
    idx[name] = inputs.length;
    inputs.push({ path, spec: spec ?? point(0), used: spec !== undefined });
  };
  add('requestsPerDay', 'traffic.requests_per_day', t.requests_per_day);
  add('inputTokens', 'traffic.input_tokens', t.input_tokens);
  add('outputTokens', 'traffic.output_tokens', t.output_tokens);
  add('growthMonthly', 'traffic.growth_monthly', t.growth_monthly);
  add('noiseCv', 'traffic.noise.cv', t.noise.cv);
  add('noiseAutocorrelation', 'traffic.noise.autocorrelation', t.noise.autocorrelation);
  add('burstRate', 'traffic.bursts.rate_per_month', t.bursts?.rate_per_month);
  add('burstSize', 'traffic.bursts.size', t.bursts?.size);
  add('burstHours', 'traffic.bursts.duration_hours', t.bursts?.duration_hours);
  add('peakToMean', 'traffic.peak_to_mean', t.peak_to_mean === 'auto' ? undefined : t.peak_to_mean);
  if (t.peak_to_mean === 'auto') inputs[idx.peakToMean] = { path: 'traffic.peak_to_mean', spec: point(1), used: false };
  add('cacheHitRate', 'api_pricing.cache_hit_rate', ap.cache_hit_rate);
  add('cacheWriteRate', 'api_pricing.cache_write_rate', ap.cache_write_rate);
  add('batchShare', 'api_pricing.batch_share', ap.batch_share);
  const bs = inputs[idx.batchShare]!.spec.dist;
  if (sh.batch_share === 'deferred' && bs.type === 'point' && bs.value <= 0) {
    warnings.push('self_hosted.batch_share: deferred has nothing to defer: api_pricing.batch_share is 0 (give the share of calls that can wait for a batch API)');
  }
  add('retryOverhead', 'api_pricing.retry_overhead', ap.retry_overhead);
  add('priceDecline', 'api_pricing.price_decline_annual', ap.price_decline_annual);
  add('longContextShare', 'api_pricing.long_context_share', ap.long_context_share);
  add('engineEfficiency', 'self_hosted.engine_efficiency', sh.engine_efficiency);
  add('opsPerMonth', 'self_hosted.ops_cost_per_month', sh.ops_cost_per_month);
  add('usdPerKwh', 'self_hosted.power.usd_per_kwh', sh.power?.usd_per_kwh);
  add('pue', 'self_hosted.power.pue', sh.power?.pue);
  add('residualValue', 'self_hosted.power.residual_value', sh.power?.residual_value);
  add('gpuPriceDecline', 'self_hosted.gpu_price_decline_annual', sh.gpu_price_decline_annual);

  // Zero traffic is an explicit answer, not a NaN.
  const rq = t.requests_per_day;
  if (rq.dist.type === 'point' && rq.dist.value === 0 && !t.trace) {
    throw new UserError(
      `${loaded.file ?? 'workload'}: traffic.requests_per_day is 0: with no traffic there is nothing to compare (the API costs $0 and any fleet costs more); give the expected calls per day`,
    );
  }

  // batch jobs' items per run
  let batchItemsInput = -1;
  if (t.batch_jobs) {
    batchItemsInput = inputs.length;
    inputs.push({ path: 'traffic.batch_jobs.items_per_run', spec: t.batch_jobs.items_per_run, used: true });
  }
  // the prefix cache's hit rate, only when the workload has a prefix cache
  let prefixCache: Plan['prefixCache'] = null;
  if (sh.prefix_cache) {
    const pc = sh.prefix_cache;
    prefixCache = { hitInput: inputs.length, reserveFraction: pc.reserve_fraction, workingSetTokens: pc.working_set_tokens };
    inputs.push({ path: 'self_hosted.prefix_cache.hit_rate', spec: pc.hit_rate, used: true });
  }
  const typicalPrefix: PrefixCache | undefined = sh.prefix_cache
    ? { hitRate: median(sh.prefix_cache.hit_rate), reserveFraction: sh.prefix_cache.reserve_fraction, workingSetTokens: sh.prefix_cache.working_set_tokens }
    : undefined;

  // Per-GPU price inputs, shared by options on the same GPU and pricing mode.
  const gpuInput = new Map<string, number>();
  const inputFor = (key: string, path: string, spec: DistSpec | undefined, stream?: string): number => {
    const have = gpuInput.get(key);
    if (have !== undefined) return have;
    const i = inputs.length;
    inputs.push({ path, ...(stream !== undefined ? { key: stream } : {}), spec: spec ?? point(0), used: spec !== undefined });
    gpuInput.set(key, i);
    return i;
  };

  const inMed = median(t.input_tokens);
  const outMed = median(t.output_tokens);
  const context = inMed + outMed / 2;
  const options: OptionPlan[] = [];
  for (const ro of loaded.options) {
    const o = ro.option;
    const hw = ro.gpu;
    /** the model this option serves: the routed small model, else the workload's */
    const om = ro.model ?? loaded.model;
    const routing = o.routing
      ? { shareInput: inputFor(`routing:${ro.id}`, `self_hosted.options[${loaded.options.indexOf(ro)}].routing.share`, o.routing.share, `self_hosted.options.${ro.id}.routing.share`), quality: o.routing.quality_assumption }
      : null;
    let infeasibleReason: string | null = null;
    const engine = engineCaps(ro.engine, hw);
    let tp = o.tp ?? minTpThatFits(hw, om, o.weights, o.kv_cache, context) ?? 0;
    // no tp fits: the reason at the largest tp says whether the weights or the KV cache do not
    if (tp === 0) tp = hw.gpus_per_node;
    infeasibleReason = doesNotFitReason({ hardware: hw, model: om, weights: o.weights, kvCache: o.kv_cache, tp }, context);
    if (!infeasibleReason) {
      const cap = replicaCapacity(
        { hardware: hw, model: om, weights: o.weights, kvCache: o.kv_cache, tp },
        engine,
        { inputTokens: inMed, outputTokens: outMed, tpotMs: sh.slo.tpot_ms, engineEfficiency: median(sh.engine_efficiency), prefixCache: typicalPrefix },
      );
      if (!cap.feasible) infeasibleReason = cap.reason;
    }
    const modeSpec =
      o.pricing === 'owned' ? undefined : o.pricing === 'spot' ? hw.price_per_gpu_hour.spot : o.pricing === 'reserved' ? hw.price_per_gpu_hour.reserved : hw.price_per_gpu_hour.on_demand;
    const priceInput =
      o.pricing === 'owned'
        ? inputFor(`${hw.id}:capex`, `hardware.${hw.id}.capex_per_gpu_usd`, hw.capex_per_gpu_usd)
        : inputFor(`${hw.id}:${o.pricing}`, `hardware.${hw.id}.price_per_gpu_hour.${o.pricing}`, modeSpec);
    const spotRateInput = o.pricing === 'spot' ? inputFor(`${hw.id}:spot-rate`, `hardware.${hw.id}.spot_interruption_rate`, hw.spot_interruption_rate) : -1;
    const capexInput = o.pricing === 'owned' ? priceInput : -1;
    const f = o.fleet;
    let policy: PolicyPlan;
    if (f.policy === 'fixed') policy = { policy: 'fixed', peakQuantile: f.peak_quantile, resizeMonths: f.resize === 'none' ? 0 : resizeMonths(f.resize) };
    else if (f.policy === 'hybrid') policy = { policy: 'hybrid', baseReplicas: f.base_replicas };
    else if (f.policy === 'existing') {
      const where = `${loaded.file ?? 'workload'}: self_hosted.options[${loaded.options.indexOf(ro)}].fleet.gpus`;
      const fits = doesNotFitReason({ hardware: hw, model: om, weights: o.weights, kvCache: o.kv_cache, tp }, context);
      if (fits) throw new UserError(`${where}: the ${f.gpus} ${hw.id} GPUs you have cannot hold the model: ${fits}`);
      if (tp > f.gpus) {
        throw new UserError(
          `${where}: ${om.id} ${o.weights} needs ${tp}×${hw.id} per replica (tp ${tp}) but the fleet has ${f.gpus}; give the GPUs you have, a smaller weight format, or tp`,
        );
      }
      policy = {
        policy: 'existing',
        replicas: Math.floor(f.gpus / tp),
        untilHours: (f.until_month ?? w.horizon_months) * HOURS_PER_MONTH,
        sunk: f.sunk,
        overflow: f.overflow,
      };
      if (f.gpus % tp !== 0) warnings.push(`${ro.id}: ${f.gpus} GPUs make ${Math.floor(f.gpus / tp)} replicas of tp ${tp}; ${f.gpus % tp} stay idle`);
    } else {
      const step = f.node_gpus ? Math.max(1, Math.floor(f.node_gpus / tp)) : 1;
      if (f.node_gpus && f.node_gpus < tp) warnings.push(`${ro.id}: node_gpus ${f.node_gpus} is smaller than tp ${tp}; scaling one replica at a time`);
      policy = {
        policy: 'autoscale',
        minReplicas: f.min_replicas,
        maxReplicas: f.max_replicas ?? Number.MAX_SAFE_INTEGER,
        lagHours: f.scale_up_lag_hours,
        step,
        coldStartHours: f.cold_start_minutes / 60,
        targetUtilisation: f.target_utilisation,
      };
    }
    if (f.policy === 'fixed' && f.resize !== 'none' && o.pricing === 'reserved') {
      warnings.push(`${ro.id}: a reservation commits to the peak fleet for whole terms, so resize: ${f.resize} saves nothing on reserved pricing`);
    }
    if ((o.weights === 'fp8' || o.weights === 'int8') && hw.peak_tflops[o.weights] === undefined) {
      warnings.push(
        `${ro.id}: ${hw.name} has no native ${o.weights.toUpperCase()} tensor rate, so ${o.weights.toUpperCase()} is emulated, not refused: weights are stored and read at 1 byte per parameter but computed at the ${hw.peak_tflops.bf16 !== undefined ? 'BF16' : 'FP16'} rate (weight-only, as vLLM's Marlin kernels run FP8 on Ampere); expect the memory saving, not the compute speed-up`,
      );
    }
    const ttftHint =
      !infeasibleReason && sh.slo.ttft_ms !== undefined
        ? ttftTpHint({ hw, model: om, weights: o.weights, kvCache: o.kv_cache, tp, engine, inTokens: inMed, outTokens: outMed, tpotMs: sh.slo.tpot_ms, ttftMs: sh.slo.ttft_ms, engineEfficiency: median(sh.engine_efficiency), prefixCache: typicalPrefix })
        : '';
    const term = hw.reserved_term_months ?? 12;
    if (o.pricing === 'reserved' && w.horizon_months % term !== 0) {
      const terms = Math.ceil(w.horizon_months / term);
      warnings.push(
        `${ro.id}: the ${term}-month reserved term does not divide the ${w.horizon_months}-month horizon; ${terms} whole terms (${terms * term} months) are paid, not pro-rated`,
      );
    }
    // the loader could not know an automatic tp; label with the one chosen here
    const label = o.tp === undefined && !infeasibleReason ? optionLabel({ ...o, tp }, om, hw) : ro.label;
    options.push({
      id: ro.id,
      label,
      gpu: hw.id,
      weights: o.weights,
      kvCache: o.kv_cache,
      tp,
      pricing: o.pricing,
      policy,
      hardware: hw,
      engine,
      infeasibleReason,
      priceInput,
      spotRateInput,
      capexInput,
      ttftHint,
      reservedTermMonths: term,
      model: om,
      routing,
      commitMult: o.pricing === 'reserved' ? reservedCommitMultiplier(term, w.horizon_months) : 1,
    });
  }

  let trace: number[] | null = null;
  if (t.trace) {
    const base = loaded.file ? dirname(loaded.file) : process.cwd();
    const arr = readTrace(resolve(base, t.trace.file), t.trace.column);
    trace = Array.from(arr);
    if (t.trace.rescale) {
      const firstMonth = trace.slice(0, Math.min(trace.length, HOURS_PER_MONTH));
      const mean = firstMonth.reduce((a, b) => a + b, 0) / firstMonth.length;
      const target = median(t.requests_per_day) / 24;
      if (mean > 0) trace = trace.map((v) => (v * target) / mean);
    }
  }

  const horizonMonths = w.horizon_months;
  const hours = horizonMonths * HOURS_PER_MONTH;
  // Volume grid for curves: ±2.5 decades around the scenario's median volume.
  const medVolume =
    (trace ? (trace.reduce((a, b) => a + b, 0) / trace.length) * HOURS_PER_MONTH : median(t.requests_per_day) * (HOURS_PER_MONTH / 24)) * (inMed + outMed);
  const center = Math.log10(Math.max(medVolume, 1));
  const lo = Math.floor((center - 2.5) * 4) / 4;
  const hi = Math.ceil((center + 2.5) * 4) / 4;
  const grid: number[] = [];
  for (let e = lo; e <= hi + 1e-9; e += 1 / DEFAULTS.gridPointsPerDecade) grid.push(Math.pow(10, e));

  const apiMix = loaded.apis;
  const { id: apiId, label: apiLabel } = baselineName(apiMix);
  const compareApis = (loaded.compareApis ?? []).map((mix) => ({ ...baselineName(mix), mix, windowHours: batchWindow(mix) }));

  // every input draws from its own stream: two inputs on one stream would draw the same numbers
  const streams = new Map<string, string>();
  for (const inp of inputs) {
    const k = streamKey(streamName(inp));
    const id = `${k.h1}:${k.h2}`;
    const other = streams.get(id);
    if (other !== undefined) throw new Error(`inputs ${other} and ${streamName(inp)} would share a random stream`);
    streams.set(id, streamName(inp));
  }

  return {
    scenario: { name: w.name, description: w.description, file: loaded.name, model: loaded.model.id, horizonMonths, workload: loaded.raw, catalog: usedCatalog(loaded) },
    seed: opts.seed ?? w.simulation.seed,
    trials: opts.trials ?? w.simulation.trials,
    hours,
    months: horizonMonths,
    model: loaded.model,
    apiMix,
    apiLabel,
    apiId,
    compareApis,
    inputs,
    idx,
    hourOfWeek: Array.from(hourOfWeekFactors(t.daily_shape, t.weekly_shape)),
    trace,
    hasBursts: t.bursts !== undefined,
    batch: t.batch_jobs
      ? {
          every: t.batch_jobs.every === 'day' ? 24 : 168,
          start: t.batch_jobs.start_hour,
          deadline: t.batch_jobs.deadline_hours,
          inputTokens: t.batch_jobs.input_tokens,
          outputTokens: t.batch_jobs.output_tokens,
          itemsInput: batchItemsInput,
          windowHours: batchWindow(apiMix),
        }
      : null,
    deferred: sh.batch_share === 'deferred' ? { windowHours: batchWindow(apiMix) } : null,
    peakToMeanAuto: t.peak_to_mean === 'auto',
    tpotMs: sh.slo.tpot_ms ?? null,
    ttftMs: sh.slo.ttft_ms ?? null,
    sloAttainment: sh.slo.attainment,
    hasPower: sh.power !== undefined,
    amortisationMonths: sh.power?.amortisation_months ?? 36,
    options,
    grid,
    prefixCache,
    typical: { inputTokens: inMed, outputTokens: outMed, engineEfficiency: median(sh.engine_efficiency), prefixCache: typicalPrefix },
    warnings,
  };
}

/**
 * Whether the TTFT target can be met at median inputs with `tp` GPUs per replica; when it
 * cannot, the smallest larger power-of-two tp within one node (gpus_per_node) whose replica
 * fits and meets it, as a hint for the infeasible reason ("; try tp: 4 (...)"); when none
 * does, says that a whole node would not either; "" when tp already meets it. Prefill is split across the tp GPUs, so more tp shortens the time to first token.
 * Cost: one capacity evaluation per tp tried (at most 7).
 */
export function ttftTpHint(a: {
  hw: Hardware;
  model: Model;
  weights: WeightFormat;
  kvCache: KvFormat;
  tp: number;
  engine: EngineCaps;
  inTokens: number;
  outTokens: number;
  tpotMs: number | undefined;
  ttftMs: number;
  engineEfficiency: number;
  prefixCache?: PrefixCache | undefined;
}): string {
  const w = { inputTokens: a.inTokens, outputTokens: a.outTokens, tpotMs: a.tpotMs, engineEfficiency: a.engineEfficiency, prefixCache: a.prefixCache };
  const meets = (tp: number): boolean => {
    const cfg = { hardware: a.hw, model: a.model, weights: a.weights, kvCache: a.kvCache, tp };
    const cap = replicaCapacity(cfg, a.engine, w);
    return cap.feasible && ttftUtilisation(cfg, a.engine, w, cap, a.ttftMs).feasible;
  };
  if (meets(a.tp)) return '';
  const node = a.hw.gpus_per_node;
  for (let tp = a.tp * 2; tp <= node; tp *= 2) {
    if (meets(tp)) return `; try tp: ${tp} (prefill splits across the GPUs of a replica, so the first token comes sooner)`;
  }
  return a.tp < node ? `; even tp: ${node} (a whole ${node}-GPU node) would not meet it at median prompt length` : '';
}

/**
 * A baseline's id and label: the API's id and name, or for a routing mix `id:share+…` and
 * `70 % name + 30 % name` (config's apiMixId writes the same id from the document). O(mix).
 */
export function baselineName(mix: readonly { api: Api; share: number }[]): { id: string; label: string } {
  if (mix.length === 1) return { id: mix[0]!.api.id, label: mix[0]!.api.name };
  return { id: mix.map((m) => `${m.api.id}:${m.share}`).join('+'), label: mix.map((m) => `${Math.round(m.share * 100)} % ${m.api.name}`).join(' + ') };
}

/** A baseline's batch window, hours: the longest of its APIs' (batch jobs get batch prices only within it). O(mix). */
function batchWindow(mix: readonly { api: Api; share: number }[]): number {
  return Math.max(...mix.map((m) => m.api.batch_window_hours ?? DEFAULTS.batchWindowHours));
}
