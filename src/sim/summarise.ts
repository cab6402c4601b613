/**
 * Per-trial engine output → the result JSON (quantiles, P(cheaper), curves, histograms,
 * sensitivity): `resultFromTrials`. Pure: same engine output, same result, byte for byte.
 * Every number is finite: "never breaks even" is a share, not an Infinity; infeasible options
 * say why. The statistics themselves (quantiles, ECDF, ranks, correlation) are src/stats'.
 *
 * SLO (DESIGN §4b): `p_cheaper` and the break-even curve count a trial only when the option
 * is cheaper AND meets the attainment target; `p_cheaper_ignoring_slo` keeps the cost-only
 * share for transparency.
 */
import type { EngineOutput } from './engine.js';
import type { Plan } from './plan.js';
import { optionMetric, globalMetric, vsMetric, vsGlobalMetric, type OptionMetric } from './metrics.js';
import type { SimulationResult, EarlySummary, Quantiles, OptionResult, PerfSummary, InputSummary, Sensitivity, VsApiResult } from './result.js';
import { RESULT_SCHEMA_VERSION, RANDOM_STREAMS } from './result.js';
import { summarize, ranks, pearson, logHistogram, sum, ecdfAt } from '../stats/index.js';
import { describe as describeDist } from '../distributions/index.js';
import { replicaCapacity, memoryPlan, throughputCurve, maxBatchWithinTpot, tableFormats, throughputSource } from '../perf/index.js';
import { DEFAULTS } from '../defaults.js';
import { batchRuns } from '../cost/index.js';
import { TOOL_NAME, TOOL_VERSION } from '../version.js';

const ZERO: Quantiles = { p10: 0, p50: 0, p90: 0, mean: 0 };

/** Quantiles over the finite values of a per-trial array (NaN = not applicable). */
function finiteQuantiles(values: Float64Array): Quantiles | null {
  let n = 0;
  for (let i = 0; i < values.length; i++) if (Number.isFinite(values[i]!)) n++;
  if (n === 0) return null;
  if (n === values.length) return round(summarize(values));
  const f = new Float64Array(n);
  let j = 0;
  for (let i = 0; i < values.length; i++) if (Number.isFinite(values[i]!)) f[j++] = values[i]!;
  return round(summarize(f));
}

/**
 * 6 significant digits: stable JSON, no false precision. Refuses a non-finite value (it
 * used to turn NaN and Infinity into 0, which printed $0 costs and 100 % P(cheaper) from
 * broken inputs): every number reaching the result is finite by the input rules, and a
 * quantity that can be "not applicable" says so with null or a share, never a silent 0.
 */
export function roundSig6(v: number): number {
  if (!Number.isFinite(v)) throw new RangeError(`a result number is ${v}; inputs should have been refused before the simulation (please report it)`);
  if (v === 0) return 0; // -0 too
  return Number(v.toPrecision(6));
}
function round(q: Quantiles): Quantiles {
  return { p10: roundSig6(q.p10), p50: roundSig6(q.p50), p90: roundSig6(q.p90), mean: roundSig6(q.mean) };
}

function mean(values: Float64Array): number {
  return values.length ? sum(values) / values.length : 0;
}

function inputSummaries(plan: Plan, out: EngineOutput): InputSummary[] {
  return plan.inputs
    .map((inp, j) => ({ inp, j }))
    .filter(({ inp }) => inp.used)
    .map(({ inp, j }) => {
      const q = summarize(out.inputs[j]!);
      return {
        path: inp.path,
        written: inp.spec.written,
        dist: describeDist(inp.spec.dist),
        p10: roundSig6(q.p10),
        p50: roundSig6(q.p50),
        p90: roundSig6(q.p90),
        source: inp.spec.source ?? null,
      };
    });
}

