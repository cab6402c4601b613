/**
 * Workloads people run (issue 15) through the engine, with hand-worked answers: fixed fleets
 * that follow growth, the fleet you already own, routing to a small model, batch deadlines.
 */
import { describe, it, expect } from 'vitest';
import { compilePlan } from '../../src/sim/plan.js';
import { optionMetric, globalMetric } from '../../src/sim/metrics.js';
import { K, api, loaded, run, rel } from './workload-fixture.js';
import { UserError } from '../../src/errors.js';

describe('fixed fleet resized with growth', () => {
  it('10 %/month growth from 0.5 K: monthly pays 1 replica for 7 months and 2 for 5; one size pays 2 all year', async () => {
    // demand at hour h: 0.5 K × 1.1^(h/730); month m's busiest hour 0.5 K × 1.1^(m + 729/730):
    // ≤ 0.974 K up to month 6 (1 replica), 1.07-1.57 K from month 7 (2 replicas)
    // monthly:   (7 × 1 + 5 × 2) × 730 h × $2 = $24,820
    // quarterly: quarters peak at 0.67, 0.89, 1.18, 1.57 K: (6 × 1 + 6 × 2) × 730 × $2 = $26,280
    // one size:  2 × 8,760 × $2 = $35,040
    const opts = (resize: string) => [{ gpu: 'testgpu', weights: 'bf16', tp: 1, fleet: { policy: 'fixed', peak_quantile: 1, resize } }];
    const traffic = { requests_per_day: 24 * 0.5 * K, growth_monthly: 0.1 };
    const cost = async (resize: string) => optionMetric((await run(loaded({ traffic, options: opts(resize), trials: 3 }))).out, 0, 'cost_total');
    for (const c of await cost('monthly')) expect(c).toBe(24820);
    for (const c of await cost('quarterly')) expect(c).toBe(26280);
    for (const c of await cost('none')) expect(c).toBe(35040);
    const { result } = await run(loaded({ traffic, options: opts('monthly'), trials: 3 }));
    // peak 2 GPUs; mean replicas 17 / 12 (the JSON keeps 6 digits); never short
    expect(result.options[0]!.gpus!.p50).toBe(2);
    expect(result.options[0]!.replicas.p50).toBeCloseTo(17 / 12, 5);
    expect(result.options[0]!.slo_attainment!.p50).toBe(1);
  });

  it('a reserved fleet that resizes warns that the commitment covers the peak', () => {
    const plan = compilePlan(loaded({ options: [{ gpu: 'testgpu', weights: 'bf16', tp: 1, pricing: 'reserved', fleet: { policy: 'fixed', resize: 'monthly' } }] }));
    expect(plan.warnings.join('\n')).toMatch(/commits to the peak fleet for whole terms, so resize: monthly saves nothing/);
  });
});

