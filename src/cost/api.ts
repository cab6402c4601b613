/**
 * API cost per call (DESIGN §4):
 *
 *   input:  n_in · [ (1 - hit - write)·p_in + hit·p_cached + write·p_write ]
 *   output: n_out · p_out
 *
 * Cached and cache-written tokens are billed INSTEAD of fresh input, never on top. Calls over
 * the long-context threshold (a share) bill at the long-context tier. The batch share bills
 * at batch prices (the provider's batch prices, else `batch_discount`, else 50 % off), and
 * the batch ratio applies to every part of the bill: fresh, cached and cache-written input,
 * output, and the long-context tier (Anthropic's pricing page: the batch discount "stacks"
 * with long-context and prompt-caching prices; Google's Gemini batch mode bills 50 % of the
 * interactive price of each tier; both read 2026-11). Retries add calls: × (1 + retry_overhead).
 * A routing mix is the share-weighted sum.
 * Prices are $ per million tokens.
 */
import type { Api } from '../config/index.js';

export interface ApiUsage {
  inputTokens: number;
  outputTokens: number;
  cacheHitRate: number;
  cacheWriteRate: number;
  batchShare: number;
  retryOverhead: number;
  longContextShare: number;
}

/** The rule above in words, as the report's methodology prints it (one source with the code). */
export const API_COST_RULE =
  'Per call: n_in·[(1 − hit − write)·p_in + hit·p_cached + write·p_write] + n_out·p_out (cache reads and writes are billed instead of fresh input, never on top); calls over the long-context threshold bill at the long-context tier; the batch share bills at batch prices (the provider\'s, else its discount, else 50 % off) on every part of the bill; × (1 + retry overhead); × the price decline, month by month; a routing mix is the share-weighted sum.';

/** Default batch-API discount when a price entry gives neither batch prices nor a discount. */
export const DEFAULT_BATCH_DISCOUNT = 0.5;

/** Dollars per call for one API. O(1). */
export function apiCostPerCall(api: Api, u: ApiUsage): number {
  const hit = Math.min(1, Math.max(0, u.cacheHitRate));
  const write = Math.min(1 - hit, Math.max(0, u.cacheWriteRate));
  const fresh = 1 - hit - write;
  const pCached = api.cached_input_per_mtok ?? api.input_per_mtok;
  const pWrite = api.cache_write_per_mtok ?? api.input_per_mtok;
  /** $ per million input tokens with cache reads and writes billed instead of fresh input */
  const inputRate = (pIn: number) => fresh * pIn + hit * pCached + write * pWrite;

  // Long-context tier: the share of calls over the threshold pays the tier's prices (the
  // share-weighted fresh rate; cache reads and writes keep their own prices).
  const lc = api.long_context;
  const longShare = lc ? Math.min(1, Math.max(0, u.longContextShare)) : 0;
  const pIn = lc ? (1 - longShare) * api.input_per_mtok + longShare * lc.input_per_mtok : api.input_per_mtok;
  const pOut = lc ? (1 - longShare) * api.output_per_mtok + longShare * lc.output_per_mtok : api.output_per_mtok;
  const inPart = (u.inputTokens * inputRate(pIn)) / 1e6;
  const outPart = (u.outputTokens * pOut) / 1e6;

  // Batch API: ratio of batch to online prices, per direction.
  const disc = api.batch_discount ?? DEFAULT_BATCH_DISCOUNT;
  const inRatio = api.batch_input_per_mtok !== undefined && api.input_per_mtok > 0 ? api.batch_input_per_mtok / api.input_per_mtok : 1 - disc;
  const outRatio = api.batch_output_per_mtok !== undefined && api.output_per_mtok > 0 ? api.batch_output_per_mtok / api.output_per_mtok : 1 - disc;
  const b = Math.min(1, Math.max(0, u.batchShare));
  const perCall = (1 - b) * (inPart + outPart) + b * (inPart * inRatio + outPart * outRatio);
  return perCall * (1 + Math.max(0, u.retryOverhead));
}

/** Share-weighted cost per call of a routing mix. */
export function mixCostPerCall(mix: readonly { api: Api; share: number }[], u: ApiUsage): number {
  let c = 0;
  for (const m of mix) c += m.share * apiCostPerCall(m.api, u);
  return c;
}

/**
 * Price multiplier in month m (0-based) for a yearly decline rate, at the month's midpoint:
 * (1 - decline)^((m + ½) / 12). Used for API prices and for GPU rental prices. O(1).
 */
export function declineFactor(declineAnnual: number, monthIndex: number): number {
  return Math.pow(1 - declineAnnual, (monthIndex + 0.5) / 12);
}
