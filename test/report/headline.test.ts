import { describe, expect, it } from 'vitest';
import { headline, optionFacts, optionShortName, recommended, verdictGroups } from '../../src/report/index.js';
import { buildChartSpecs } from '../../src/report/specs.js';
import { inputWords, movesOption } from '../../src/report/inputs.js';
import { logTicks, paddedLogDomain } from '../../src/report/specs.js';
import { edgeCaseResult, loadFixture } from './fixtures/variants.js';

describe('the first-screen answer', () => {
  it('recommends the cheapest option cheaper (and within the SLO) in ≥ 60 % of trials', () => {
    const r = loadFixture();
    // all three are ≥ 60 %: fixed $5,427.4, autoscale $5,700, hybrid $7,011.4 → fixed (owned);
    // gpus p50 4 over tp 2 → 2 replicas; break-even p50 1.3e9 → "1.3 B"; API p50 $8,800
    expect(recommended(r)!.id).toBe('h100-sxm-fp8-fixed');
    expect(headline(r)).toBe('Self-host on 2 × 2×H100 SXM FP8 (fixed fleet, owned): $5.43 K/month vs GPT-4o $8.8 K; cheaper and within the SLO in 77 % of trials; break-even 1.3 B tokens/month');
    expect(optionShortName(r, r.options[1]!)).toBe('up to 2 × 2×H100 SXM FP8 (autoscaled)');
  });
  it('says to stay on the API, naming the closest option, when none qualifies', () => {
    const r = loadFixture();
    for (const o of r.options) o.p_cheaper = 0.3;
    r.options[2]!.p_cheaper = 0.45;
    expect(recommended(r)).toBeNull();
    expect(headline(r)).toBe(
      'Stay on GPT-4o ($8.8 K/month): no self-hosted option is cheaper and within the SLO in at least 60 % of trials; the closest, 2 × 2×H100 SXM FP8 (hybrid, overflow to API), costs $7.01 K/month and is cheaper and within the SLO in 45 % of trials; break-even 720 M tokens/month',
    );
    for (const o of r.options) o.feasible = false;
    expect(headline(r)).toBe('Stay on GPT-4o ($8.8 K/month): no self-hosted option can run as configured');
  });
  it('without a latency target it says "cheaper", not "within the SLO"', () => {
    const r = loadFixture();
    r.slo = { ttft_ms: null, tpot_ms: null, attainment_target: 0.99 };
    expect(headline(r)).toMatch(/; cheaper in 77 % of trials;/);
  });
  it('an option cheaper but for the SLO target is grouped as missing it, not as "API cheaper"', () => {
    const r = loadFixture();
    const o = r.options[0]!;
    // cheaper within the SLO in 20 % of trials, cheaper ignoring it in 95 %: the API is not cheaper
    Object.assign(o, { p_cheaper: 0.2, p_cheaper_ignoring_slo: 0.95, p_meets_slo: 0.2 });
    expect(verdictGroups(r).find((g) => g.options.includes(o))).toMatchObject({ verdict: 'slo', title: 'Cheaper, but misses the SLO target' });
    expect(optionFacts(r, o)).toMatch(/meets the SLO target in 20 % of trials/);
    // the boundaries: 60 % ignoring the SLO is 'slo', below it 'api'; 40 % within it stays the API's side
    o.p_cheaper_ignoring_slo = 0.6;
    expect(verdictGroups(r).find((g) => g.options.includes(o))?.verdict).toBe('slo');
    o.p_cheaper_ignoring_slo = 0.59;
    expect(verdictGroups(r).find((g) => g.options.includes(o))?.verdict).toBe('api');
    Object.assign(o, { p_cheaper: 0.41, p_cheaper_ignoring_slo: 0.95 });
    expect(verdictGroups(r).find((g) => g.options.includes(o))?.verdict).toBe('uncertain');
    // a result from before the field (undefined) reads as before
    Object.assign(o, { p_cheaper: 0.2, p_cheaper_ignoring_slo: undefined });
    expect(verdictGroups(r).find((g) => g.options.includes(o))?.verdict).toBe('api');
    // groups keep their order: self-host, too close to call, misses the SLO, API cheaper, cannot run
    const order = ['self-host', 'uncertain', 'slo', 'api', 'infeasible'];
    const seen = verdictGroups(r).map((g) => order.indexOf(g.verdict));
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
  });
  it('groups options by verdict and says infeasible shares as such, never as $0', () => {
    const r = edgeCaseResult();
    r.options[2]!.feasible_share = 0.7;
    const groups = verdictGroups(r);
    expect(groups.map((g) => [g.verdict, g.options.map((o) => o.id)])).toEqual([
      ['self-host', ['h100-sxm-fp8-hybrid']],
      ['api', ['h100-sxm-fp8-autoscale']],
      ['infeasible', ['h100-sxm-fp8-fixed']],
    ]);
    expect(optionFacts(r, r.options[0]!)).toMatch(/^cannot run: weights need 141 GB/);
    expect(optionFacts(r, r.options[2]!)).toMatch(/; cannot run in 30 % of trials$/);
    expect(optionFacts(r, r.options[1]!)).toMatch(/never breaks even in most trials; meets the SLO target in 93 % of trials/);
  });
});