describe('the fleet you already have', () => {
  it('a sunk reservation of 2 GPUs serving 1.5 K/h costs only operations; the API takes nothing', async () => {
    // flat 1.5 K req/h, 2 replicas of K: no overflow; reserved is sunk: cost = ops $500 × 12
    const opts = [{ gpu: 'testgpu', weights: 'bf16', tp: 1, fleet: { policy: 'existing', gpus: 2, sunk: 'reserved' } }];
    const { out, result } = await run(loaded({ traffic: { requests_per_day: 24 * 1.5 * K }, options: opts, selfHosted: { ops_cost_per_month: 500 }, trials: 3 }));
    for (const c of optionMetric(out, 0, 'cost_total')) expect(c).toBe(6000);
    expect(result.options[0]!.overflow_share.p50).toBe(0);
    expect(result.options[0]!.slo_attainment!.p50).toBe(1);
    expect(result.options[0]!.gpus!.p50).toBe(2);
  });

  it('overflow to rented GPUs: 2.5 K/h on 2 owned GPUs rents one more every hour, and pays power for the two', async () => {
    // ⌈2.5⌉ − 2 = 1 rented replica × 8,760 h × $2 = $17,520; power 0.7 kW × PUE 1 × $0.1/kWh
    // = $0.07/h × 2 × 8,760 = $1,226.4; no ops
    const opts = [{ gpu: 'testgpu', weights: 'bf16', tp: 1, fleet: { policy: 'existing', gpus: 2, sunk: 'owned', overflow: 'rented' } }];
    const l = loaded({ traffic: { requests_per_day: 24 * 2.5 * K }, options: opts, selfHosted: { power: { usd_per_kwh: 0.1, pue: 1 } }, trials: 3 });
    const { out, result } = await run(l);
    for (const c of optionMetric(out, 0, 'cost_total')) expect(Math.abs(c - (17520 + 1226.4))).toBeLessThan(1e-6);
    expect(result.options[0]!.gpus!.p50).toBe(3);
    expect(result.options[0]!.payback_month).toBeNull();
  });

  it('an existing fleet too small to hold one replica is refused with the field path and the fix', () => {
    // the test GPU holds the 8B model at tp 1 in bf16, so force tp 2 on one GPU
    const l = loaded({ options: [{ gpu: 'testgpu', weights: 'bf16', tp: 2, fleet: { policy: 'existing', gpus: 1, sunk: 'reserved' } }] });
    expect(() => compilePlan(l)).toThrow(UserError);
    expect(() => compilePlan(l)).toThrow(/self_hosted\.options\[0\]\.fleet\.gpus: m8b bf16 needs 2×testgpu per replica \(tp 2\) but the fleet has 1; give the GPUs you have, a smaller weight format, or tp/);
  });
});

describe('routing to a small self-hosted model', () => {
  /** the fixture workload with one routing option (the small model is the fixture's own m8b) */
  const routed = (share: unknown, fleet: unknown, rph: number) => {
    const l = loaded({
      traffic: { requests_per_day: rph * 24 },
      options: [{ gpu: 'testgpu', weights: 'bf16', tp: 1, fleet, routing: { share, model: 'm8b', quality_assumption: 'the 8B model answers routed FAQ requests as well' } }],
      trials: 3,
    });
    return { ...l, options: l.options.map((o) => ({ ...o, model: l.model })) };
  };

  it('70 % of 2 K/h self-hosted: two replicas for 1.4 K/h plus the API for 30 %, priced together', async () => {
    // fleet: ⌈0.7 × 2 K / K⌉ = 2 replicas × 8,760 h × $2 = $35,040
    // API: 2 K/h × 8,760 h × 1,000 tokens × $1/M = $17.52 × K; 30 % of it goes to the API
    const { out, result } = await run(routed(0.7, { policy: 'fixed', peak_quantile: 1 }, 2 * K));
    const A = 2 * K * 8760 * 1e-3;
    for (const c of optionMetric(out, 0, 'cost_total')) expect(rel(c, 35040 + 0.3 * A)).toBeLessThan(1e-9);
    const o = result.options[0]!;
    expect(o.routing).toEqual({ share: { p10: 0.7, p50: 0.7, p90: 0.7, mean: 0.7 }, quality_assumption: 'the 8B model answers routed FAQ requests as well' });
    expect(o.overflow_share.p50).toBeCloseTo(0.3, 6);
    expect(o.gpus!.p50).toBe(2);
    // break-even on total volume: the fleet (2 replicas up to 2 K/0.7 of total demand) against 70 % of
    // the API: one replica serves up to K/0.7 total; $17,520 < 0.7 × s·A  ⇔  s·A > $25,029
    for (const b of optionMetric(out, 0, 'breakeven_tokens_per_month')) expect(rel(b, 17520 / 0.7 / 12 / 1e-6)).toBeLessThan(1e-4);
  });

  it('property: more share to a path never dearer than the API never costs more (a fixed hybrid base sends what it cannot serve to the API)', async () => {
    const costs: number[] = [];
    for (const share of [0, 0.2, 0.4, 0.6, 0.8, 1]) {
      const { out } = await run(routed(share, { policy: 'hybrid', base_replicas: 1 }, 1.7 * K));
      costs.push(optionMetric(out, 0, 'cost_total')[0]!);
    }
    for (let i = 1; i < costs.length; i++) expect(costs[i]!).toBeLessThanOrEqual(costs[i - 1]! * (1 + 1e-12));
    // share 0: the base replica idles and the API takes everything: $17,520 + A
    expect(rel(costs[0]!, 17520 + 1.7 * K * 8760 * 1e-3)).toBeLessThan(1e-9);
  });
});

