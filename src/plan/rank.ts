/**
 * The ranking rule of `plan`: which simulated candidates meet the SLO, and their order.
 *
 *   meets the SLO  ⇔  P(trial meets the attainment target) ≥ MEETS_SLO_SHARE
 *   order          =  meeting (and within --max-gpus) first, then median $/month, p90 $/month, id
 *
 * P(trial meets the target) is the result's `p_meets_slo` when the simulator reports it. When
 * it does not (results from before SLO attainment was added), the same share is read from the
 * violation hours: a trial meets the target when its hours over capacity are at most
 * (1 − target) × hours, so "at least 90 % of trials meet it" ⇔ the p90 of violation hours is
 * at most (1 − target) × hours (and the option can run in at least 90 % of trials).
 */
import type { Quantiles } from '../stats/index.js';
import { planMessages } from './messages.js';

/** Share of trials that must meet the attainment target for a candidate to count as meeting the SLO. */
export const MEETS_SLO_SHARE = 0.9;

/** What ranking reads of a simulated option (a subset of OptionResult; the SLO fields are optional until every result has them). */
export interface Rankable {
  id: string;
  tp: number;
  feasible: boolean;
  feasible_share: number;
  cost_per_month: Quantiles;
  violation_hours: Quantiles;
  replicas: Quantiles;
  p_meets_slo?: number;
  gpus?: Quantiles | null;
}

export interface SloContext {
  /** share of hours that must be served within the SLO (result `slo.attainment_target`) */
  attainmentTarget: number;
  /** hours in the horizon */
  hours: number;
}

export interface SloVerdict {
  meets: boolean;
  /** share of trials meeting the target: exact (p_meets_slo) or null when read from violation hours */
  share: number | null;
  /** why not, in words; null when it meets the SLO */
  reason: string | null;
}

/** Does the candidate meet the SLO (see the module comment)? O(1). */
export function sloVerdict(o: Rankable, ctx: SloContext): SloVerdict {
  if (!o.feasible) return { meets: false, share: 0, reason: planMessages.sometimesInfeasible(0) };
  if (typeof o.p_meets_slo === 'number') {
    const meets = o.p_meets_slo >= MEETS_SLO_SHARE;
    return { meets, share: o.p_meets_slo, reason: meets ? null : planMessages.missesSlo(o.p_meets_slo, ctx.attainmentTarget) };
  }
  if (o.feasible_share < MEETS_SLO_SHARE) return { meets: false, share: null, reason: planMessages.sometimesInfeasible(o.feasible_share) };
  const allowed = (1 - ctx.attainmentTarget) * ctx.hours;
  const meets = o.violation_hours.p90 <= allowed;
  return { meets, share: null, reason: meets ? null : planMessages.missesSloByViolations(o.violation_hours.p90, allowed) };
}

/** GPUs the candidate provisions: the result's `gpus` when present, else replicas × tp (mean replicas for autoscaling). */
export function gpusOf(o: Rankable): Quantiles | null {
  if (o.gpus !== undefined) return o.gpus;
  if (!o.feasible) return null;
  const r = o.replicas;
  return { p10: r.p10 * o.tp, p50: r.p50 * o.tp, p90: r.p90 * o.tp, mean: r.mean * o.tp };
}

export interface Ranked<T> {
  item: T;
  rank: number;
  meets_slo: boolean;
  /** meets the SLO and fits --max-gpus: may be chosen as best */
  eligible: boolean;
  /** why it may not be chosen; null when eligible */
  why_not: string | null;
  gpus: Quantiles | null;
}

/**
 * Rank candidates: eligible first, then by median monthly cost, p90 monthly cost, id (a
 * total order, so the ranking never depends on input order). O(n log n).
 */
export function rankCandidates<T extends Rankable>(items: readonly T[], ctx: SloContext, maxGpus: number | null = null): Ranked<T>[] {
  const rows = items.map((item) => {
    const v = sloVerdict(item, ctx);
    const gpus = gpusOf(item);
    let why: string | null = v.reason;
    if (why === null && maxGpus !== null && gpus !== null && gpus.p90 > maxGpus) why = planMessages.overMaxGpus(gpus.p90, maxGpus);
    return { item, rank: 0, meets_slo: v.meets, eligible: why === null, why_not: why, gpus };
  });
  rows.sort((a, b) => {
    if (a.eligible !== b.eligible) return a.eligible ? -1 : 1;
    if (a.item.feasible !== b.item.feasible) return a.item.feasible ? -1 : 1;
    const c = a.item.cost_per_month.p50 - b.item.cost_per_month.p50;
    if (c !== 0) return c;
    const d = a.item.cost_per_month.p90 - b.item.cost_per_month.p90;
    if (d !== 0) return d;
    return a.item.id < b.item.id ? -1 : a.item.id > b.item.id ? 1 : 0;
  });
  rows.forEach((r, i) => (r.rank = i + 1));
  return rows;
}

/**
 * Pareto frontier minimising both x and y: the items no other item beats on both (ties on
 * both keep the first by input order). Sort by x then y, keep each item whose y is below every
 * y before it. O(n log n). Returns items in ascending x.
 */
export function paretoFront<T>(items: readonly T[], x: (t: T) => number, y: (t: T) => number): T[] {
  const sorted = items.map((t, i) => ({ t, i, x: x(t), y: y(t) })).sort((a, b) => a.x - b.x || a.y - b.y || a.i - b.i);
  const out: T[] = [];
  let best = Infinity;
  for (const s of sorted) {
    if (s.y < best) {
      out.push(s.t);
      best = s.y;
    }
  }
  return out;
}
