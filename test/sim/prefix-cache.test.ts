/**
 * The self-hosted prefix cache through the Monte Carlo trial (src/sim/trial.ts `replicaTrial`):
 * the one fixture of workloads.test.ts (flat traffic, peak_to_mean 1, no noise, a fixed fleet at
 * the peak), with 8,000-token prompts and 200-token answers.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { BUNDLED_ROOT, ConfigError, loadWorkloadData } from '../../src/config/index.js';
import { engineCaps, replicaCapacity, type PrefixCache } from '../../src/perf/index.js';
import { optionMetric } from '../../src/sim/metrics.js';
import { engine, gpu, loaded, model, run } from './workload-fixture.js';

const cfg = { hardware: gpu, model, weights: 'bf16' as const, kvCache: 'bf16' as const, tp: 1 };
/** requests/hour one replica serves at 8,000 in / 200 out with a prefix cache (none: undefined) */
function perHour(prefixCache?: PrefixCache): number {
  const c = replicaCapacity(cfg, engineCaps(engine, gpu), { inputTokens: 8000, outputTokens: 200, engineEfficiency: 1, prefixCache });
  if (!c.feasible) throw new Error(c.reason);
  return c.requestsPerS * 3600;
}
const K0 = perHour();
// hit 0.6 with a working set the 20 % reserve holds whole
const K6 = perHour({ hitRate: 0.6, reserveFraction: 0.2, workingSetTokens: 1000 });
const traffic = (perHourDemand: number) => ({ requests_per_day: 24 * perHourDemand, input_tokens: 8000, output_tokens: 200 });
const cache = { prefix_cache: { hit_rate: 0.6, reserve_fraction: 0.2, working_set_tokens: 1000 } };

describe('prefix cache in the trial', () => {
  it('the capacity rule: hit 0.6 serves more requests per replica than no cache', () => {
    expect(K6).toBeGreaterThan(K0 * 1.2);
  });

  it('flat demand between K0 and K6: two replicas without the cache, one with it; $2/h × 8,760 h per replica', async () => {
    const d = (K0 + K6) / 2;
    const without = await run(loaded({ traffic: traffic(d) }));
    const withCache = await run(loaded({ traffic: traffic(d), selfHosted: cache }));
    expect(without.result.options[0]!.gpus!.p50).toBe(2);
    expect(withCache.result.options[0]!.gpus!.p50).toBe(1);
    for (const c of optionMetric(withCache.out, 0, 'cost_total')) expect(c).toBe(2 * 8760);
    for (const c of optionMetric(without.out, 0, 'cost_total')) expect(c).toBe(2 * 2 * 8760);
    expect(withCache.result.options[0]!.perf!.prefix_cache).toEqual({ hit: 0.6, cached_tokens: expect.any(Number), reserve_fraction: 0.2 });
    expect(without.result.options[0]!.perf!.prefix_cache).toBeNull();
  });

  it('a working set twice what the reserve holds halves the hit the trial uses', async () => {
    const free = await run(loaded({ traffic: traffic(K0 / 2), selfHosted: cache }));
    const held = free.result.options[0]!.perf!.prefix_cache!.cached_tokens;
    const halved = await run(loaded({ traffic: traffic(K0 / 2), selfHosted: { prefix_cache: { hit_rate: 0.6, reserve_fraction: 0.2, working_set_tokens: 2 * held } } }));
    expect(halved.result.options[0]!.perf!.prefix_cache!.hit).toBeCloseTo(0.3, 12);
  });

  it('the hit rate is a drawn input, reported like the others', async () => {
    const r = await run(loaded({ traffic: traffic(K0 / 2), selfHosted: { prefix_cache: { hit_rate: { type: 'uniform', min: 0.2, max: 0.8 }, reserve_fraction: 0.1, working_set_tokens: 1000 } } }));
    expect(r.result.inputs.map((i) => i.path)).toContain('self_hosted.prefix_cache.hit_rate');
  });
});

describe('prefix cache: bad input', () => {
  const rag = (): Record<string, unknown> => parse(readFileSync('workloads/rag-prefix-cache.yaml', 'utf8')) as Record<string, unknown>;
  it('a hit rate above 1 and a misspelt field: every problem with its path, the rule and a did-you-mean', () => {
    const data = rag();
    const sh = data['self_hosted'] as Record<string, unknown>;
    sh['prefix_cache'] = { hit_rate: 1.5, reserve_fracton: 0.2, working_set_tokens: 1000 };
    let err: unknown;
    try {
      loadWorkloadData(data, { root: BUNDLED_ROOT, name: 'workloads/rag.yaml' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    const paths = (err as ConfigError).problems.map((p) => `${p.path}: ${p.message}${p.suggestion ? ` (${p.suggestion})` : ''}`);
    expect(paths).toContain('self_hosted.prefix_cache.reserve_fracton: unknown key (did you mean "reserve_fraction"?)');
    expect(paths.some((p) => p.startsWith('self_hosted.prefix_cache.hit_rate: '))).toBe(true);
  });

  it('the bundled scenario loads', () => {
    expect(loadWorkloadData(rag(), { root: BUNDLED_ROOT, name: 'workloads/rag-prefix-cache.yaml' }).workload.self_hosted.prefix_cache?.working_set_tokens).toBe(150000);
  });
});
