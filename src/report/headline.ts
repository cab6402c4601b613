/**
 * The first screen's words, shared by the HTML report, the console summary and `compare`:
 * one sentence that answers (which option to pick, what it costs against the API, how sure
 * the trials are, where it breaks even), and the options grouped by verdict.
 * Pure functions of a SimulationResult; plain text (callers escape for HTML).
 */
import type { ApiResult, OptionResult, SimulationResult } from '../sim/result.js';
import { formatPercent, formatTokens, formatUsd } from './format.js';

/** A verdict group, in the order the first screen lists them. */
export type Verdict = 'self-host' | 'uncertain' | 'slo' | 'api' | 'infeasible';

/** Shares at or above this count as "self-hosting cheaper"; at or below 1 − it, "API cheaper". */
export const VERDICT_SHARE = 0.6;

/**
 * The verdict of one option from `p_cheaper` (which, under the SLO contract, already requires
 * the attainment target): ≥ 60 % of trials → self-host, ≤ 40 % → API, else too close to call.
 * An option at ≤ 40 % that would be cheaper in ≥ 60 % of trials but for the SLO target
 * (`p_cheaper_ignoring_slo`) is 'slo': the API is not what is cheaper there, the fleet misses
 * the target. (A result without that field, older than it, reads as before: 'api'.)
 */
export function verdictOf(o: OptionResult): Verdict {
  if (!o.feasible) return 'infeasible';
  if (o.p_cheaper >= VERDICT_SHARE) return 'self-host';
  if (o.p_cheaper <= 1 - VERDICT_SHARE) return o.p_cheaper_ignoring_slo >= VERDICT_SHARE ? 'slo' : 'api';
  return 'uncertain';
}

export const VERDICT_TITLES: Record<Verdict, string> = {
  'self-host': 'Self-hosting cheaper',
  uncertain: 'Too close to call',
  slo: 'Cheaper, but misses the SLO target',
  api: 'API cheaper',
  infeasible: 'Cannot run as configured',
};

const POLICY_SHORT: Record<string, string> = { fixed: 'fixed fleet', autoscale: 'autoscaled', hybrid: 'hybrid, overflow to API' };
const PRICING_SHORT: Record<string, string> = { on_demand: '', spot: ', spot', reserved: ', reserved', owned: ', owned' };

/** The GPU's display name from the embedded catalog entry ("H100 SXM"); the id when absent. */
export function gpuName(result: SimulationResult, gpu: string): string {
  const hw = (result.scenario.catalog?.hardware ?? []) as { id?: unknown; name?: unknown }[];
  const e = hw.find((h) => h !== null && typeof h === 'object' && h.id === gpu);
  return typeof e?.name === 'string' ? e.name : gpu;
}

/**
 * How many replicas the sentence names: the median GPUs (replicas × tp; the peak for elastic
 * fleets) over tp, or the median replica count when GPUs are not reported; null when neither.
 */
export function replicaCount(o: OptionResult): number | null {
  const g = o.gpus?.p50;
  if (g !== undefined && Number.isFinite(g) && o.tp > 0) return Math.max(1, Math.round(g / o.tp));
  const r = o.replicas?.p50;
  return r !== undefined && Number.isFinite(r) && r > 0 ? Math.max(1, Math.round(r)) : null;
}

/**
 * The option as the answer names it: "4 × 2×H100 SXM FP8 (autoscaled)"; elastic fleets say
 * "up to" (the count is their peak). Without a replica count: "2×H100 SXM FP8 (fixed fleet)".
 */
export function optionShortName(result: SimulationResult, o: OptionResult): string {
  const n = o.feasible ? replicaCount(o) : null;
  const elastic = o.policy === 'autoscale';
  const count = n === null ? '' : `${elastic ? 'up to ' : ''}${n} × `;
  return `${count}${o.tp}×${gpuName(result, o.gpu)} ${o.weights.toUpperCase()} (${POLICY_SHORT[o.policy] ?? o.policy}${PRICING_SHORT[o.pricing] ?? `, ${o.pricing}`})`;
}

/** Whether the scenario sets a latency target at all; "within the SLO" is said only then. */
export function judgesSlo(result: SimulationResult): boolean {
  return result.slo.ttft_ms !== null || result.slo.tpot_ms !== null;
}

/**
 * The option the answer recommends: among feasible options cheaper (and within the SLO) in
 * at least 60 % of trials, the lowest median monthly cost (ties: higher p_cheaper, then
 * result order). Null when none qualifies, i.e. the API is the answer. O(options).
 */
export function recommended(result: SimulationResult): OptionResult | null {
  let best: OptionResult | null = null;
  for (const o of result.options) {
    if (verdictOf(o) !== 'self-host') continue;
    if (best === null || o.cost_per_month.p50 < best.cost_per_month.p50 || (o.cost_per_month.p50 === best.cost_per_month.p50 && o.p_cheaper > best.p_cheaper)) best = o;
  }
  return best;
}