function perfSummary(plan: Plan, o: number): PerfSummary | null {
  const op = plan.options[o]!;
  if (op.infeasibleReason) return null;
  const cfg = { hardware: op.hardware, model: op.model, weights: op.weights, kvCache: op.kvCache, tp: op.tp };
  const cap = replicaCapacity(cfg, op.engine, {
    inputTokens: plan.typical.inputTokens,
    outputTokens: plan.typical.outputTokens,
    tpotMs: plan.tpotMs ?? undefined,
    engineEfficiency: plan.typical.engineEfficiency,
    prefixCache: plan.typical.prefixCache,
  });
  if (!cap.feasible) return null;
  return {
    tp: op.tp,
    gpus_per_replica: op.tp,
    batch: cap.batch,
    max_batch_memory: cap.maxBatchMemory,
    max_batch_tpot: cap.maxBatchTpot,
    limited_by: cap.limitedBy,
    decode_step_ms: roundSig6(cap.stepMs),
    output_tokens_per_s_per_replica: roundSig6(cap.outputTokensPerS),
    prefill_tokens_per_s_per_replica: roundSig6(cap.prefillTokensPerS),
    requests_per_s_per_replica: roundSig6(cap.requestsPerS),
    engine: op.engine.id,
    prompt_tokens_per_step: roundSig6(cap.chunkTokens),
    throughput_source: throughputSource(op.hardware).kind,
    throughput_source_note: throughputSource(op.hardware).text,
    prefix_cache: plan.typical.prefixCache ? { hit: roundSig6(cap.prefixHit), cached_tokens: cap.cachedPrefixTokens, reserve_fraction: plan.typical.prefixCache.reserveFraction } : null,
  };
}

/**
 * Spearman rank correlation of each varying input with break-even volume and with savings.
 * Ranks of each input are computed once and shared by every option (`inputRanks`); Spearman
 * = Pearson on ranks (average ranks for ties). O(inputs × n log n) in all.
 */
function sensitivities(plan: Plan, out: EngineOutput, o: number, inputRanks: (Float64Array | null)[]): Sensitivity[] {
  const n = Math.min(plan.trials, DEFAULTS.sensitivityTrials);
  const be = optionMetric(out, o, 'breakeven_tokens_per_month').subarray(0, n);
  const sav = optionMetric(out, o, 'savings_per_month').subarray(0, n);
  // "never breaks even" ranks above every finite break-even; infeasible trials rank lowest in savings
  const beR = new Float64Array(n);
  const savR = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    beR[i] = Number.isFinite(be[i]!) ? be[i]! : Number.MAX_VALUE;
    savR[i] = Number.isFinite(sav[i]!) ? sav[i]! : -Number.MAX_VALUE;
  }
  // an output that is the same in every trial up to rounding has no ranks to correlate:
  // its correlations are 0, not the ranking of floating-point noise
  const beRanks = nearlyConstant(beR) ? null : ranks(beR);
  const savRanks = nearlyConstant(savR) ? null : ranks(savR);
  const res: Sensitivity[] = [];
  plan.inputs.forEach((inp, j) => {
    const xr = inputRanks[j];
    if (!xr) return;
    res.push({
      input: inp.path,
      breakeven_rank_correlation: beRanks ? roundSig6(pearson(xr, beRanks)) : 0,
      savings_rank_correlation: savRanks ? roundSig6(pearson(xr, savRanks)) : 0,
    });
  });
  res.sort((a, b) => Math.abs(b.breakeven_rank_correlation) - Math.abs(a.breakeven_rank_correlation) || a.input.localeCompare(b.input));
  return res;
}

/** Are all values within 1e-9 (relative) of each other? O(n). */
function nearlyConstant(values: Float64Array): boolean {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return !(hi - lo > 1e-9 * Math.max(Math.abs(hi), Math.abs(lo)));
}

