/**
 * The per-trial result buffers' names: one Float64Array per option and metric, and one per
 * global metric, each with one value per trial. The trial writes them by index (`M`, `G`,
 * private to the sim folder); everything else reads them by name through `optionMetric` and
 * `globalMetric`, so a metric can be added or reordered without touching its readers.
 */

/** Per-option metrics kept for every trial. NaN = not applicable (infeasible trial, no payback). */
export const OPTION_METRICS = [
  'breakeven_tokens_per_month',
  'cost_total',
  'cost_per_million_tokens',
  'cost_per_month',
  'savings_per_month',
  'utilisation',
  'violation_hours',
  'overflow_share',
  /** mean replicas provisioned */
  'replicas',
  'payback_month',
  /** 1 when cheaper than the API AND meeting the SLO attainment target */
  'cheaper',
  'feasible',
  /** share of hours whose busiest minute is served within the SLO (hybrid: 1, overflow is priced) */
  'slo_attainment',
  /** 1 when slo_attainment reaches the target */
  'meets_slo',
  /** 1 when cheaper than the API, whatever the SLO */
  'cheaper_ignoring_slo',
  /** GPUs: replicas × tp, the peak for elastic fleets */
  'gpus',
  /** batch jobs: share of runs that missed their deadline (NaN without batch jobs) */
  'batch_missed_share',
  /** deferred batch share (self_hosted.batch_share: deferred): share of the deferred calls that missed the batch window (NaN when off or no deferred calls) */
  'deferred_missed_share',
] as const;
export type OptionMetric = (typeof OPTION_METRICS)[number];
/** index of each option metric in a trial's buffers (the trial's writer; readers use optionMetric) */
export const M = Object.fromEntries(OPTION_METRICS.map((m, i) => [m, i])) as Readonly<Record<OptionMetric, number>>;

export const GLOBAL_METRICS = ['volume_tokens_per_month', 'api_cost_total', 'api_cost_per_million_tokens', 'api_cost_per_month'] as const;
export type GlobalMetric = (typeof GLOBAL_METRICS)[number];
export const G = Object.fromEntries(GLOBAL_METRICS.map((m, i) => [m, i])) as Readonly<Record<GlobalMetric, number>>;

/**
 * Per option and extra baseline (`compare_apis`), per trial: the same rules as `cheaper`,
 * `savings_per_month` and `breakeven_tokens_per_month`, against that baseline's API spend.
 */
export const VS_METRICS = ['cheaper', 'savings_per_month', 'breakeven_tokens_per_month'] as const;
export type VsMetric = (typeof VS_METRICS)[number];
export const V = Object.fromEntries(VS_METRICS.map((m, i) => [m, i])) as Readonly<Record<VsMetric, number>>;

/** Per extra baseline, per trial: its API spend, as the global api_cost_per_month and api_cost_per_million_tokens. */
export const VS_GLOBAL_METRICS = ['api_cost_per_month', 'api_cost_per_million_tokens'] as const;
export type VsGlobalMetric = (typeof VS_GLOBAL_METRICS)[number];
export const VG = Object.fromEntries(VS_GLOBAL_METRICS.map((m, i) => [m, i])) as Readonly<Record<VsGlobalMetric, number>>;

/** One option's per-trial values of a metric against extra baseline `c`. O(1). */
export function vsMetric(out: { vs: Float64Array[][][] }, option: number, c: number, name: VsMetric): Float64Array {
  const a = out.vs[option]?.[c]?.[V[name]];
  if (!a) throw new RangeError(`vsMetric: no option ${option} or baseline ${c}`);
  return a;
}

/** Extra baseline `c`'s per-trial values of a metric. O(1). */
export function vsGlobalMetric(out: { vsGlobal: Float64Array[][] }, c: number, name: VsGlobalMetric): Float64Array {
  const a = out.vsGlobal[c]?.[VG[name]];
  if (!a) throw new RangeError(`vsGlobalMetric: no baseline ${c}`);
  return a;
}

/** One option's per-trial values of a metric. O(1). */
export function optionMetric(out: { metrics: Float64Array[][] }, option: number, name: OptionMetric): Float64Array {
  const a = out.metrics[option]?.[M[name]];
  if (!a) throw new RangeError(`optionMetric: no option ${option}`);
  return a;
}

/** Per-trial values of a global metric. O(1). */
export function globalMetric(out: { global: Float64Array[] }, name: GlobalMetric): Float64Array {
  return out.global[G[name]]!;
}
