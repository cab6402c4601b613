/**
 * Extra API baselines (workload `compare_apis`, issue 14): priced on the same trials as the
 * primary `api`, each with the same P(cheaper), savings and break-even rules. Hand-worked on
 * flat traffic with one fixed replica; a property pins the extra-baseline path to the primary's
 * (an extra API priced like the primary gives the primary's figures bit for bit); adding
 * baselines leaves every primary number unchanged.
 */
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { Api as ApiSchema, type Api } from '../../src/config/schema.js';
import { loadWorkload, type LoadedWorkload } from '../../src/config/index.js';
import { simulate } from '../../src/sim/index.js';
import { OPTION_METRICS, GLOBAL_METRICS, vsMetric } from '../../src/sim/metrics.js';
import { loaded, run, rel, api } from './workload-fixture.js';

const mkApi = (id: string, name: string, pIn: number, pOut: number): Api =>
  ApiSchema.parse({ id, name, provider: 'test', input_per_mtok: pIn, output_per_mtok: pOut, source: 'test fixture', date: '2026-11-30' });

/** $10/M in and out: ten times the primary (the fixture's `api`, $1/M) */
const big = mkApi('big', 'Big API', 10, 10);
/** $0.50/M in, $2/M out: 800 × 0.5e-6 + 200 × 2e-6 = $0.0008 a call */
const small = mkApi('small', 'Small API', 0.5, 2);

const withCompare = (l: LoadedWorkload, extra: Api[][]): LoadedWorkload => ({ ...l, compareApis: extra.map((mix) => mix.map((a) => ({ api: a, share: 1 / mix.length }))) });

describe('compare_apis: hand-worked', () => {
  it('flat 500 requests/h, one fixed replica at $2/h: P(cheaper), savings and break-even vs each API', async () => {
    // 500 calls/h × 1,000 tokens (800 in, 200 out), 8,760 h: 4.38 M calls, 365 M tokens/month.
    // fleet: 1 replica × $2/h × 8,760 h = $17,520, $1,460/month; no ops, no decline, no cache.
    // primary ($1/M): 4.38 G tokens × $1e-6 = $4,380, $365/month → saves 365 − 1,460 = −$1,095/month; never cheaper;
    //   break-even 1,460 / 1e-6 = 1.46 G tokens/month
    // big ($10/M):    $43,800, $3,650/month → saves 3,650 − 1,460 = $2,190/month; cheaper in every trial;
    //   break-even 1,460 / 1e-5 = 146 M tokens/month
    // small:          4.38 M calls × $0.0008 = $3,504, $292/month → saves 292 − 1,460 = −$1,168/month;
    //   break-even 1,460 / (0.0008 / 1,000 tokens) = 1.825 G tokens/month
    const { out, result } = await run(withCompare(loaded({ trials: 4 }), [[big], [small]]));
    expect(result.compare_apis.map((a) => [a.id, a.label])).toEqual([
      ['big', 'Big API'],
      ['small', 'Small API'],
    ]);
    expect(rel(result.compare_apis[0]!.cost_per_month.p50, 3650)).toBeLessThan(1e-9);
    expect(rel(result.compare_apis[1]!.cost_per_month.p50, 292)).toBeLessThan(1e-9);
    expect(rel(result.compare_apis[0]!.cost_per_million_tokens.p50, 10)).toBeLessThan(1e-9);
    expect(rel(result.compare_apis[1]!.cost_per_million_tokens.p50, 0.8)).toBeLessThan(1e-9);
    const o = result.options[0]!;
    expect(rel(o.savings_per_month.p50, -1095)).toBeLessThan(1e-9);
    expect(o.p_cheaper).toBe(0);
    expect(rel(o.breakeven_tokens_per_month!.p50, 1.46e9)).toBeLessThan(1e-6);
    const vb = o.vs_apis['big']!;
    expect(vb.p_cheaper).toBe(1);
    expect(rel(vb.savings_per_month.p50, 2190)).toBeLessThan(1e-9);
    expect(rel(vb.breakeven_tokens_per_month!.p50, 1.46e8)).toBeLessThan(1e-6);
    expect(vb.never_breaks_even_share).toBe(0);
    const vs = o.vs_apis['small']!;
    expect(vs.p_cheaper).toBe(0);
    expect(rel(vs.savings_per_month.p50, -1168)).toBeLessThan(1e-9);
    expect(rel(vs.breakeven_tokens_per_month!.p50, 1.825e9)).toBeLessThan(1e-6);
    // per trial, not only the medians
    for (const s of vsMetric(out, 0, 0, 'savings_per_month')) expect(rel(s, 2190)).toBeLessThan(1e-9);
    for (const c of vsMetric(out, 0, 1, 'cheaper')) expect(c).toBe(0);
  });

  it('a routing mix as a baseline: 50 % big + 50 % small costs the mean of the two', async () => {
    // (3,650 + 292) / 2 = $1,971/month → saves 1,971 − 1,460 = $511/month
    const { result } = await run(withCompare(loaded({ trials: 2 }), [[big, small]]));
    const a = result.compare_apis[0]!;
    expect(a.id).toBe('big:0.5+small:0.5');
    expect(a.label).toBe('50 % Big API + 50 % Small API');
    expect(rel(a.cost_per_month.p50, 1971)).toBeLessThan(1e-9);
    expect(rel(result.options[0]!.vs_apis[a.id]!.savings_per_month.p50, 511)).toBeLessThan(1e-9);
  });

  it('an option that cannot run is never cheaper than an extra baseline and has no savings or break-even', async () => {
    const l = loaded({ trials: 2, options: [{ gpu: 'testgpu', weights: 'bf16', tp: 1, fleet: { policy: 'fixed' } }], selfHosted: { slo: { tpot_ms: 0.01 } } });
    const { result } = await run(withCompare(l, [[big]]));
    const o = result.options[0]!;
    expect(o.feasible).toBe(false);
    expect(o.vs_apis['big']!.p_cheaper).toBe(0);
    expect(o.vs_apis['big']!.breakeven_tokens_per_month).toBeNull();
    expect(o.vs_apis['big']!.never_breaks_even_share).toBe(1);
  });
});

