/**
 * `plan`: search GPU × format × KV × tp × fleet policy × pricing for the workload's model,
 * prune what cannot fit or meet the SLO, simulate the rest on the same trials, rank.
 *
 *   planWorkload(loaded, filters, opts) → PlanResult       (search.ts)
 *   rankCandidates, sloVerdict, paretoFront                  (rank.ts: the ranking rule)
 */
export { planWorkload, resolveSpace, nearestMiss, VOLUME_SCALES, VOLUME_BEST, VOLUME_MAX_TRIALS, DEFAULT_ATTAINMENT, type PlanFilters, type PlanRunOptions } from './search.js';
export { enumerate, undominatedTps, candidateId, defaultFleet, powersOfTwo, POLICIES, PRICINGS, SEARCH_WEIGHTS, SEARCH_KV, DEFAULT_WEIGHTS, DEFAULT_KV } from './enumerate.js';
export type { Policy, Pricing, PrunedEntry, PruneStage, Generated, SearchSpace } from './enumerate.js';
export { rankCandidates, sloVerdict, gpusOf, paretoFront, MEETS_SLO_SHARE, type Rankable, type Ranked, type SloContext, type SloVerdict } from './rank.js';
export { scaleSpec, scaleDist } from './scale.js';
export { planMessages } from './messages.js';
export { PLAN_SCHEMA_VERSION, type PlanResult, type PlanCandidate, type VolumePoint } from './result.js';
