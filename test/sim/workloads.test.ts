/**
 * Workloads people run (issue 15) through the engine, with hand-worked answers: fixed fleets
 * that follow growth, the fleet you already own, routing to a small model, batch deadlines.
 */
import { describe, it, expect } from 'vitest';
import { compilePlan } from '../../src/sim/plan.js';
import { optionMetric } from '../../src/sim/metrics.js';
import { K, loaded, run } from './workload-fixture.js';

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