/** noisy, growing, bursty traffic and three policies, so the passes and searches differ */
const busy = (trials: number) =>
  loaded({
    trials,
    horizon: 3,
    traffic: { requests_per_day: { type: 'lognormal', low: 24 * 300, high: 24 * 3000 }, noise: { cv: 0.3 }, growth_monthly: 0.05, peak_to_mean: 'auto' },
    apiPricing: { cache_hit_rate: 0.3, price_decline_annual: 0.2, retry_overhead: 0.05 },
    options: [
      { gpu: 'testgpu', weights: 'bf16', tp: 1, fleet: { policy: 'fixed', peak_quantile: 0.99 } },
      { gpu: 'testgpu', weights: 'bf16', tp: 1, fleet: { policy: 'autoscale', min_replicas: 1 } },
      { gpu: 'testgpu', weights: 'bf16', tp: 1, fleet: { policy: 'hybrid', base_replicas: 1 } },
    ],
  });

describe('compare_apis: one rule with the primary', () => {
  it('adding extra baselines leaves every primary number bit-identical', async () => {
    const plain = await run(busy(12));
    const compared = await run(withCompare(busy(12), [[big], [small]]));
    for (let o = 0; o < 3; o++)
      for (const m of OPTION_METRICS.keys()) expect(Buffer.from(compared.out.metrics[o]![m]!.buffer).equals(Buffer.from(plain.out.metrics[o]![m]!.buffer)), `${o} ${OPTION_METRICS[m]}`).toBe(true);
    for (const g of GLOBAL_METRICS.keys()) expect(Buffer.from(compared.out.global[g]!.buffer).equals(Buffer.from(plain.out.global[g]!.buffer))).toBe(true);
    const strip = (r: typeof plain.result) => JSON.stringify({ ...r, compare_apis: [], options: r.options.map((x) => ({ ...x, vs_apis: {} })) });
    expect(strip(compared.result)).toBe(strip(plain.result));
  });

  it('property: an extra API priced like the primary gives the primary figures, for any prices and policy', async () => {
    await fc.assert(
      fc.asyncProperty(fc.double({ min: 0.05, max: 40, noNaN: true }), fc.double({ min: 0.05, max: 80, noNaN: true }), async (pIn, pOut) => {
        const primary = { ...api, input_per_mtok: pIn, output_per_mtok: pOut };
        const l = { ...busy(3), apis: [{ api: primary, share: 1 }] };
        const { out, result } = await run(withCompare(l, [[{ ...primary, id: 'twin', name: 'Twin' }]]));
        for (let o = 0; o < 3; o++) {
          const opt = result.options[o]!;
          const v = opt.vs_apis['twin']!;
          expect(v.p_cheaper).toBe(opt.p_cheaper);
          expect(v.savings_per_month).toEqual(opt.savings_per_month);
          expect(v.breakeven_tokens_per_month).toEqual(opt.breakeven_tokens_per_month);
          expect(v.never_breaks_even_share).toBe(opt.never_breaks_even_share);
          expect(Array.from(vsMetric(out, o, 0, 'breakeven_tokens_per_month'))).toEqual(Array.from(out.metrics[o]![0]!));
        }
        expect(result.compare_apis[0]!.cost_per_month).toEqual(result.api.cost_per_month);
      }),
      { numRuns: 6, seed: 14 },
    );
  });

  it('a dearer baseline is never less often cheaper to beat, and breaks even lower (monotone in price)', async () => {
    const { result } = await run(withCompare(busy(8), [[mkApi('x2', 'x2', 2, 2)], [mkApi('x4', 'x4', 4, 4)]]));
    for (const o of result.options) {
      expect(o.vs_apis['x4']!.p_cheaper).toBeGreaterThanOrEqual(o.vs_apis['x2']!.p_cheaper);
      expect(o.vs_apis['x4']!.savings_per_month.p50).toBeGreaterThan(o.vs_apis['x2']!.savings_per_month.p50);
      const b2 = o.vs_apis['x2']!.breakeven_tokens_per_month;
      const b4 = o.vs_apis['x4']!.breakeven_tokens_per_month;
      if (b2 && b4 && o.vs_apis['x2']!.never_breaks_even_share === 0) expect(b4.p50).toBeLessThanOrEqual(b2.p50);
    }
  });
});