function seriesQuantiles(data: Float64Array, sub: number, stride: number, slot: number, width: number) {
  const p10: number[] = [];
  const p50: number[] = [];
  const p90: number[] = [];
  const col = new Float64Array(sub);
  for (let g = 0; g < width; g++) {
    let n = 0;
    for (let t = 0; t < sub; t++) {
      const v = data[(t * stride + slot) * width + g]!;
      if (Number.isFinite(v)) col[n++] = v;
    }
    const q = n ? summarize(col.subarray(0, n)) : ZERO;
    p10.push(roundSig6(q.p10));
    p50.push(roundSig6(q.p50));
    p90.push(roundSig6(q.p90));
  }
  return { p10, p50, p90 };
}

/** The finite values of `values` (where `meets` is 1, if given), sorted. O(n log n). */
function finiteSorted(values: Float64Array, meets: Float64Array | null): Float64Array {
  const out = new Float64Array(values.length);
  let n = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (Number.isFinite(v) && (meets === null || meets[i] === 1)) out[n++] = v;
  }
  return out.subarray(0, n).sort();
}

/** Option o's share of trials in which it could run. O(trials). */
function feasibleShareOf(out: EngineOutput, o: number): number {
  return mean(optionMetric(out, o, 'feasible'));
}

/**
 * The parts of the result that all its charts but the tornado read (result.ts `EarlySummary`):
 * the cost fan, the cumulative cost series, one sampled traffic week, utilisation by hour of
 * the week (all from the subsample trials), P(cheaper) by volume, the break-even histograms,
 * the median volume, the payback months and the labels: a few sorts per option.
 * `resultFromTrials` takes these parts from here, so the CLI can draw those charts from this
 * (SimulateOptions.onTrialsDone) while it summarises the rest: the same numbers, the same
 * charts. An option with no trial it could run has no series (never a $0 line).
 * O(trials + subsample × (grid + months + 168) × options).
 */
export function earlySummary(out: EngineOutput): EarlySummary {
  const plan = out.plan;
  const O = plan.options.length;
  const T = plan.trials;
  const ran = plan.options.map((_, o) => feasibleShareOf(out, o) > 0);
  // P(self-hosting stays cheaper) at each grid volume = share of trials that meet the SLO and
  // whose break-even is at or below it (a trial's attainment is taken at the scenario's
  // volume: fleets are sized to demand, so it moves little with the scale)
  const p_cheaper: Record<string, number[]> = {};
  const breakeven_histograms: SimulationResult['breakeven_histograms'] = {};
  plan.options.forEach((op, o) => {
    const be = optionMetric(out, o, 'breakeven_tokens_per_month');
    const meets = optionMetric(out, o, 'meets_slo');
    const sorted = finiteSorted(be, null);
    const sortedMeeting = finiteSorted(be, meets);
    p_cheaper[op.id] = sortedMeeting.length ? ecdfAt(sortedMeeting, plan.grid).map((p) => roundSig6((p * sortedMeeting.length) / T)) : plan.grid.map(() => 0);
    const h = sorted.length ? logHistogram(sorted, DEFAULTS.breakevenBins) : { edges: [], counts: [] };
    breakeven_histograms[op.id] = { edges: h.edges.map(roundSig6), counts: h.counts };
  });

  const cost_fan: SimulationResult['curves']['cost_fan'] = {};
  const cumSeries: SimulationResult['cumulative_cost']['series'] = {};
  plan.options.forEach((op, o) => {
    if (!ran[o]) return;
    cost_fan[op.id] = seriesQuantiles(out.fan, out.sub, O + 1, o, plan.grid.length);
    cumSeries[op.id] = seriesQuantiles(out.cumulative, out.sub, O + 1, o, plan.months);
  });
  cost_fan['api'] = seriesQuantiles(out.fan, out.sub, O + 1, O, plan.grid.length);
  cumSeries['api'] = seriesQuantiles(out.cumulative, out.sub, O + 1, O, plan.months);

  const how: Record<string, number[]> = {};
  plan.options.forEach((op, o) => {
    if (!ran[o]) return;
    // mean over the subsample trials in which the option could run (NaN elsewhere)
    const acc = new Float64Array(168);
    const all = out.how;
    let trialsRun = 0;
    for (let t = 0; t < out.sub; t++) {
      const at = (t * O + o) * 168;
      if (Number.isNaN(all[at]!)) continue;
      trialsRun++;
      for (let h = 0; h < 168; h++) acc[h]! += all[at + h]!;
    }
    how[op.id] = Array.from(acc, (v) => roundSig6(trialsRun ? v / trialsRun : 0));
  });

  const week = {
    hours: Array.from({ length: 168 }, (_, h) => h),
    demand_tokens_per_hour: Array.from(out.week.subarray(0, 168), roundSig6),
    capacity_tokens_per_hour: Object.fromEntries(plan.options.map((op, o) => [op.id, Array.from(out.week.subarray(168 * (o + 1), 168 * (o + 2)), roundSig6)])),
  };

  return {
    api: { label: plan.apiLabel },
    scenario: { horizon_months: plan.months, trials: T },
    options: plan.options.map((op, o) => {
      const be = optionMetric(out, o, 'breakeven_tokens_per_month');
      let never = 0;
      for (let i = 0; i < T; i++) if (!Number.isFinite(be[i]!)) never++;
      return {
        id: op.id,
        label: op.label,
        feasible: ran[o]!,
        pricing: op.pricing,
        payback_month: op.pricing === 'owned' ? finiteQuantiles(optionMetric(out, o, 'payback_month')) : null,
        never_breaks_even_share: roundSig6(never / T),
      };
    }),
    volume_tokens_per_month: round(summarize(globalMetric(out, 'volume_tokens_per_month'))),
    curves: { grid: { tokens_per_month: plan.grid.map(roundSig6) }, p_cheaper, cost_fan },
    breakeven_histograms,
    cumulative_cost: { months: Array.from({ length: plan.months }, (_, i) => i + 1), series: cumSeries },
    traffic_week: week,
    utilisation_by_hour_of_week: how,
  };
}

