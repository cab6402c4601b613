/**
 * `plan`, end to end:
 *
 *   compile the workload (its own options, medians of the request) → enumerate and prune
 *   (enumerate.ts) → compile every surviving candidate as an option of ONE plan, the
 *   workload's own options first → simulate it once (every candidate on the same trials:
 *   same inputs, same traffic path; a candidate costs one exact pass over the hours) → rank
 *   (rank.ts) → Pareto frontiers → GPUs needed across volumes for the best few → PlanResult.
 *
 * The workload's own options come first so their price inputs are drawn in the same order as
 * in `simulate`: their results here equal `simulate`'s, number for number.
 */
import type { KvFormat, LoadedWorkload, Option, ResolvedOption, WeightFormat } from '../config/index.js';
import { optionLabel, suggestSimilar } from '../config/index.js';
import { compilePlan, simulatePlan, RESULT_SCHEMA_VERSION, type EngineOptions, type Plan, type SimulationResult } from '../sim/index.js';
import { UserError } from '../errors.js';
import { TOOL_NAME, TOOL_VERSION } from '../version.js';
import {
  DEFAULT_KV,
  DEFAULT_WEIGHTS,
  POLICIES,
  PRICINGS,
  SEARCH_KV,
  SEARCH_WEIGHTS,
  candidateId,
  enumerate,
  type Generated,
  type Policy,
  type Pricing,
  type PrunedEntry,
} from './enumerate.js';
import { MEETS_SLO_SHARE, gpusOf, paretoFront, rankCandidates, sloVerdict, type Rankable } from './rank.js';
import { scaleSpec } from './scale.js';
import { planMessages } from './messages.js';
import { formatCount, formatPercent, formatTokens, formatUsd } from './format.js';
import { PLAN_SCHEMA_VERSION, type PlanCandidate, type PlanResult, type VolumePoint } from './result.js';

/** Volume multiples of the "GPUs needed" sweep. */
export const VOLUME_SCALES: readonly number[] = [0.1, 0.3, 1, 3, 10];
/** Candidates in the sweep, and at most how many trials it runs (it re-simulates only those). */
export const VOLUME_BEST = 3;
export const VOLUME_MAX_TRIALS = 500;
/** Attainment target when the result does not state one (the economics default). */
export const DEFAULT_ATTAINMENT = 0.99;

export interface PlanFilters {
  gpus?: readonly string[];
  weights?: readonly string[];
  kv?: readonly string[];
  policies?: readonly string[];
  pricing?: readonly string[];
  maxGpus?: number;
}

export interface PlanRunOptions extends EngineOptions {
  trials?: number;
  seed?: number;
  /** progress of the whole run, in trials, over the main simulation and the volume sweep */
  onProgress?: (done: number, total: number) => void;
}

/** Check a list flag against what exists: unknown ids get did-you-mean (UserError, exit 2). */
function pick<T extends string>(flag: string, what: string, given: readonly string[] | undefined, known: readonly string[], fallback: readonly T[]): T[] {
  if (given === undefined || given.length === 0) return [...fallback];
  const out: T[] = [];
  for (const g of given) {
    if (!known.includes(g)) {
      const near = suggestSimilar(g, known);
      throw new UserError(planMessages.unknownId(what, flag, g, near, known));
    }
    if (!out.includes(g as T)) out.push(g as T);
  }
  return out;
}

interface Space {
  gpus: string[];
  weights: WeightFormat[];
  kv: KvFormat[];
  policies: Policy[];
  pricing: Pricing[];
  maxGpus: number | null;
  kvExplicit: boolean;
}

/** Resolve the filters against the catalog; throws UserError on unknown ids. */
export function resolveSpace(loaded: LoadedWorkload, f: PlanFilters): Space {
  const gpuIds = [...loaded.catalog.hardware.keys()].sort();
  return {
    gpus: pick('--gpus', 'GPU', f.gpus, gpuIds, gpuIds),
    weights: pick('--weights', 'weight format', f.weights, SEARCH_WEIGHTS, DEFAULT_WEIGHTS),
    kv: pick('--kv', 'KV cache format', f.kv, SEARCH_KV, DEFAULT_KV),
    policies: pick('--policies', 'fleet policy', f.policies, POLICIES, POLICIES),
    pricing: pick('--pricing', 'pricing mode', f.pricing, PRICINGS, PRICINGS),
    maxGpus: f.maxGpus ?? null,
    kvExplicit: f.kv !== undefined && f.kv.length > 0,
  };
}

