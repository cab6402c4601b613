/**
 * Workloads people run (issue 15) through the engine, with hand-worked answers: fixed fleets
 * that follow growth, the fleet you already own, routing to a small model, batch deadlines.
 */
import { describe, it, expect } from 'vitest';
import { compilePlan } from '../../src/sim/plan.js';
import { optionMetric, globalMetric } from '../../src/sim/metrics.js';
import { K, api, loaded, run, rel } from './workload-fixture.js';
import { UserError } from '../../src/errors.js';
import { simulate } from '../../src/sim/index.js';

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

describe('the batch share served off-peak (self_hosted.batch_share: deferred)', () => {
  const fixed = [{ gpu: 'testgpu', weights: 'bf16', tp: 1, fleet: { policy: 'fixed', peak_quantile: 1 } }];
  const deferredRun = (o: { rph: number; share: number; mode: 'interactive' | 'deferred'; options?: unknown[]; traffic?: Record<string, unknown> }) =>
    run(
      loaded({
        traffic: { requests_per_day: 24 * o.rph, ...o.traffic },
        apiPricing: { batch_share: o.share },
        selfHosted: { batch_share: o.mode },
        options: o.options ?? fixed,
        trials: 3,
      }),
    );

  it('flat 1.5 K/h, half deferrable: one replica for the 0.75 K interactive, its free quarter serves 0.25 K of the 0.75 K deferred; the rest goes to the API', async () => {
    // interactive: ⌈1.5⌉ = 2 replicas × 8,760 h × $2 = $35,040, as without deferral
    // deferred: ⌈0.75⌉ = 1 replica, $17,520; free 1 − 0.75 = 0.25 replica-hours an hour serve
    // 0.25 K deferred calls (at full batch a replica serves K of them: no SLO in this fixture);
    // every hour's capacity is used, so 0.75 K − 0.25 K = 0.5 K calls an hour miss the 24-hour
    // window and pay the standard $0.001: + 0.5 K × 8,760 × $0.001
    const a = await deferredRun({ rph: 1.5 * K, share: 0.5, mode: 'interactive' });
    for (const c of optionMetric(a.out, 0, 'cost_total')) expect(c).toBe(35040);
    expect(a.result.options[0]!.deferred_missed_share).toBeNull();
    expect(a.result.deferred_batch_share).toBeNull();
    const d = await deferredRun({ rph: 1.5 * K, share: 0.5, mode: 'deferred' });
    for (const c of optionMetric(d.out, 0, 'cost_total')) expect(rel(c, 17520 + 0.5 * K * 8760 * 1e-3)).toBeLessThan(1e-9);
    const o = d.result.options[0]!;
    expect(o.gpus!.p50).toBe(1);
    expect(o.deferred_missed_share!.p50).toBeCloseTo(2 / 3, 5);
    // the missed calls count as overflow: 0.5 K of 1.5 K
    expect(o.overflow_share.p50).toBeCloseTo(1 / 3, 5);
    // busy: 0.75 K interactive + 0.25 K deferred of one replica's K
    expect(o.utilisation.p50).toBeCloseTo(1, 5);
    expect(d.result.deferred_batch_share).toEqual({ window_hours: 24, share: { p10: 0.5, p50: 0.5, p90: 0.5, mean: 0.5 } });
    // the API side is the same either way: half the calls at half price
    for (const x of globalMetric(d.out, 'api_cost_total')) expect(rel(x, 1.5 * K * 8760 * 0.75e-3)).toBeLessThan(1e-9);
  });

  it('fills the night: 1.2 K/h by day and 0.4 K/h by night, half deferrable: one replica serves it all, where serving it interactively needs two', async () => {
    // interactive share: 0.6 K by day, 0.2 K by night: ⌈0.6⌉ = 1 replica, $17,520; free 0.4 K
    // calls an hour by day, 0.8 K by night; deferred 0.6 K by day, 0.2 K by night: the day's
    // backlog grows 0.2 K an hour to 2.4 K and drains in 4 night hours, well within 24 h
    const traffic = { daily_shape: [...new Array<number>(12).fill(1.5), ...new Array<number>(12).fill(0.5)] };
    const i = await deferredRun({ rph: 0.8 * K, share: 0.5, mode: 'interactive', traffic });
    for (const c of optionMetric(i.out, 0, 'cost_total')) expect(c).toBe(35040);
    const d = await deferredRun({ rph: 0.8 * K, share: 0.5, mode: 'deferred', traffic });
    for (const c of optionMetric(d.out, 0, 'cost_total')) expect(c).toBe(17520);
    expect(d.result.options[0]!.deferred_missed_share).toEqual({ p10: 0, p50: 0, p90: 0, mean: 0 });
    expect(d.result.options[0]!.slo_attainment!.p50).toBe(1);
  });

  it('routing and deferral compose: 1.6 K/h, 50 % routed, half of that deferred; the fleet takes 0.4 K interactive and serves 0.4 K deferred in its free 0.6', async () => {
    const opts = [{ gpu: 'testgpu', weights: 'bf16', tp: 1, fleet: { policy: 'fixed', peak_quantile: 1 }, routing: { share: 0.5, model: 'm8b', quality_assumption: 'same model' } }];
    const d = await deferredRun({ rph: 1.6 * K, share: 0.5, mode: 'deferred', options: opts });
    // fleet $17,520 + the routed-away half of the API bill (half of it at batch prices)
    const A = 1.6 * K * 8760 * 0.75e-3;
    for (const c of optionMetric(d.out, 0, 'cost_total')) expect(rel(c, 17520 + 0.5 * A)).toBeLessThan(1e-9);
    expect(d.result.options[0]!.deferred_missed_share!.p50).toBe(0);
  });

  it('options that differ only in pricing share their deferred drains: each option\'s answers are those of running it alone', async () => {
    // an on-demand and a reserved fixed fleet of the same GPU drain the same backlog (one exact
    // pass and C(s)'s full passes shared by scale); an autoscaled fleet does not
    const a = { id: 'a', gpu: 'testgpu', weights: 'bf16', tp: 1, fleet: { policy: 'fixed', peak_quantile: 0.95 } };
    const b = { id: 'b', gpu: 'testgpu', weights: 'bf16', tp: 1, fleet: { policy: 'autoscale', min_replicas: 1, scale_up_lag_hours: 1 } };
    const c = { id: 'c', gpu: 'testgpu', weights: 'bf16', tp: 1, pricing: 'reserved', fleet: { policy: 'fixed', peak_quantile: 0.95 } };
    const traffic = { noise: { cv: 0.3, autocorrelation: 0.5 }, daily_shape: 'business-hours' };
    const all = await deferredRun({ rph: 3 * K, share: 0.6, mode: 'deferred', options: [a, c, b], traffic });
    const names = ['cost_total', 'deferred_missed_share', 'utilisation', 'breakeven_tokens_per_month'] as const;
    expect(Math.max(...optionMetric(all.out, 0, 'deferred_missed_share'))).toBeGreaterThan(0);
    for (const [o, opt] of [a, c, b].entries()) {
      const alone = await deferredRun({ rph: 3 * K, share: 0.6, mode: 'deferred', options: [opt], traffic });
      for (const m of names) expect(Array.from(optionMetric(all.out, o, m))).toEqual(Array.from(optionMetric(alone.out, 0, m)));
      expect(all.result.curves.grid).toEqual(alone.result.curves.grid);
      expect(all.result.curves.cost_fan[opt.id]).toEqual(alone.result.curves.cost_fan[opt.id]);
    }
  });

  it('with no batch share, deferral changes nothing: every policy costs and breaks even as before', async () => {
    const options = [
      { gpu: 'testgpu', weights: 'bf16', tp: 1, fleet: { policy: 'fixed', peak_quantile: 0.95 } },
      { gpu: 'testgpu', weights: 'bf16', tp: 1, fleet: { policy: 'autoscale', min_replicas: 1, scale_up_lag_hours: 2 } },
      { gpu: 'testgpu', weights: 'bf16', tp: 1, fleet: { policy: 'hybrid' } },
      { gpu: 'testgpu', weights: 'bf16', tp: 1, fleet: { policy: 'existing', gpus: 2, sunk: 'reserved', until_month: 6 } },
      { gpu: 'testgpu', weights: 'bf16', tp: 1, fleet: { policy: 'fixed', resize: 'quarterly' } },
    ];
    const traffic = { noise: { cv: 0.3 }, daily_shape: 'business-hours', growth_monthly: 0.03 };
    const i = await deferredRun({ rph: 3 * K, share: 0, mode: 'interactive', options, traffic });
    const d = await deferredRun({ rph: 3 * K, share: 0, mode: 'deferred', options, traffic });
    expect(d.result.warnings).toContain('self_hosted.batch_share: deferred has nothing to defer: api_pricing.batch_share is 0 (give the share of calls that can wait for a batch API)');
    expect(i.result.warnings.some((w) => w.includes('nothing to defer'))).toBe(false);
    for (let o = 0; o < options.length; o++) {
      expect(Array.from(optionMetric(d.out, o, 'cost_total'))).toEqual(Array.from(optionMetric(i.out, o, 'cost_total')));
      expect(Array.from(optionMetric(d.out, o, 'violation_hours'))).toEqual(Array.from(optionMetric(i.out, o, 'violation_hours')));
      // fixed fleets lose their closed-form break-even under deferral (the search finds it to its bisection's precision)
      const bi = optionMetric(i.out, o, 'breakeven_tokens_per_month');
      const bd = optionMetric(d.out, o, 'breakeven_tokens_per_month');
      for (let k = 0; k < bi.length; k++) expect(rel(bd[k]!, bi[k]!)).toBeLessThan(1e-4);
    }
  });

  // Fixed fleets only: an autoscaled fleet or a hybrid base is sized on the interactive share
  // and deferred calls never add replicas, so they get only its headroom (1 − target
  // utilisation, rounding, the floor); with enough of them some miss and cost more than serving
  // them interactively would (an autoscaler here at 30 % deferrable misses 2 % of them)
  it('a larger deferrable share never needs more GPUs, and with ample night capacity never costs more, on fixed fleets', async () => {
    const options = [
      { gpu: 'testgpu', weights: 'bf16', tp: 1, fleet: { policy: 'fixed' } },
      { gpu: 'testgpu', weights: 'bf16', tp: 1, fleet: { policy: 'fixed', peak_quantile: 0.9, resize: 'monthly' } },
    ];
    const traffic = { daily_shape: 'business-hours' };
    let prev: Awaited<ReturnType<typeof deferredRun>> | null = null;
    for (const share of [0, 0.1, 0.2, 0.3]) {
      const d = await deferredRun({ rph: 4 * K, share, mode: 'deferred', options, traffic });
      for (let o = 0; o < options.length; o++) {
        expect(d.result.options[o]!.deferred_missed_share?.p50 ?? 0).toBe(0);
        if (prev) {
          const c = optionMetric(d.out, o, 'cost_total');
          const p = optionMetric(prev.out, o, 'cost_total');
          for (let k = 0; k < c.length; k++) expect(c[k]!).toBeLessThanOrEqual(p[k]! * (1 + 1e-12));
          expect(d.result.options[o]!.gpus!.p50).toBeLessThanOrEqual(prev.result.options[o]!.gpus!.p50);
        }
      }
      prev = d;
    }
  });

  it('same seed, byte-identical JSON for 1 and 2 workers with deferral on every policy', async () => {
    // 1,200 trials: two chunks, so 2 threads really run; a 1-month horizon keeps it cheap
    const l = loaded({
      traffic: { requests_per_day: '20000 to 60000', noise: { cv: 0.3, autocorrelation: 0.6 }, daily_shape: 'business-hours' },
      apiPricing: { batch_share: '0.1 to 0.6' },
      selfHosted: { batch_share: 'deferred' },
      options: [
        { gpu: 'testgpu', weights: 'bf16', tp: 1, fleet: { policy: 'fixed' } },
        { gpu: 'testgpu', weights: 'fp8', tp: 1, fleet: { policy: 'autoscale' } },
        { gpu: 'testgpu', weights: 'fp8', tp: 1, fleet: { policy: 'hybrid' } },
        { gpu: 'testgpu', weights: 'bf16', tp: 1, fleet: { policy: 'existing', gpus: 1, sunk: 'reserved' } },
      ],
      horizon: 1,
    });
    const one = await simulate(l, { trials: 1200, workers: 1 });
    const two = await simulate(l, { trials: 1200, workers: 2 });
    expect(JSON.stringify(two.result)).toBe(JSON.stringify(one.result));
    expect(one.result.options.every((o) => o.deferred_missed_share !== null)).toBe(true);
  });
});
