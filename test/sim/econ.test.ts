/**
 * Economics through the engine, with hand-worked answers (issue 11): the SLO in the verdict,
 * GPUs, GPU price decline, retries on the fleet, whole reserved terms, the tornado on a
 * constant break-even, and infeasible options drawn as nothing rather than $0.
 */
import { describe, it, expect } from 'vitest';
import { Hardware } from '../../src/config/schema.js';
import type { LoadedWorkload } from '../../src/config/index.js';
import { optionMetric, globalMetric } from '../../src/sim/metrics.js';
import { rel, gpuRaw, api, K, loaded, run } from './workload-fixture.js';

describe('the SLO in the verdict', () => {
  it('a cheaper fleet that misses the attainment target does not count as cheaper', async () => {
    // demand steps between 0.5 K and 3 K every 12 hours; an autoscaled fleet with a 6-hour lag is
    // short for 6 of every 24 hours (25 % of hours) yet costs far less than the API at $50/M tokens
    const { result } = await run(priced(50));
    const o = result.options[0]!;
    expect(o.slo_attainment!.p50).toBeCloseTo(0.75, 2);
    expect(o.p_meets_slo).toBe(0);
    expect(o.p_cheaper_ignoring_slo).toBe(1);
    expect(o.p_cheaper).toBe(0);
    expect(result.curves.p_cheaper[o.id]!.every((p) => p === 0)).toBe(true);
    expect(result.slo).toEqual({ ttft_ms: null, tpot_ms: null, attainment_target: 0.99 });
    // with a 70 % target it meets it, and counts
    const lax = await run(priced(50, { slo: { attainment: 0.7 } }));
    expect(lax.result.options[0]!.p_meets_slo).toBe(1);
    expect(lax.result.options[0]!.p_cheaper).toBe(1);
    // GPUs: the peak, ⌈3K / K⌉ = 3 replicas × tp 1
    expect(o.gpus).toEqual({ p10: 3, p50: 3, p90: 3, mean: 3 });
  });
});

/** The stepped-demand autoscale workload above, with the API at `usdPerM` $/M tokens. */
function priced(usdPerM: number, selfHosted: Record<string, unknown> = {}): LoadedWorkload {
  const l = loaded({
    // (1 - 1e-9): the peak hour is 3 K less a rounding margin, so ⌈3K/K⌉ is 3 whatever K's last bits
    traffic: { requests_per_day: 24 * K * 1.75 * (1 - 1e-9), daily_shape: [...new Array(12).fill(0.5 / 1.75), ...new Array(12).fill(3 / 1.75)] },
    options: [{ gpu: 'testgpu', weights: 'bf16', tp: 1, fleet: { policy: 'autoscale', min_replicas: 1, scale_up_lag_hours: 6, target_utilisation: 1, cold_start_minutes: 0 } }],
    selfHosted,
    trials: 4,
  });
  const a = { ...api, input_per_mtok: usdPerM, output_per_mtok: usdPerM };
  return { ...l, apis: [{ api: a, share: 1 }] };
}

describe('fleet economics through the engine', () => {
  it('GPU rental prices decline month by month; the break-even moves down with them', async () => {
    // one replica at $2/h, 50 % cheaper a year: Σ_m 2 × 730 × 0.5^((m+½)/12)
    const { out } = await run(loaded({ selfHosted: { gpu_price_decline_annual: 0.5 } }));
    const hand = Array.from({ length: 12 }, (_, m) => 2 * 730 * Math.pow(0.5, (m + 0.5) / 12)).reduce((a, b) => a + b, 0);
    for (const c of optionMetric(out, 0, 'cost_total')) expect(rel(c, hand)).toBeLessThan(1e-12);
    // flat traffic at $1/M tokens, 1,000 tokens a call: break-even = fleet cost / horizon / $1e-6 per token
    for (const b of optionMetric(out, 0, 'breakeven_tokens_per_month')) expect(rel(b, hand / 12 / 1e-6)).toBeLessThan(1e-5);
    // reserved does not follow the decline: 1.5 × 8,760
    const r = await run(loaded({ selfHosted: { gpu_price_decline_annual: 0.5 }, options: [{ gpu: 'testgpu', weights: 'bf16', tp: 1, pricing: 'reserved', fleet: { policy: 'fixed', peak_quantile: 1 } }] }));
    for (const c of optionMetric(r.out, 0, 'cost_total')) expect(c).toBe(1.5 * 8760);
  });

  it('retries load the fleet: at 0.9 K requests/h one replica serves; with 25 % retries it takes two', async () => {
    const rpd = 24 * 0.9 * K;
    const base = await run(loaded({ traffic: { requests_per_day: rpd } }));
    expect(base.result.options[0]!.gpus!.p50).toBe(1);
    const retried = await run(loaded({ traffic: { requests_per_day: rpd }, apiPricing: { retry_overhead: 0.25 } }));
    // 0.9 K × 1.25 = 1.125 K > K
    expect(retried.result.options[0]!.gpus!.p50).toBe(2);
    for (const c of optionMetric(retried.out, 0, 'cost_total')) expect(c).toBe(2 * 2 * 8760);
    // and the API bills 1.25 calls per request: 0.9 K × 8,760 h × 1.25 × 1,000 tokens × $1e-6
    for (const a of globalMetric(retried.out, 'api_cost_total')) expect(rel(a, rpd * 365 * 1.25 * 1e-3)).toBeLessThan(1e-12);
  });

  it('a 12-month reserved term over 18 months pays two whole terms, and says so', async () => {
    const l = loaded({ horizon: 18, options: [{ gpu: 'testgpu', weights: 'bf16', tp: 1, pricing: 'reserved', fleet: { policy: 'fixed', peak_quantile: 1 } }] });
    const { out, result } = await run(l);
    // 1.5 $/h × 24 months × 730 h
    for (const c of optionMetric(out, 0, 'cost_total')) expect(c).toBe(1.5 * 24 * 730);
    expect(result.warnings).toContain('opt0: the 12-month reserved term does not divide the 18-month horizon; 2 whole terms (24 months) are paid, not pro-rated');
    // cash spread evenly: the cumulative chart ends at the total
    const cum = result.cumulative_cost.series['opt0']!.p50;
    expect(rel(cum[cum.length - 1]!, 1.5 * 24 * 730)).toBeLessThan(1e-5);
    expect(result.options[0]!.payback_month).toBeNull();
  });

  it('ranks nothing when the break-even is the same in every trial (no floating-point noise in the tornado)', async () => {
    // flat traffic that one replica serves: break-even = $2 × 730 / $1e-6 whatever the volume
    const { result } = await run(loaded({ traffic: { requests_per_day: '9000 to 14000' } }));
    const s = result.options[0]!.sensitivity;
    expect(s.length).toBeGreaterThan(0);
    for (const x of s) expect(x.breakeven_rank_correlation).toBe(0);
    expect(s.find((x) => x.input === 'traffic.requests_per_day')!.savings_rank_correlation).toBeGreaterThan(0.9);
  });

  it('an option that never runs has no cost series, GPUs or attainment (never a $0 line)', async () => {
    // no decode step of the 8 B model meets a 1 ms TPOT target
    const { result } = await run(loaded({ selfHosted: { slo: { tpot_ms: 1 } } }));
    const o = result.options[0]!;
    expect(o.feasible).toBe(false);
    expect(o.gpus).toBeNull();
    expect(o.slo_attainment).toBeNull();
    expect(o.p_cheaper).toBe(0);
    expect(result.cumulative_cost.series[o.id]).toBeUndefined();
    expect(result.curves.cost_fan[o.id]).toBeUndefined();
  });
});

