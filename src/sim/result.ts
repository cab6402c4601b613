/**
 * The result of a simulation run: what `breakeven simulate --json` prints and what
 * `reports/<scenario>.json` holds. Versioned by `schema_version` (semver: a major bump
 * when a field changes meaning or goes away). Documented in README "Result JSON".
 *
 * Money is US dollars; volumes are tokens (input + output) per month; every figure is a
 * finite number or null (null = not applicable, e.g. "never breaks even" has its own share).
 */

/** 2.6.0: adds `options[].deferred_missed_share` and `deferred_batch_share` (self_hosted.batch_share: deferred, issue 15).
 * 2.5.0: adds `compare_apis` and `options[].vs_apis` (extra API baselines, issue 14).
 * 2.4.0: adds `options[].perf.prefix_cache`. 2.3.0: adds `options[].routing`, `options[].batch_runs_missed_share` and `batch_jobs`
 * (issue 15). 2.2.0: `scenario.file` is never absolute; `scenario.workload` and
 * `scenario.catalog` embed the run's inputs. 2.1.0: adds the serving engine per option
 * (`perf.engine`, `perf.prompt_tokens_per_step`, `perf.throughput_source`). 2.0.0: `p_cheaper`
 * now also requires meeting the SLO attainment target; adds `slo`, `slo_attainment`,
 * `p_meets_slo`, `p_cheaper_ignoring_slo`, `gpus`. */
export const RESULT_SCHEMA_VERSION = '2.7.0';

/**
 * How the trials draw their random numbers (`scenario.random_streams`, 2.7.0): each scalar input
 * from a Philox stream of its own named by its key, the hourly traffic path from Alea per
 * trial. A result without the field drew the inputs in turn from one Alea stream per trial
 * (`RANDOM_STREAMS_BEFORE`): the same seed gives other draws.
 */
export const RANDOM_STREAMS = 'philox-per-input';
export const RANDOM_STREAMS_BEFORE = 'alea-sequential';

import type { Quantiles } from '../stats/index.js';
export type { Quantiles } from '../stats/index.js';

export interface InputSummary {
  /** field path in the workload (or `hardware.<id>.price_per_gpu_hour.on_demand`) */
  path: string;
  /** how the file wrote it */
  written: string;
  /** the distribution's type and parameters, for the reader */
  dist: string;
  p10: number;
  p50: number;
  p90: number;
  source: string | null;
}

export interface Sensitivity {
  /** input path, as in `inputs` */
  input: string;
  /** Spearman rank correlation of the input with break-even volume over trials */
  breakeven_rank_correlation: number;
  /** Spearman rank correlation of the input with monthly savings at scenario volume */
  savings_rank_correlation: number;
}

export interface PerfSummary {
  tp: number;
  gpus_per_replica: number;
  /** decode batch per replica used for capacity (memory and TPOT bounded) */
  batch: number;
  max_batch_memory: number;
  max_batch_tpot: number | null;
  limited_by: string;
  decode_step_ms: number;
  output_tokens_per_s_per_replica: number;
  prefill_tokens_per_s_per_replica: number;
  /** requests per second per replica at the SLO, after engine efficiency */
  requests_per_s_per_replica: number;
  /** serving-engine preset the capacity assumes (engines/*.yaml) */
  engine: string;
  /** prompt tokens per engine step at steady state (chunked prefill beside the decode batch) */
  prompt_tokens_per_step: number;
  /** how the GPU's throughput is known: fitted on its measurements, transferred, or estimated */
  throughput_source: 'fitted' | 'transferred' | 'estimate';
  throughput_source_note: string;
  /**
   * with `self_hosted.prefix_cache` at the typical request (median hit rate): `hit`, the share
   * of each prompt read from the cache after the reserve's working-set bound; `cached_tokens`,
   * the prefix tokens the reserve holds; `reserve_fraction` as written. null without one (2.4.0)
   */
  prefix_cache: { hit: number; cached_tokens: number; reserve_fraction: number } | null;
}

