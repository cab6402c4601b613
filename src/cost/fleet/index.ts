/**
 * Fleet economics, one file per policy (DESIGN §4, §4b). Each policy holds its exact hourly
 * pass next to its scaled cost C(s) for the break-even search; all of them price through
 * pricing.ts and judge capacity through need.ts, so the two passes cannot drift apart.
 *
 *   pricing.ts    on-demand / spot / reserved / owned: cost over the horizon, cash per month
 *   need.ts       the busiest-minute capacity need, replicas for a need, servable demand
 *   bins.ts       a trial's hourly demand as a histogram (quantile, excess over a level)
 *   fixed.ts      N replicas all the time
 *   autoscale.ts  replicas follow demand with a lag; cold starts
 *   hybrid.ts     a base fleet; what it cannot serve within the SLO goes to the API, priced
 */
export * from './pricing.js';
export * from './need.js';
export * from './types.js';
export { DemandBins } from './bins.js';
export { fixedReplicas, fixedReplicaCost, exactFixed, fixedCostAt } from './fixed.js';
export { wantReplicas, exactAutoscale, autoscaleCostAt, type AutoscaleRule } from './autoscale.js';
export { hybridBase, exactHybrid, hybridCostAt } from './hybrid.js';
export { FLEET_CONVENTIONS } from './conventions.js';
