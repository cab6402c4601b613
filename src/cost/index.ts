/**
 * Costs' public face (DESIGN §4):
 *
 *   api.ts    $ per call of an API or a routing mix (cache, batch, long context, retries),
 *             price decline by month
 * (How hot a replica may run under a TTFT target is capacity, not cost: src/perf/queue.ts.)
 */
export { apiCostPerCall, mixCostPerCall, declineFactor, DEFAULT_BATCH_DISCOUNT, type ApiUsage } from './api.js';