/**
 * Option `o` against extra baseline `c` (compare_apis): the same summaries as the option's
 * p_cheaper, savings_per_month, breakeven_tokens_per_month and never_breaks_even_share, from
 * the trial's versus-rule values. O(trials log trials).
 */
function versusSummary(out: EngineOutput, o: number, c: number): VsApiResult {
  const be = vsMetric(out, o, c, 'breakeven_tokens_per_month');
  let never = 0;
  for (let i = 0; i < be.length; i++) if (!Number.isFinite(be[i]!)) never++;
  return {
    p_cheaper: roundSig6(mean(vsMetric(out, o, c, 'cheaper'))),
    savings_per_month: finiteQuantiles(vsMetric(out, o, c, 'savings_per_month')) ?? ZERO,
    breakeven_tokens_per_month: finiteQuantiles(be),
    never_breaks_even_share: roundSig6(never / be.length),
  };
}

/**
 * The result JSON of an engine run; `early`: its early summary, if already made (its parts are
 * the result's, the same objects). O(options × trials log trials).
 */
export function resultFromTrials(out: EngineOutput, early: EarlySummary = earlySummary(out)): SimulationResult {
  const plan = out.plan;
  const T = plan.trials;
  const apiPerM = globalMetric(out, 'api_cost_per_million_tokens');
  const apiPerMonth = globalMetric(out, 'api_cost_per_month');

  const nSens = Math.min(T, DEFAULTS.sensitivityTrials);
  const inputRanks = plan.inputs.map((inp, j) =>
    inp.used && inp.spec.dist.type !== 'point' ? ranks(out.inputs[j]!.subarray(0, nSens)) : null,
  );
  const options: OptionResult[] = plan.options.map((op, o) => {
    const metric = (name: OptionMetric) => optionMetric(out, o, name);
    const feasibleShare = feasibleShareOf(out, o);
    const be = metric('breakeven_tokens_per_month');
    const feasible = early.options[o]!.feasible;
    const q = (name: OptionMetric) => finiteQuantiles(metric(name)) ?? ZERO;
    const reason = op.infeasibleReason ?? (feasible ? null : out.reasons[o] || 'no trial could meet the SLO');
    return {
      id: op.id,
      label: op.label,
      gpu: op.gpu,
      model: op.model.id,
      weights: op.weights,
      kv_cache: op.kvCache,
      pricing: op.pricing,
      policy: op.policy.policy,
      tp: op.tp,
      feasible,
      infeasible_reason: reason,
      feasible_share: roundSig6(feasibleShare),
      perf: feasible ? perfSummary(plan, o) : null,
      p_cheaper: roundSig6(mean(metric('cheaper'))),
      p_cheaper_ignoring_slo: roundSig6(mean(metric('cheaper_ignoring_slo'))),
      slo_attainment: finiteQuantiles(metric('slo_attainment')),
      p_meets_slo: roundSig6(mean(metric('meets_slo'))),
      gpus: finiteQuantiles(metric('gpus')),
      breakeven_tokens_per_month: finiteQuantiles(be),
      never_breaks_even_share: early.options[o]!.never_breaks_even_share,
      cost_per_million_tokens: q('cost_per_million_tokens'),
      cost_per_month: q('cost_per_month'),
      savings_per_month: q('savings_per_month'),
      utilisation: q('utilisation'),
      violation_hours: q('violation_hours'),
      overflow_share: q('overflow_share'),
      replicas: q('replicas'),
      payback_month: early.options[o]!.payback_month,
      batch_runs_missed_share: plan.batch ? finiteQuantiles(metric('batch_missed_share')) : null,
      deferred_missed_share: plan.deferred ? finiteQuantiles(metric('deferred_missed_share')) : null,
      routing: op.routing ? { share: round(summarize(out.inputs[op.routing.shareInput]!)), quality_assumption: op.routing.quality } : null,
      sensitivity: feasible ? sensitivities(plan, out, o, inputRanks) : [],
      vs_apis: Object.fromEntries(plan.compareApis.map((cb, c) => [cb.id, versusSummary(out, o, c)])),
    };
  });


  const warnings = [...plan.warnings];
  options.forEach((o) => {
    if (o.feasible && o.feasible_share < 1) {
      const pct = (1 - o.feasible_share) * 100;
      const pctText = pct >= 10 ? pct.toFixed(0) : pct >= 1 ? pct.toFixed(1) : pct.toPrecision(1);
      warnings.push(`${o.id}: infeasible in ${pctText} % of trials (${out.reasons[plan.options.findIndex((p) => p.id === o.id)]}); those trials count as not cheaper`);
    }
  });

  return {
    schema_version: RESULT_SCHEMA_VERSION,
    tool: { name: TOOL_NAME, version: TOOL_VERSION },
    slo: { ttft_ms: plan.ttftMs, tpot_ms: plan.tpotMs, attainment_target: plan.sloAttainment },
    scenario: {
      name: plan.scenario.name,
      description: plan.scenario.description,
      file: plan.scenario.file,
      horizon_months: plan.months,
      model: plan.model.id,
      seed: plan.seed,
      trials: T,
      random_streams: RANDOM_STREAMS,
      workload: plan.scenario.workload,
      catalog: plan.scenario.catalog,
    },
    volume_tokens_per_month: early.volume_tokens_per_month,
    inputs: inputSummaries(plan, out),
    api: {
      id: plan.apiId,
      label: plan.apiLabel,
      mix: plan.apiMix.map((x) => ({ api: x.api.id, share: x.share })),
      cost_per_million_tokens: round(summarize(apiPerM)),
      cost_per_month: round(summarize(apiPerMonth)),
    },
    compare_apis: plan.compareApis.map((cb, c) => ({
      id: cb.id,
      label: cb.label,
      mix: cb.mix.map((x) => ({ api: x.api.id, share: x.share })),
      cost_per_million_tokens: round(summarize(vsGlobalMetric(out, c, 'api_cost_per_million_tokens'))),
      cost_per_month: round(summarize(vsGlobalMetric(out, c, 'api_cost_per_month'))),
    })),
    options,
    curves: early.curves,
    breakeven_histograms: early.breakeven_histograms,
    cumulative_cost: early.cumulative_cost,
    traffic_week: early.traffic_week,
    utilisation_by_hour_of_week: early.utilisation_by_hour_of_week,
    throughput_curves: throughputCurves(plan),
    calibration: calibrations(plan),
    batch_jobs: plan.batch
      ? { deadline_hours: plan.batch.deadline, api_batch_window_hours: plan.batch.windowHours, api_batch_prices: plan.batch.deadline >= plan.batch.windowHours, runs: batchRuns(plan.batch, plan.hours) }
      : null,
    deferred_batch_share: plan.deferred ? { window_hours: plan.deferred.windowHours, share: round(summarize(out.inputs[plan.idx.batchShare]!)) } : null,
    warnings,
  };
}