/** Canonical text of an option's configuration (keys sorted), to find a generated twin of a written option. */
function configKey(o: Option, tp: number, engine: string): string {
  const fleet = Object.fromEntries(Object.entries(o.fleet).sort(([a], [b]) => (a < b ? -1 : 1)));
  return JSON.stringify([o.gpu, o.weights, o.kv_cache, tp, o.pricing, fleet, engine]);
}

function attainmentTarget(r: SimulationResult): number {
  const slo = (r as { slo?: { attainment_target?: unknown } }).slo;
  return typeof slo?.attainment_target === 'number' ? slo.attainment_target : DEFAULT_ATTAINMENT;
}

/** Search the workload's configurations (see the module comment). */
export async function planWorkload(loaded: LoadedWorkload, filters: PlanFilters = {}, opts: PlanRunOptions = {}): Promise<PlanResult> {
  const space = resolveSpace(loaded, filters);
  const planOpts: { trials?: number; seed?: number } = {};
  if (opts.trials !== undefined) planOpts.trials = opts.trials;
  if (opts.seed !== undefined) planOpts.seed = opts.seed;
  const own = compilePlan(loaded, planOpts);

  const engine = loaded.catalog.engines.get(loaded.workload.self_hosted.engine)!.engine;
  const { generated, pruned, enumerated } = enumerate(loaded, { ...space, engine, typical: own.typical, tpotMs: own.tpotMs });

  // the workload's own options that the filters admit: first, so they draw as in simulate
  const written: ResolvedOption[] = [];
  const writtenKeys = new Map<string, string>();
  const writtenInfeasible = new Set<string>();
  let writtenSearched = 0;
  own.options.forEach((op, i) => {
    const ro = loaded.options[i]!;
    // a fleet you already have (issue 15) is not generated by the search, but a written one is compared as written
    const policy = op.policy.policy === 'existing' ? null : op.policy.policy;
    const admitted =
      space.gpus.includes(op.gpu) &&
      space.weights.includes(op.weights) &&
      space.kv.includes(op.kvCache) &&
      (policy === null || space.policies.includes(policy)) &&
      space.pricing.includes(op.pricing) &&
      (space.maxGpus === null || op.tp <= space.maxGpus);
    if (!admitted) return;
    writtenSearched++;
    if (op.infeasibleReason) {
      pruned.push({ gpu: op.gpu, weights: op.weights, kv_cache: op.kvCache, tp: op.tp, policy, pricing: op.pricing, stage: 'after-compile', reason: `${ro.id}: ${op.infeasibleReason}`, candidates: 1, miss_ratio: null });
      // still compiled (it costs nothing: no trial runs it), so later options' price inputs are drawn as in simulate
      writtenInfeasible.add(ro.id);
      written.push(ro);
      return;
    }
    written.push({ ...ro, option: { ...ro.option, tp: op.tp }, label: op.label });
    writtenKeys.set(configKey(ro.option, op.tp, ro.engine.id), ro.id);
  });
  const writtenIds = new Set(written.map((w) => w.id));
  const fresh: Generated[] = [];
  for (const g of generated) {
    const twin = writtenKeys.get(configKey(g.option, g.option.tp, g.engine.id));
    const clash = writtenIds.has(g.id);
    if (twin !== undefined || clash) {
      pruned.push({ gpu: g.option.gpu, weights: g.option.weights, kv_cache: g.option.kv_cache, tp: g.option.tp, policy: g.option.fleet.policy as Policy, pricing: g.option.pricing, stage: 'duplicate', reason: planMessages.sameAsWritten(twin ?? g.id), candidates: 1, miss_ratio: null });
    } else fresh.push(g);
  }
  const resolved: ResolvedOption[] = [
    ...written,
    ...fresh.map((g) => ({ id: g.id, label: optionLabel(g.option, loaded.model, g.gpu), option: g.option, gpu: g.gpu, engine: g.engine })),
  ];

  let main: { result: SimulationResult; plan: Plan };
  const sweepTrials = Math.min(own.trials, VOLUME_MAX_TRIALS);
  if (resolved.length > writtenInfeasible.size) {
    // the perf model at the medians admitted them; compilePlan applies the same rule, and anything it rejects is pruned with its words
    let plan = compilePlan({ ...loaded, options: resolved }, planOpts);
    const bad = plan.options.filter((o) => o.infeasibleReason !== null && !writtenIds.has(o.id));
    if (bad.length > 0) {
      for (const o of bad) pruned.push({ gpu: o.gpu, weights: o.weights, kv_cache: o.kvCache, tp: o.tp, policy: o.policy.policy as Policy, pricing: o.pricing, stage: 'after-compile', reason: o.infeasibleReason!, candidates: 1, miss_ratio: null });
      const badIds = new Set(bad.map((o) => o.id));
      plan = compilePlan({ ...loaded, options: resolved.filter((r) => !badIds.has(r.id)) }, planOpts);
    }
    // no fan, cumulative or heatmap series: the plan charts none of them (memory O(candidates × trials) only)
    plan = { ...plan, subsampleTrials: 0 };
    const total = plan.trials + sweepTrials * VOLUME_SCALES.length;
    const { result } = await simulatePlan(plan, { ...engineOpts(opts), onProgress: (d) => opts.onProgress?.(d, total) });
    main = { result, plan };
  } else {
    // nothing to simulate: still run the API baseline, so the answer's context (volume, API cost) is real, not a silent 0
    const { result } = await simulatePlan({ ...own, options: [], subsampleTrials: 0 }, engineOpts(opts));
    main = { result, plan: { ...own, options: [] } };
  }
  // the workload's own options that cannot run are in pruned[], not among the candidates
  main.result = { ...main.result, options: main.result.options.filter((o) => !writtenInfeasible.has(o.id)) };
  return assemble(loaded, own, space, main, pruned, enumerated + writtenSearched, writtenIds, opts, sweepTrials);
}