describe('deadline-driven batch jobs', () => {
  const batchRun = (deadline: number, items: number) =>
    run(
      loaded({
        traffic: { requests_per_day: 24 * 1.5 * K, batch_jobs: { items_per_run: items, deadline_hours: deadline, input_tokens: 800, output_tokens: 200 } },
        trials: 3,
      }),
    );

  it('a nightly run fills the fleet’s free half replica; the API prices it at batch rates only from a 24-hour deadline', async () => {
    // interactive 1.5 K/h on ⌈1.5⌉ = 2 replicas: 0.5 replica-hours free each hour = 0.5 K items/h
    // (batch items have the interactive token shape, so a replica serves K of them an hour)
    // 5 K items take 10 hours: met with 12 h; the fleet costs 2 × 8,760 × $2 = $35,040 either way
    // API: 365 runs × 5 K items × 1,000 tokens × $1/M = $1.825 × K; at 24 h the batch price is half
    const interactive = 1.5 * K * 8760 * 1e-3;
    const a = await batchRun(12, 5 * K);
    for (const c of optionMetric(a.out, 0, 'cost_total')) expect(c).toBe(35040);
    for (const x of globalMetric(a.out, 'api_cost_total')) expect(rel(x, interactive + 365 * 5 * K * 1e-3)).toBeLessThan(1e-9);
    expect(a.result.options[0]!.batch_runs_missed_share).toEqual({ p10: 0, p50: 0, p90: 0, mean: 0 });
    expect(a.result.batch_jobs).toEqual({ deadline_hours: 12, api_batch_window_hours: 24, api_batch_prices: false, runs: 365 });
    const b = await batchRun(24, 5 * K);
    for (const x of globalMetric(b.out, 'api_cost_total')) expect(rel(x, interactive + 365 * 5 * K * 0.5e-3)).toBeLessThan(1e-9);
    expect(b.result.batch_jobs!.api_batch_prices).toBe(true);
  });

  it('runs too big for their deadline are all missed, and their rest is paid at API prices', async () => {
    // 10 K items, 0.5 K/h free for 12 hours: 6 K served, 4 K × $0.001 to the API per run
    const { out, result } = await batchRun(12, 10 * K);
    for (const c of optionMetric(out, 0, 'cost_total')) expect(rel(c, 35040 + 365 * 4 * K * 1e-3)).toBeLessThan(1e-9);
    expect(result.options[0]!.batch_runs_missed_share!.p50).toBe(1);
  });
});

describe('batch window from the catalog', () => {
  it('a provider whose batch window is 48 hours bills a 24-hour deadline at standard prices', () => {
    const l = loaded({ traffic: { batch_jobs: { items_per_run: 100, deadline_hours: 24, input_tokens: 800, output_tokens: 200 } } });
    expect(compilePlan(l).batch!.windowHours).toBe(24);
    const slow = { ...l, apis: [{ api: { ...api, batch_window_hours: 48 }, share: 1 }] };
    const plan = compilePlan(slow);
    expect(plan.batch).toMatchObject({ windowHours: 48, deadline: 24, every: 24, start: 0 });
    expect(plan.batch!.deadline >= plan.batch!.windowHours).toBe(false);
  });
});