describe('tornado inputs', () => {
  it('names inputs in words with units', () => {
    expect(inputWords('hardware.h100-sxm.price_per_gpu_hour.on_demand', () => 'H100 SXM')).toBe('H100 SXM on-demand price ($/GPU-hour)');
    expect(inputWords('traffic.requests_per_day')).toBe('Requests per day (calls/day)');
    expect(inputWords('something.new')).toBe('something.new');
    // every input path the bundled workloads produce has words
    const paths = ['api_pricing.batch_share', 'api_pricing.cache_hit_rate', 'api_pricing.cache_write_rate', 'api_pricing.long_context_share', 'api_pricing.price_decline_annual', 'api_pricing.retry_overhead', 'hardware.x.capex_per_gpu_usd', 'hardware.x.price_per_gpu_hour.on_demand', 'hardware.x.price_per_gpu_hour.reserved', 'hardware.x.price_per_gpu_hour.spot', 'hardware.x.spot_interruption_rate', 'self_hosted.engine_efficiency', 'self_hosted.ops_cost_per_month', 'self_hosted.power.pue', 'self_hosted.power.residual_value', 'self_hosted.power.usd_per_kwh', 'traffic.bursts.duration_hours', 'traffic.bursts.rate_per_month', 'traffic.bursts.size', 'traffic.growth_monthly', 'traffic.input_tokens', 'traffic.noise.autocorrelation', 'traffic.noise.cv', 'traffic.output_tokens', 'traffic.peak_to_mean', 'traffic.requests_per_day'];
    for (const p of paths) expect(inputWords(p, () => 'X'), p).not.toMatch(/[a-z]_[a-z]/);
    expect(movesOption('hardware.l40s.spot_interruption_rate', { gpu: 'l40s', pricing: 'on_demand' })).toBe(false);
  });
  it('keeps only inputs that can move the option', () => {
    const l40s = { gpu: 'l40s', pricing: 'on_demand' };
    expect(movesOption('hardware.h100-sxm.price_per_gpu_hour.reserved', l40s)).toBe(false);
    expect(movesOption('hardware.l40s.price_per_gpu_hour.reserved', l40s)).toBe(false);
    expect(movesOption('hardware.l40s.price_per_gpu_hour.reserved', { gpu: 'l40s', pricing: 'reserved' })).toBe(true);
    expect(movesOption('hardware.l40s.capex_per_gpu_usd', { gpu: 'l40s', pricing: 'owned' })).toBe(true);
    expect(movesOption('traffic.noise.cv', l40s)).toBe(true);
    const r = loadFixture();
    r.options[1]!.sensitivity.push({ input: 'hardware.a100-80gb.price_per_gpu_hour.on_demand', breakeven_rank_correlation: 0.99, savings_rank_correlation: -0.99 });
    const spec = JSON.stringify(buildChartSpecs(r).find((c) => c.key === 'tornado')!.spec);
    expect(spec).not.toContain('a100-80gb');
    // labels are words with units (the path stays in the tooltip); the owned fleet's panel
    // (first) has no on-demand price, the rented ones do
    expect(spec).toContain('"input":"2. H100 SXM on-demand price ($/GPU-hour)"');
    const panels = spec.split('"title":{"text":');
    expect(panels[1]).not.toContain('on_demand');
    expect(panels[2]).toContain('on_demand');
    expect(spec).toContain('"values":[-1,-0.5,0,0.5,1]');
  });
});

describe('chart scales', () => {
  it('pads a log domain to 1-2-5 steps and gives readable ticks', () => {
    expect(paddedLogDomain(1.3e9, 2.6e9)).toEqual([1e9, 5e9]);
    expect(logTicks(1e9, 5e9)).toEqual([1e9, 2e9, 5e9]);
    expect(logTicks(1e7, 1e10)).toEqual([1e7, 1e8, 1e9, 1e10]);
  });
  it('break-even panels share one x domain that contains the volume', () => {
    const r = loadFixture();
    const spec = buildChartSpecs(r).find((c) => c.key === 'breakeven-distribution')!.spec as unknown as { vconcat: { layer: { encoding?: { x?: { scale?: { domain: number[] } } } }[] }[] };
    const domains = spec.vconcat.map((p) => JSON.stringify(p.layer[0]!.encoding!.x!.scale!.domain));
    expect(new Set(domains).size).toBe(1);
    const [lo, hi] = JSON.parse(domains[0]!) as number[];
    expect(lo).toBeLessThanOrEqual(r.volume_tokens_per_month.p50);
    expect(hi).toBeGreaterThanOrEqual(r.volume_tokens_per_month.p50);
  });
  it('marks payback only for options with a set-up cost, at the JSON month', () => {
    const r = loadFixture();
    const spec = JSON.stringify(buildChartSpecs(r).find((c) => c.key === 'cumulative-cost')!.spec);
    // only the owned fixed fleet has payback_month (p50 5)
    expect(spec.match(/pays back in month/g)?.length).toBe(1);
    expect(spec).toContain('pays back in month 5 (median)');
  });
  it('gives every capacity line of the traffic week its own dash', () => {
    const r = loadFixture();
    const spec = buildChartSpecs(r).find((c) => c.key === 'traffic-week')!.spec as unknown as { layer: { encoding: { strokeDash?: { scale: { range: number[][] } } } }[] };
    const dashes = spec.layer[1]!.encoding.strokeDash!.scale.range.map((d) => JSON.stringify(d));
    expect(new Set(dashes).size).toBe(r.options.length);
  });
});