export interface OptionResult {
  id: string;
  label: string;
  gpu: string;
  model: string;
  weights: string;
  kv_cache: string;
  pricing: string;
  policy: string;
  /** GPUs per replica (tensor parallel) */
  tp: number;
  feasible: boolean;
  /** share of trials in which the option could run (memory, TPOT and TTFT met) */
  feasible_share: number;
  /** why an option cannot run (does not fit, SLO unreachable); null when feasible */
  infeasible_reason: string | null;
  perf: PerfSummary | null;
  /**
   * share of trials where self-hosting costs less than the API at the scenario's volume AND
   * meets the SLO attainment target (infeasible trials count as neither)
   */
  p_cheaper: number;
  /** share of trials where self-hosting costs less, whatever its SLO attainment (the old p_cheaper) */
  p_cheaper_ignoring_slo: number;
  /**
   * share of hours whose busiest minute is served within the TTFT/TPOT targets, over the
   * feasible trials (hybrid fleets: 1, what the base cannot serve goes to the API, priced);
   * null when the option is infeasible in every trial
   */
  slo_attainment: Quantiles | null;
  /** share of trials whose attainment reaches `slo.attainment_target` */
  p_meets_slo: number;
  /** GPUs: replicas × tp, the peak for elastic fleets (what you rent, commit to or buy); null when never feasible */
  gpus: Quantiles | null;
  /** break-even volume (tokens/month) over the trials where it breaks even at all */
  breakeven_tokens_per_month: Quantiles | null;
  /** share of trials with no break-even volume (self-hosting never stays cheaper) */
  never_breaks_even_share: number;
  cost_per_million_tokens: Quantiles;
  cost_per_month: Quantiles;
  /** API cost minus this option's cost, per month, at the scenario's volume */
  savings_per_month: Quantiles;
  /** served tokens / capacity over the horizon */
  utilisation: Quantiles;
  /** hours per trial where demand exceeded SLO capacity (and was not overflowed) */
  violation_hours: Quantiles;
  /** share of tokens sent to the API (hybrid overflow, spot interruptions) */
  overflow_share: Quantiles;
  /**
   * routing options (issue 15): the share of requests served by the self-hosted small model
   * (the rest goes to the API; the option's cost is both together) and the stated quality
   * assumption; null for other options
   */
  routing: { share: Quantiles; quality_assumption: string } | null;
  /**
   * batch jobs (traffic.batch_jobs): Quantiles of the share of runs that missed their deadline
   * on this fleet (their remaining items go to the API at standard prices, priced in the
   * option's cost); null without batch jobs or when never feasible
   */
  batch_runs_missed_share: Quantiles | null;
  /**
   * deferred batch share (self_hosted.batch_share: deferred): Quantiles of the share of the
   * deferred calls that missed the API's batch window on this fleet (sent to the API at
   * standard prices, priced in the option's cost and counted in its overflow_share); the rest
   * was served in capacity the interactive traffic left free. null when deferral is off, the
   * batch share is 0 or the option never feasible
   */
  deferred_missed_share: Quantiles | null;
  /** mean replicas provisioned */
  replicas: Quantiles;
  /**
   * owned hardware: month in which the cumulative API spend avoided covers the capex of the
   * peak fleet paid up front (cash convention); null for fleets with no set-up cost (rented)
   * or when it never pays back
   */
  payback_month: Quantiles | null;
  sensitivity: Sensitivity[];
  /**
   * per extra baseline id (workload `compare_apis`, same trials): this option against it; the
   * option's own cost (overflow and routed share priced at the primary `api`) is unchanged.
   * Empty without compare_apis.
   */
  vs_apis: Record<string, VsApiResult>;
}

/** One option against one extra API baseline: the same rules as the option's primary figures. */
export interface VsApiResult {
  /** share of trials where the option costs less than this baseline AND meets the SLO target */
  p_cheaper: number;
  /** this baseline's API cost minus the option's cost, per month, at the scenario's volume */
  savings_per_month: Quantiles;
  /** break-even volume against this baseline (tokens/month), over the trials that break even */
  breakeven_tokens_per_month: Quantiles | null;
  /** share of trials that never break even against this baseline */
  never_breaks_even_share: number;
}

export interface ApiResult {
  id: string;
  label: string;
  /** the routing mix, one entry per API */
  mix: { api: string; share: number }[];
  cost_per_million_tokens: Quantiles;
  cost_per_month: Quantiles;
}

/**
 * The parts of a result that all its charts but the tornado read (sim `earlySummary`): the
 * series the subsample trials decide, P(cheaper) by volume, the break-even histograms, the
 * median volume, the payback months and the labels. Quick to make once the trials are done,
 * so the CLI draws those charts from it while it summarises the rest (the sensitivities'
 * ranks, every quantile). Each field equals the result's own.
 */
export interface EarlySummary {
  api: Pick<ApiResult, 'label'>;
  scenario: Pick<SimulationResult['scenario'], 'horizon_months' | 'trials'>;
  options: Pick<OptionResult, 'id' | 'label' | 'feasible' | 'pricing' | 'payback_month' | 'never_breaks_even_share'>[];
  volume_tokens_per_month: Quantiles;
  curves: SimulationResult['curves'];
  breakeven_histograms: SimulationResult['breakeven_histograms'];
  cumulative_cost: SimulationResult['cumulative_cost'];
  traffic_week: SimulationResult['traffic_week'];
  utilisation_by_hour_of_week: SimulationResult['utilisation_by_hour_of_week'];
}

