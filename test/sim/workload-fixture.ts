/**
 * A one-GPU, one-model test workload for engine-level economics tests (econ.test.ts and the
 * issue-15 tests): a replica serves K requests/hour at 800 in / 200 out tokens, $2/GPU-hour on
 * demand, $1.5 reserved, the API at $1/M tokens.
 */
import { Hardware, Models, Workload, Engine, Api as ApiSchema, type Api, type Model } from '../../src/config/schema.js';
import type { LoadedWorkload } from '../../src/config/index.js';
import { compilePlan } from '../../src/sim/plan.js';
import { runEngine } from '../../src/sim/engine.js';
import { resultFromTrials } from '../../src/sim/summarise.js';
import { engineCaps, replicaCapacity } from '../../src/perf/index.js';

export const rel = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);

export const gpuRaw = {
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
export const gpu = Hardware.parse(gpuRaw);
export const model: Model = Models.parse({
  kind: 'models',
  models: [{ id: 'm8b', name: 'Test 8B', params_b: 8.03, embedding_params_b: 1.05, layers: 32, hidden: 4096, heads: 32, kv_heads: 8, head_dim: 128, max_context: 131072, source: 'test fixture' }],
}).models[0]!;
export const api: Api = ApiSchema.parse({ id: 'api', name: 'Test API', provider: 'test', input_per_mtok: 1, output_per_mtok: 1, source: 'test', date: '2026-01-01' });

/** a serving engine whose own caps never bind (memory and the SLO do) */
export const engine = Engine.parse({ kind: 'engine', id: 'vllm', name: 'test', version: '0', date: '2026-11-30', max_num_seqs: 1e6, max_num_batched_tokens: 1e9, scheduler_ms: 0, kernel_efficiency: 1, sources: ['test'] });

/** requests/hour one replica of the test GPU serves (800 in / 200 out, bf16, tp 1, no SLO) */
export const cap = replicaCapacity({ hardware: gpu, model, weights: 'bf16', kvCache: 'bf16', tp: 1 }, engineCaps(engine, gpu), { inputTokens: 800, outputTokens: 200, engineEfficiency: 1 });
export const K = cap.feasible ? cap.requestsPerS * 3600 : NaN;

export function loaded(o: { traffic?: Record<string, unknown>; selfHosted?: Record<string, unknown>; apiPricing?: Record<string, unknown>; options?: unknown[]; horizon?: number; trials?: number }): LoadedWorkload {
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
    catalog: { hardware: new Map([['testgpu', { profile: gpu, file: 'x' }]]), models: new Map([['m8b', { model, file: 'x' }]]), apis: new Map([['api', { api, file: 'x' }]]), engines: new Map([['vllm', { engine, file: 'x' }]]) },
    model,
    apis: [{ api, share: 1 }],
    options: workload.self_hosted.options.map((option, i) => ({ id: option.id ?? `opt${i}`, label: `option ${i}`, option, gpu, engine })),
  } as LoadedWorkload;
}

export const run = async (l: LoadedWorkload) => {
  const out = await runEngine(compilePlan(l));
  return { out, result: resultFromTrials(out) };
};

