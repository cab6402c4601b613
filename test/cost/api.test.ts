import { describe, it, expect } from 'vitest';
import { apiCostPerCall, mixCostPerCall, declineFactor } from '../../src/cost/api.js';
import { maxUtilisationForTtft, meanWaitS } from '../../src/perf/queue.js';
import type { Api } from '../../src/config/schema.js';

const gpt4o: Api = Object.freeze({
  id: 'gpt-4o',
  name: 'GPT-4o',
  provider: 'openai',
  input_per_mtok: 2.5,
  output_per_mtok: 10,
  cached_input_per_mtok: 1.25,
  source: 'test',
  date: '2026-01-01',
});
const none = { cacheHitRate: 0, cacheWriteRate: 0, batchShare: 0, retryOverhead: 0, longContextShare: 0 };
const rel = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);

describe('apiCostPerCall', () => {
  it('prices input and output per million tokens', () => {
    // 2,000 in + 500 out on GPT-4o: 2000×2.5e-6 + 500×10e-6 = $0.01
    expect(rel(apiCostPerCall(gpt4o, { ...none, inputTokens: 2000, outputTokens: 500 }), 0.01)).toBeLessThan(1e-12);
  });
  it('bills cached tokens instead of fresh input, not on top', () => {
    const c = apiCostPerCall(gpt4o, { ...none, inputTokens: 1000, outputTokens: 0, cacheHitRate: 1 });
    expect(rel(c, 1000 * 1.25e-6)).toBeLessThan(1e-12);
    const half = apiCostPerCall(gpt4o, { ...none, inputTokens: 1000, outputTokens: 0, cacheHitRate: 0.5 });
    expect(rel(half, 500 * 2.5e-6 + 500 * 1.25e-6)).toBeLessThan(1e-12);
  });
  it('cache writes replace fresh input at the write price', () => {
    const claude: Api = { ...gpt4o, input_per_mtok: 3, output_per_mtok: 15, cached_input_per_mtok: 0.3, cache_write_per_mtok: 3.75 };
    const c = apiCostPerCall(claude, { ...none, inputTokens: 1000, outputTokens: 0, cacheHitRate: 0.8, cacheWriteRate: 0.1 });
    expect(rel(c, (100 * 3 + 800 * 0.3 + 100 * 3.75) / 1e6)).toBeLessThan(1e-12);
  });
  it('batch share gets the batch discount (50 % by default)', () => {
    const full = apiCostPerCall(gpt4o, { ...none, inputTokens: 1000, outputTokens: 100 });
    const b = apiCostPerCall(gpt4o, { ...none, inputTokens: 1000, outputTokens: 100, batchShare: 1 });
    expect(rel(b, full / 2)).toBeLessThan(1e-12);
    const explicit = apiCostPerCall({ ...gpt4o, batch_input_per_mtok: 1, batch_output_per_mtok: 4 }, { ...none, inputTokens: 1000, outputTokens: 100, batchShare: 1 });
    expect(rel(explicit, (1000 * 1 + 100 * 4) / 1e6)).toBeLessThan(1e-12);
  });
  it('retries multiply and long-context calls pay the tier', () => {
    const base = apiCostPerCall(gpt4o, { ...none, inputTokens: 1000, outputTokens: 100 });
    expect(rel(apiCostPerCall(gpt4o, { ...none, inputTokens: 1000, outputTokens: 100, retryOverhead: 0.2 }), base * 1.2)).toBeLessThan(1e-12);
    const tiered: Api = { ...gpt4o, long_context: { threshold_tokens: 200000, input_per_mtok: 5, output_per_mtok: 20 } };
    const lc = apiCostPerCall(tiered, { ...none, inputTokens: 1000, outputTokens: 100, longContextShare: 1 });
    expect(rel(lc, (1000 * 5 + 100 * 20) / 1e6)).toBeLessThan(1e-12);
  });
  it('a routing mix is the share-weighted sum; doubling prices doubles the cost', () => {
    const mini: Api = { ...gpt4o, id: 'mini', input_per_mtok: 0.15, output_per_mtok: 0.6, cached_input_per_mtok: 0.075 };
    const u = { ...none, inputTokens: 2000, outputTokens: 0 };
    expect(rel(mixCostPerCall([{ api: mini, share: 0.7 }, { api: gpt4o, share: 0.3 }], u), 0.7 * 2000 * 0.15e-6 + 0.3 * 2000 * 2.5e-6)).toBeLessThan(1e-12);
    const dbl: Api = { ...gpt4o, input_per_mtok: 5, output_per_mtok: 20, cached_input_per_mtok: 2.5 };
    const u2 = { ...none, inputTokens: 1500, outputTokens: 300, cacheHitRate: 0.3 };
    expect(rel(apiCostPerCall(dbl, u2), 2 * apiCostPerCall(gpt4o, u2))).toBeLessThan(1e-12);
  });
  it('price decline compounds yearly', () => {
    expect(declineFactor(0, 5)).toBe(1);
    expect(rel(declineFactor(0.5, 11.5), 0.5)).toBeLessThan(1e-12);
  });
});

describe('TTFT utilisation bound', () => {
  it('waiting grows with utilisation', () => {
    const q = { slots: 16, serviceS: 10, prefillS: 0.2, ttftS: 1 };
    expect(meanWaitS(q, 0.5)).toBeLessThan(meanWaitS(q, 0.9));
    expect(meanWaitS(q, 0)).toBe(0);
  });
  it('a tighter TTFT target allows a lower utilisation', () => {
    const loose = maxUtilisationForTtft({ slots: 8, serviceS: 20, prefillS: 0.2, ttftS: 5 });
    const tight = maxUtilisationForTtft({ slots: 8, serviceS: 20, prefillS: 0.2, ttftS: 0.5 });
    expect(loose.feasible && tight.feasible).toBe(true);
    if (loose.feasible && tight.feasible) expect(tight.maxUtilisation).toBeLessThan(loose.maxUtilisation);
  });
  it('a TTFT below the prefill time is infeasible, with the reason', () => {
    const r = maxUtilisationForTtft({ slots: 8, serviceS: 20, prefillS: 0.6, ttftS: 0.5 });
    expect(r.feasible).toBe(false);
    if (!r.feasible) expect(r.reason).toMatch(/below the prefill time/);
  });
});

describe('long-context tier and the batch API', () => {
  it('batch calls over the threshold pay the batch share of the long-context tier (the discount stacks)', () => {
    // 1,000 in + 100 out, every call long and batched, tier $5/$20, default 50 % batch discount:
    // (1000×5 + 100×20)/1e6 × 0.5 = 0.0035
    const tiered: Api = { ...gpt4o, long_context: { threshold_tokens: 200000, input_per_mtok: 5, output_per_mtok: 20 } };
    const c = apiCostPerCall(tiered, { ...none, inputTokens: 1000, outputTokens: 100, longContextShare: 1, batchShare: 1 });
    expect(rel(c, 0.0035)).toBeLessThan(1e-12);
    // half long, half batched: per call 0.5×(1000×2.5+100×10) + 0.5×(1000×5+100×20) = 5,250 µ$ online; × (0.5 + 0.5×0.5)
    const mixed = apiCostPerCall(tiered, { ...none, inputTokens: 1000, outputTokens: 100, longContextShare: 0.5, batchShare: 0.5 });
    expect(rel(mixed, (5250 / 1e6) * 0.75)).toBeLessThan(1e-12);
  });
});