function engineOpts(opts: PlanRunOptions): EngineOptions {
  const e: EngineOptions = {};
  if (opts.workers !== undefined) e.workers = opts.workers;
  if (opts.signal !== undefined) e.signal = opts.signal;
  return e;
}

async function assemble(
  loaded: LoadedWorkload,
  own: Plan,
  space: Space,
  main: { result: SimulationResult; plan: Plan },
  pruned: PrunedEntry[],
  enumerated: number,
  writtenIds: Set<string>,
  opts: PlanRunOptions,
  sweepTrials: number,
): Promise<PlanResult> {
  const target = attainmentTarget(main.result);
  const ctx = { attainmentTarget: target, hours: own.hours };
  const options = main.result.options;
  const ranked = rankCandidates(options as (Rankable & (typeof options)[number])[], ctx, space.maxGpus);
  const candidates: PlanCandidate[] = ranked.map((r) => ({
    ...r.item,
    rank: r.rank,
    gpus: r.gpus,
    meets_slo: r.meets_slo,
    eligible: r.eligible,
    why_not: r.why_not,
    written: writtenIds.has(r.item.id),
  }));
  const eligible = candidates.filter((c) => c.eligible);
  const best = eligible[0] ?? null;

  const nearest = nearestMiss(pruned);
  let answer: string;
  if (candidates.length === 0) answer = planMessages.answerNoFit(nearest ? describeMiss(nearest, loaded) : null);
  else if (best) {
    const be = best.breakeven_tokens_per_month;
    const beText = be && best.never_breaks_even_share < 0.5 ? `${formatTokens(be.p50)} tokens/month (median)` : 'never in most trials';
    answer = planMessages.answerBest(best.label, formatCount(best.gpus?.p50 ?? 0), formatCount(best.gpus?.p90 ?? 0), formatUsd(best.cost_per_month.p50), formatPercent(best.p_cheaper), beText);
    // extra baselines (compare_apis): the best candidate against each, on the same trials
    for (const a of main.result.compare_apis) {
      const v = best.vs_apis[a.id];
      if (v) answer += ' ' + planMessages.answerVersus(a.label, formatPercent(v.p_cheaper), formatUsd(v.savings_per_month.p50));
    }
  } else {
    const first = candidates.find((c) => c.feasible) ?? candidates[0]!;
    answer = planMessages.answerNoneMeetsSlo(first.label, first.why_not ?? '');
  }

  const tpotOf = (c: PlanCandidate) => c.perf?.decode_step_ms ?? Infinity;
  const withPerf = eligible.filter((c) => c.perf !== null);
  const pareto = {
    cost_vs_tpot: paretoFront(withPerf, (c) => c.cost_per_month.p50, tpotOf).map((c) => c.id),
    cost_vs_p90: paretoFront(eligible, (c) => c.cost_per_month.p50, (c) => c.cost_per_month.p90).map((c) => c.id),
  };

  const sweepOf = (eligible.length > 0 ? eligible : candidates.filter((c) => c.feasible)).slice(0, VOLUME_BEST);
  const volumes = sweepOf.length > 0 ? await volumeSweep(main.plan, sweepOf, ctx, sweepTrials, opts) : { scales: [...VOLUME_SCALES], trials: 0, series: [] };

  const r = main.result;
  return {
    schema_version: PLAN_SCHEMA_VERSION,
    result_schema_version: RESULT_SCHEMA_VERSION,
    tool: { name: TOOL_NAME, version: TOOL_VERSION },
    scenario: {
      name: own.scenario.name,
      description: own.scenario.description,
      file: own.scenario.file,
      horizon_months: own.months,
      model: own.model.id,
      seed: own.seed,
      trials: own.trials,
    },
    slo: { ttft_ms: own.ttftMs, tpot_ms: own.tpotMs, attainment_target: target, meets_slo_share: MEETS_SLO_SHARE },
    api: { id: own.apiId, label: own.apiLabel, cost_per_month: r.api.cost_per_month, cost_per_million_tokens: r.api.cost_per_million_tokens },
    compare_apis: r.compare_apis.map((a) => ({ id: a.id, label: a.label, cost_per_month: a.cost_per_month, cost_per_million_tokens: a.cost_per_million_tokens })),
    volume_tokens_per_month: r.volume_tokens_per_month,
    search: {
      gpus: space.gpus,
      weights: space.weights,
      kv_cache: space.kv,
      policies: space.policies,
      pricing: space.pricing,
      max_gpus: space.maxGpus,
      enumerated,
      simulated: candidates.length,
      pruned: pruned.reduce((a, p) => a + p.candidates, 0),
      eligible: eligible.length,
      gpus_simulated: new Set(candidates.map((c) => c.gpu)).size,
    },
    answer,
    best: best?.id ?? null,
    candidates,
    pareto,
    volumes,
    pruned,
    nearest_miss: candidates.length === 0 ? nearest : null,
    warnings: r.warnings,
  };
}