/**
 * The result's throughput curves: for each GPU/model/tp/KV format the options use, output
 * tokens per second per GPU against the batch, per weight format, with the memory and TPOT
 * limits. They depend on the plan alone (the CLI draws their charts while the trials run).
 */
export function throughputCurves(plan: Plan): SimulationResult['throughput_curves'] {
  const seen = new Set<string>();
  const curves: SimulationResult['throughput_curves'] = [];
  const context = Math.round(plan.typical.inputTokens + plan.typical.outputTokens / 2);
  for (const op of plan.options) {
    const key = `${op.model.id}/${op.gpu}/${op.tp}/${op.kvCache}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const hw = op.hardware;
    const formats = tableFormats(hw);
    const points: SimulationResult['throughput_curves'][number]['points'] = [];
    const maxMem: Record<string, number> = {};
    const maxTpot: Record<string, number | null> = {};
    for (const f of formats) {
      const cfg = { hardware: hw, model: op.model, weights: f, kvCache: op.kvCache, tp: op.tp };
      const mp = memoryPlan(cfg, context);
      if (!mp.fits || mp.maxBatch < 1) continue;
      maxMem[f] = mp.maxBatch;
      const batches: number[] = [];
      for (let b = 1; b <= Math.min(1024, Math.max(1, mp.maxBatch)); b *= 2) batches.push(b);
      if (batches[batches.length - 1] !== mp.maxBatch && mp.maxBatch <= 1024) batches.push(mp.maxBatch);
      for (const p of throughputCurve(cfg, context, batches)) {
        points.push({ weights: f, batch: p.batch, output_tokens_per_s_per_gpu: roundSig6(p.outputTokensPerSPerGpu), step_ms: roundSig6(p.stepMs) });
      }
      maxTpot[f] = plan.tpotMs !== null ? maxBatchWithinTpot(cfg, context, plan.tpotMs, mp.maxBatch) : null;
    }
    curves.push({ gpu: hw.id, model: op.model.id, tp: op.tp, context_tokens: context, tpot_ms: plan.tpotMs, points, max_batch_memory: maxMem, max_batch_tpot: maxTpot });
  }
  return curves;
}

function calibrations(plan: Plan): SimulationResult['calibration'] {
  const seen = new Set<string>();
  const out: SimulationResult['calibration'] = [];
  for (const op of plan.options) {
    const c = op.hardware.calibration;
    if (!c || seen.has(op.gpu)) continue;
    seen.add(op.gpu);
    out.push({
      gpu: op.gpu,
      fitted_on: c.fitted_on,
      median_abs_error: c.median_abs_error,
      max_abs_error: c.max_abs_error,
      held_out_median_abs_error: c.held_out_median_abs_error ?? null,
      held_out_max_abs_error: c.held_out_max_abs_error ?? null,
    });
  }
  return out;
}
