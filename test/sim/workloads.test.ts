/**
 * Workloads people run (issue 15) through the engine, with hand-worked answers: fixed fleets
 * that follow growth, the fleet you already own, routing to a small model, batch deadlines.
 */
import { describe, it, expect } from 'vitest';
import { Hardware, Models, Workload, Api as ApiSchema, type Api, type Model } from '../../src/config/schema.js';
import type { LoadedWorkload } from '../../src/config/index.js';
import { compilePlan } from '../../src/sim/plan.js';
import { runEngine } from '../../src/sim/engine.js';
import { resultFromTrials } from '../../src/sim/summarise.js';
import { optionMetric } from '../../src/sim/metrics.js';
import { replicaCapacity } from '../../src/perf/index.js';

const rel = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);

const gpuRaw = {
  kind: 'hardware',
  id: 'testgpu',
  name: 'Test GPU',
  memory_gb: 80,
  memory_bandwidth_tbps: 3.35,
  peak_tflops: { bf16: 989, fp16: 989, fp8: 1979, int8: 1979 },
  interconnect_gbps: 450,
  gpus_per_node: 8,
  int4_kernel: 'marlin',
  memory_reserve_fraction: 0.1,
  workspace_gb: 2,
  efficiency: {
    weights_stream: { bf16: 0.8, fp16: 0.8, fp8: 0.8, int8: 0.8, int4: 0.7 },
    kv_read: 0.7,
    compute: { bf16: 0.7, fp16: 0.7, fp8: 0.7, int8: 0.7, int4: 0.7 },
    prefill: { bf16: 0.7, fp16: 0.7, fp8: 0.7, int8: 0.7, int4: 0.7 },
    step_overhead_ms: 0.5,
  },
  price_per_gpu_hour: { on_demand: 2, spot: 1, reserved: 1.5 },
  reserved_term_months: 12,
  sources: ['test fixture'],
};
const gpu = Hardware.parse(gpuRaw);
const model: Model = Models.parse({
  kind: 'models',
  models: [{ id: 'm8b', name: 'Test 8B', params_b: 8.03, embedding_params_b: 1.05, layers: 32, hidden: 4096, heads: 32, kv_heads: 8, head_dim: 128, max_context: 131072, source: 'test fixture' }],
}).models[0]!;
const api: Api = ApiSchema.parse({ id: 'api', name: 'Test API', provider: 'test', input_per_mtok: 1, output_per_mtok: 1, source: 'test', date: '2026-01-01' });

/** requests/hour one replica of the test GPU serves (800 in / 200 out, bf16, tp 1, no SLO) */
const cap = replicaCapacity({ hardware: gpu, model, weights: 'bf16', kvCache: 'bf16', tp: 1 }, { inputTokens: 800, outputTokens: 200, engineEfficiency: 1 });
const K = cap.feasible ? cap.requestsPerS * 3600 : NaN;

function loaded(o: { traffic?: Record<string, unknown>; selfHosted?: Record<string, unknown>; apiPricing?: Record<string, unknown>; options?: unknown[]; horizon?: number; trials?: number }): LoadedWorkload {
  const workload = Workload.parse({
    kind: 'workload',
    name: 'econ',
    description: 'hand-worked economics',
    horizon_months: o.horizon ?? 12,
    model: 'm8b',
    api: 'api',
    traffic: { requests_per_day: 24 * 500, input_tokens: 800, output_tokens: 200, noise: { cv: 0 }, peak_to_mean: 1, ...o.traffic },
    api_pricing: o.apiPricing ?? {},
    self_hosted: {
      engine_efficiency: 1,
      options: o.options ?? [{ gpu: 'testgpu', weights: 'bf16', tp: 1, fleet: { policy: 'fixed', peak_quantile: 1 } }],
      ...o.selfHosted,
    },
    simulation: { trials: o.trials ?? 20, seed: 7 },
  });
  return {
    file: null,
    workload,
    catalog: { hardware: new Map([['testgpu', { profile: gpu, file: 'x' }]]), models: new Map([['m8b', { model, file: 'x' }]]), apis: new Map([['api', { api, file: 'x' }]]) },
    model,
    apis: [{ api, share: 1 }],
    options: workload.self_hosted.options.map((option, i) => ({ id: option.id ?? `opt${i}`, label: `option ${i}`, option, gpu })),
  } as LoadedWorkload;
}

const run = async (l: LoadedWorkload) => {
  const out = await runEngine(compilePlan(l));
  return { out, result: resultFromTrials(out) };
};

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