/** The pruned configuration closest to working: smallest memory shortfall, else closest to the TPOT target. */
export function nearestMiss(pruned: readonly PrunedEntry[]): PrunedEntry | null {
  const by = (stage: PrunedEntry['stage']) =>
    pruned.filter((p) => p.stage === stage && p.miss_ratio !== null).sort((a, b) => a.miss_ratio! - b.miss_ratio! || (a.gpu < b.gpu ? -1 : a.gpu > b.gpu ? 1 : 0))[0] ?? null;
  return by('does-not-fit') ?? by('slo') ?? pruned[0] ?? null;
}

function describeMiss(p: PrunedEntry, loaded: LoadedWorkload): string {
  const name = loaded.catalog.hardware.get(p.gpu)?.profile.name ?? p.gpu;
  const ratio = p.miss_ratio !== null ? ` (${p.stage === 'does-not-fit' ? `needs ${p.miss_ratio.toFixed(2)}× the memory there` : `${p.miss_ratio.toFixed(2)}× the TPOT target at batch 1`})` : '';
  return `${p.tp ?? '?'}×${name} with ${p.weights ?? '?'} weights${ratio}: ${p.reason}`;
}

/**
 * GPUs needed across volumes: re-simulate the best few candidates (one plan, so they share
 * trials) with requests per day scaled by each factor; the draws are the same random numbers
 * scaled (scale.ts). Cost: |scales| × min(trials, VOLUME_MAX_TRIALS) trials × few options.
 */
async function volumeSweep(
  mainPlan: Plan,
  best: readonly PlanCandidate[],
  ctx: { attainmentTarget: number; hours: number },
  trials: number,
  opts: PlanRunOptions,
): Promise<PlanResult['volumes']> {
  const chosen = best.map((c) => mainPlan.options.find((o) => o.id === c.id)!);
  const base: Plan = { ...mainPlan, options: chosen, trials };
  const series = best.map((c) => ({ id: c.id, label: c.label, points: [] as VolumePoint[] }));
  let done = mainPlan.trials;
  const total = mainPlan.trials + trials * VOLUME_SCALES.length;
  for (const s of VOLUME_SCALES) {
    const j = base.idx.requestsPerDay;
    const plan: Plan = {
      ...base,
      inputs: base.inputs.map((inp, k) => (k === j ? { ...inp, spec: scaleSpec(inp.spec, s) } : inp)),
      trace: base.trace ? base.trace.map((v) => v * s) : null,
    };
    const start = done;
    const { result } = await simulatePlan(plan, { ...engineOpts(opts), onProgress: (d) => opts.onProgress?.(start + d, total) });
    done += trials;
    result.options.forEach((o, i) => {
      const v = sloVerdict(o as Rankable, ctx);
      series[i]!.points.push({
        scale: s,
        tokens_per_month: result.volume_tokens_per_month.p50,
        gpus: gpusOf(o as Rankable),
        cost_per_month_p50: o.feasible ? o.cost_per_month.p50 : null,
        p_cheaper: o.p_cheaper,
        meets_slo: v.meets,
      });
    });
  }
  return { scales: [...VOLUME_SCALES], trials, series };
}

export { candidateId };
