/**
 * Costs' public face (DESIGN §4):
 *
 *   api.ts    $ per call of an API or a routing mix (cache, batch, long context, retries),
 *             price decline by month
 *   fleet/    fleet policies (fixed, autoscale, hybrid): exact hourly pass and C(s) for the
 *             break-even search, one pricing rule, one capacity-need rule
 * (How hot a replica may run under a TTFT target is capacity, not cost: src/perf/queue.ts.)
 */
export { API_COST_RULE, apiCostPerCall, mixCostPerCall, declineFactor, DEFAULT_BATCH_DISCOUNT, type ApiUsage } from './api.js';
export * from './fleet/index.js';
