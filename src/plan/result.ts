/**
 * The plan result: what `breakeven plan --json` prints and `<out>/<workload>.plan.json` holds.
 * Versioned by its own `schema_version` (semver); each candidate carries every field of a
 * `simulate` option (`result_schema_version` says which) plus its rank and GPU count.
 * Documented in docs/plan.md.
 */
import type { OptionResult, Quantiles } from '../sim/result.js';
import type { KvFormat, WeightFormat } from '../config/index.js';
import type { Policy, Pricing, PrunedEntry } from './enumerate.js';

/** 1.1.0: adds `compare_apis` (extra API baselines; candidates carry `vs_apis`, result schema 2.5.0). */
export const PLAN_SCHEMA_VERSION = '1.1.0';

export type PlanCandidate = OptionResult & {
  /** 1 = best; eligible candidates (meet the SLO, fit --max-gpus) first, then by median $/month */
  rank: number;
  /** GPUs provisioned: the option's `gpus` (replicas × tp; the peak for autoscaling) */
  gpus: Quantiles | null;
  meets_slo: boolean;
  eligible: boolean;
  /** why it cannot be chosen; null when eligible */
  why_not: string | null;
  /** one of the options written in the workload itself */
  written: boolean;
};

export interface VolumePoint {
  /** multiple of the scenario's requests per day */
  scale: number;
  tokens_per_month: number;
  gpus: Quantiles | null;
  cost_per_month_p50: number | null;
  p_cheaper: number;
  meets_slo: boolean;
}

export interface PlanResult {
  schema_version: string;
  /** the simulate result schema the candidates' option fields follow */
  result_schema_version: string;
  tool: { name: string; version: string };
  scenario: { name: string; description: string; file: string | null; horizon_months: number; model: string; seed: number; trials: number };
  slo: { ttft_ms: number | null; tpot_ms: number | null; attainment_target: number; meets_slo_share: number };
  api: { id: string; label: string; cost_per_month: Quantiles; cost_per_million_tokens: Quantiles };
  /** extra baselines (workload compare_apis), same trials; each candidate's `vs_apis` is against them; [] when none */
  compare_apis: { id: string; label: string; cost_per_month: Quantiles; cost_per_million_tokens: Quantiles }[];
  volume_tokens_per_month: Quantiles;
  search: {
    gpus: string[];
    weights: WeightFormat[];
    kv_cache: KvFormat[];
    policies: Policy[];
    pricing: Pricing[];
    max_gpus: number | null;
    /** configurations considered (GPU × weights × KV × tp × policy × pricing) plus the workload's own options */
    enumerated: number;
    simulated: number;
    pruned: number;
    /** simulated candidates that meet the SLO (and --max-gpus) */
    eligible: number;
    gpus_simulated: number;
  };
  /** the answer, one sentence */
  answer: string;
  /** id of the best candidate (first eligible); null when none is */
  best: string | null;
  candidates: PlanCandidate[];
  pareto: {
    /** eligible candidates no other beats on both median $/month and decode step (TPOT at the chosen batch), ascending cost */
    cost_vs_tpot: string[];
    /** eligible candidates no other beats on both median and p90 $/month */
    cost_vs_p90: string[];
  };
  volumes: { scales: number[]; trials: number; series: { id: string; label: string; points: VolumePoint[] }[] };
  pruned: PrunedEntry[];
  /** when nothing could be simulated: the configuration closest to fitting (or meeting the TPOT target) */
  nearest_miss: PrunedEntry | null;
  warnings: string[];
}