describe('compare_apis: the same rule on the bundled special cases', () => {
  // batch jobs (batch spend held fixed in the break-even), routing (the routed-away share stays
  // at the primary), the fleet you have and resized fleets: an extra baseline priced like the
  // primary must reproduce the primary's figures exactly
  for (const f of ['nightly-batch', 'routed-small-model', 'existing-fleet', 'growing-fleet']) {
    it(`${f}: a twin of the primary API gives the primary's P(cheaper), savings and break-even`, async () => {
      const l = loadWorkload(`workloads/${f}.yaml`);
      const twin = l.apis.map((m) => ({ api: { ...m.api, id: `${m.api.id}-twin` }, share: m.share }));
      const { result } = await simulate({ ...l, compareApis: [twin] }, { trials: 6, workers: 1 });
      const id = result.compare_apis[0]!.id;
      expect(result.compare_apis[0]!.cost_per_month).toEqual(result.api.cost_per_month);
      let compared = 0;
      for (const o of result.options) {
        const v = o.vs_apis[id]!;
        expect([v.p_cheaper, v.savings_per_month, v.breakeven_tokens_per_month, v.never_breaks_even_share], o.id).toEqual([o.p_cheaper, o.savings_per_month, o.breakeven_tokens_per_month, o.never_breaks_even_share]);
        if (o.feasible) compared++;
      }
      expect(compared).toBeGreaterThan(0);
    }, 30_000);
  }
});