/** The feasible option most often cheaper (ties: lower median cost); null when none can run. */
function closest(result: SimulationResult): OptionResult | null {
  let best: OptionResult | null = null;
  for (const o of result.options) {
    if (!o.feasible) continue;
    if (best === null || o.p_cheaper > best.p_cheaper || (o.p_cheaper === best.p_cheaper && o.cost_per_month.p50 < best.cost_per_month.p50)) best = o;
  }
  return best;
}

function breakevenClause(o: OptionResult): string {
  const be = o.breakeven_tokens_per_month;
  if (be === null || o.never_breaks_even_share >= 0.5) return 'never breaks even in most trials';
  return `break-even ${formatTokens(be.p50, 2)} tokens/month`;
}

/**
 * The one sentence that answers, e.g. "Self-host on up to 4 × 2×H100 SXM FP8 (autoscaled):
 * $16.8 K/month vs GPT-4o $50.3 K; cheaper and within the SLO in 97 % of trials; break-even
 * 6.1 B tokens/month". When no option qualifies it says to stay on the API and names the
 * closest option; when nothing can run, says so. Costs are medians at the scenario's volume.
 */
export function headline(result: SimulationResult): string {
  const api = result.api.label;
  const apiCost = formatUsd(result.api.cost_per_month.p50);
  const within = judgesSlo(result) ? 'cheaper and within the SLO' : 'cheaper';
  const pick = recommended(result);
  if (pick !== null) {
    return `Self-host on ${optionShortName(result, pick)}: ${formatUsd(pick.cost_per_month.p50)}/month vs ${api} ${apiCost}; ${within} in ${formatPercent(pick.p_cheaper)} of trials; ${breakevenClause(pick)}`;
  }
  const near = closest(result);
  if (near === null) return `Stay on ${api} (${apiCost}/month): no self-hosted option can run as configured`;
  return `Stay on ${api} (${apiCost}/month): no self-hosted option is ${within} in at least ${formatPercent(VERDICT_SHARE)} of trials; the closest, ${optionShortName(result, near)}, costs ${formatUsd(near.cost_per_month.p50)}/month and is ${within} in ${formatPercent(near.p_cheaper)} of trials; ${breakevenClause(near)}`;
}

/** Options grouped by verdict, groups in VERDICT_TITLES order, empty groups left out. */
export function verdictGroups(result: SimulationResult): { verdict: Verdict; title: string; options: OptionResult[] }[] {
  const order: Verdict[] = ['self-host', 'uncertain', 'slo', 'api', 'infeasible'];
  return order
    .map((v) => ({ verdict: v, title: VERDICT_TITLES[v], options: result.options.filter((o) => verdictOf(o) === v) }))
    .filter((g) => g.options.length > 0);
}

/**
 * One line per option for the grouped list: "$5.4 K/month; cheaper in 77 % of trials;
 * break-even 1.3 B tokens/month", or why it cannot run. Shares of trials where the option
 * could not run are said, never folded into a cost.
 */
export function optionFacts(result: SimulationResult, o: OptionResult): string {
  if (!o.feasible) return `cannot run: ${o.infeasible_reason ?? 'no reason given'}`;
  const within = judgesSlo(result) ? 'cheaper and within the SLO' : 'cheaper';
  const parts = [`${formatUsd(o.cost_per_month.p50)}/month`, `${within} in ${formatPercent(o.p_cheaper)} of trials`, breakevenClause(o)];
  if (o.p_meets_slo < 1) parts.push(`meets the SLO target in ${formatPercent(o.p_meets_slo)} of trials`);
  if (o.feasible_share < 1) parts.push(`cannot run in ${formatPercent(1 - o.feasible_share)} of trials`);
  return parts.join('; ');
}

/**
 * The option the "vs other APIs" lines speak for: the recommended one, else the closest
 * (most often cheaper); null when nothing can run. O(options).
 */
export function versusOption(result: SimulationResult): OptionResult | null {
  return recommended(result) ?? closest(result);
}

/**
 * One extra baseline (compare_apis) against option `o`, in words: "vs GPT-4o mini
 * ($1.20 K/month): cheaper and within the SLO in 12 % of trials; saves -$2.05 K/month (p50);
 * never breaks even in most trials". Plain text; figures are the option's `vs_apis` entry.
 * Older results without it say "not compared". O(1).
 */
export function versusFacts(result: SimulationResult, o: OptionResult, api: ApiResult): string {
  const head = `vs ${api.label} (${formatUsd(api.cost_per_month.p50)}/month)`;
  const v = o.vs_apis?.[api.id];
  if (!o.feasible) return `${head}: ${o.id} cannot run`;
  if (v === undefined) return `${head}: not compared`;
  const within = judgesSlo(result) ? 'cheaper and within the SLO' : 'cheaper';
  const be = v.breakeven_tokens_per_month;
  const beText = be === null || v.never_breaks_even_share >= 0.5 ? 'never breaks even in most trials' : `break-even ${formatTokens(be.p50, 2)} tokens/month`;
  return `${head}: ${within} in ${formatPercent(v.p_cheaper)} of trials; saves ${formatUsd(v.savings_per_month.p50)}/month (p50); ${beText}`;
}