/** Per monthly-volume grid point, for the curves. */
export interface VolumeGrid {
  tokens_per_month: number[];
}

export interface Histogram {
  /** bin edges, length bins+1 */
  edges: number[];
  counts: number[];
}

export interface SimulationResult {
  schema_version: string;
  tool: { name: string; version: string };
  /** the latency targets and the share of hours that must meet them */
  slo: { ttft_ms: number | null; tpot_ms: number | null; attainment_target: number };
  scenario: {
    name: string;
    description: string;
    /** the workload file relative to the working directory, or its name alone; never an absolute path */
    file: string | null;
    horizon_months: number;
    model: string;
    seed: number;
    trials: number;
    /** how the trials draw (`RANDOM_STREAMS`; absent before 2.7.0: `RANDOM_STREAMS_BEFORE`) */
    random_streams?: string;
    /** the workload document as written (parsed YAML/JSON, before defaults): `simulate --from` re-runs it */
    workload: unknown;
    /** the catalog entries the run used (model, APIs, GPUs, serving engines), as written, with their sources and dates */
    catalog: { hardware: unknown[]; models: unknown[]; apis: unknown[]; engines: unknown[] };
  };

  /** the scenario's own volume, tokens per month (mean over the horizon) */
  volume_tokens_per_month: Quantiles;
  inputs: InputSummary[];
  api: ApiResult;
  /** extra baselines (workload `compare_apis`), priced on the same trials; [] when none */
  compare_apis: ApiResult[];
  options: OptionResult[];
  curves: {
    grid: VolumeGrid;
    /** per option id: P(self-hosting cheaper) at each grid volume */
    p_cheaper: Record<string, number[]>;
    /** per option id and "api": monthly cost quantiles at each grid volume */
    cost_fan: Record<string, { p10: number[]; p50: number[]; p90: number[] }>;
  };
  /** per option id: histogram of break-even volume (log-spaced edges, tokens/month) */
  breakeven_histograms: Record<string, Histogram>;
  /** per option id and "api": cumulative cost at the end of each month (quantiles) */
  cumulative_cost: {
    months: number[];
    series: Record<string, { p10: number[]; p50: number[]; p90: number[] }>;
  };
  /** one sampled week of traffic (trial 0, first full week) with provisioned capacity */
  traffic_week: {
    hours: number[];
    /** hourly mean demand, tokens per hour */
    demand_tokens_per_hour: number[];
    /**
     * per option: the hourly demand the provisioned fleet serves within the SLO (its busiest
     * minute fits): demand above it is a violation hour, or overflow for a hybrid fleet
     */
    capacity_tokens_per_hour: Record<string, number[]>;
  };
  /** per option id: utilisation by hour of week (168 values, mean over trials' sampled weeks) */
  utilisation_by_hour_of_week: Record<string, number[]>;
  /** throughput vs batch per weight format for each option's GPU and model */
  throughput_curves: {
    gpu: string;
    model: string;
    tp: number;
    context_tokens: number;
    tpot_ms: number | null;
    points: { weights: string; batch: number; output_tokens_per_s_per_gpu: number; step_ms: number }[];
    max_batch_memory: Record<string, number>;
    max_batch_tpot: Record<string, number | null>;
  }[];
  calibration: {
    gpu: string;
    fitted_on: string;
    median_abs_error: number;
    max_abs_error: number;
    held_out_median_abs_error: number | null;
    held_out_max_abs_error: number | null;
  }[];
  /**
   * batch jobs (traffic.batch_jobs), or null: the deadline, the API's batch window, and whether
   * the API side is priced at batch rates (only when the deadline is at least the window)
   */
  batch_jobs: { deadline_hours: number; api_batch_window_hours: number; api_batch_prices: boolean; runs: number } | null;
  /**
   * self_hosted.batch_share: deferred, or null: the fleets are sized for the interactive calls
   * only and serve the batch share (Quantiles of api_pricing.batch_share's draws) within
   * window_hours (the API's batch window) in the capacity left free
   */
  deferred_batch_share: { window_hours: number; share: Quantiles } | null;
  warnings: string[];
}

/**
 * Per-trial results kept in memory for CSV export and sensitivity (never written into the
 * result JSON): `data[o][m]` is a Float64Array with one value per trial for option `o`
 * (index into `options`) and metric `m` (index into `metrics`).
 */
export interface TrialTable {
  trials: number;
  options: string[];
  metrics: string[];
  data: Float64Array[][];
}