describe('owned hardware through the engine', () => {
  it('autoscaled: buys the peak fleet, pays back on its capex, counts its depreciation (hand-worked)', async () => {
    // demand 0.5 K for 12 h, 2.9 K for 12 h, every day; lag 0, target 1, ptm 1: 1 or 3 replicas
    const owned = Hardware.parse({ ...gpuRaw, capex_per_gpu_usd: 20000, power_w: 700 });
    const l = loaded({
      traffic: { requests_per_day: 24 * K * 1.7, daily_shape: [...new Array(12).fill(0.5 / 1.7), ...new Array(12).fill(2.9 / 1.7)] },
      selfHosted: { power: { usd_per_kwh: 0.1, pue: 1, amortisation_months: 36 } },
      options: [{ gpu: 'testgpu', weights: 'bf16', tp: 1, pricing: 'owned', fleet: { policy: 'autoscale', min_replicas: 1, scale_up_lag_hours: 0, target_utilisation: 1, cold_start_minutes: 10 } }],
      trials: 2,
    });
    const a = { ...api, input_per_mtok: 50, output_per_mtok: 50 };
    const w: LoadedWorkload = { ...l, apis: [{ api: a, share: 1 }], options: l.options.map((o) => ({ ...o, gpu: owned })) };
    const { out, result } = await run(w);
    const o = result.options[0]!;
    expect(o.gpus!.p50).toBe(3);
    // cost: 3 replicas × $20,000/(36 × 730 h) × 8,760 h of depreciation + power 0.07 $/h × 17,520 replica-hours
    // (owned cold starts cost nothing extra: the replica is paid for)
    const provHours = 365 * (12 * 1 + 12 * 3);
    for (const c of optionMetric(out, 0, 'cost_total')) expect(rel(c, (3 * 20000 * 8760) / (36 * 730) + 0.07 * provHours)).toBeLessThan(1e-9);
    // payback, cash: $60,000 of capex in month 0 against month 0's net saving. Month 0 = 730 h = 30 days + 10 h
    // (all at 0.5 K): 1,450 replica-hours of power; calls 30 × (12 × 0.5 K + 12 × 2.9 K) + 10 × 0.5 K = 1,229 K
    const api0 = 1229 * K * 1000 * 50e-6;
    const net0 = api0 - 0.07 * 1450;
    for (const p of optionMetric(out, 0, 'payback_month')) expect(rel(p, 60000 / net0)).toBeLessThan(1e-9);
    // the cumulative cash chart starts at the capex of the peak fleet
    expect(result.cumulative_cost.series['opt0']!.p50[0]).toBeGreaterThan(60000);
  });
});

describe('the week chart draws capacity by the same need rule', () => {
  it('peak_to_mean 2, flat 1.2 K/h: 3 replicas, whose line is the 1.5 K/h they serve within the SLO', async () => {
    // need 2.4 K → ⌈2.4⌉ = 3 replicas; they fit a busiest minute of 3 K/h, i.e. 1.5 K/h of hourly demand
    const { result } = await run(loaded({ traffic: { requests_per_day: 24 * 1.2 * K, peak_to_mean: 2 }, trials: 1 }));
    expect(result.options[0]!.gpus!.p50).toBe(3);
    const line = result.traffic_week.capacity_tokens_per_hour['opt0']!;
    for (const c of line) expect(rel(c, 1.5 * K * 1000)).toBeLessThan(1e-5);
    expect(result.options[0]!.violation_hours.p50).toBe(0);
  });
});
