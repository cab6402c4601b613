// The two serving cases the request-level checks use (bench/request-sim.ts, -seeds.ts,
// -split.ts), each set up once: its perf config, engine caps, workload and hourly capacity.
import { loadCatalog, type KvFormat, type WeightFormat } from '../src/config/index.js';
import { engineCaps, replicaCapacity } from '../src/perf/index.js';

export interface RequestSimCase {
  id: string;
  gpu: string;
  model: string;
  weights: WeightFormat;
  kv: KvFormat;
  tp: number;
  engine: string;
  nIn: number;
  nOut: number;
}

export const CASES: readonly RequestSimCase[] = [
  { id: '8b', gpu: 'h100-sxm', model: 'llama-3.1-8b', weights: 'fp8', kv: 'bf16', tp: 1, engine: 'vllm', nIn: 1000, nOut: 200 },
  { id: '70b', gpu: 'h200', model: 'llama-3.3-70b', weights: 'fp8', kv: 'fp8', tp: 1, engine: 'trtllm', nIn: 2000, nOut: 500 },
];

/** A case ready to simulate: perf config, engine caps, workload, hourly capacity and its label. */
export function setUpCase(c: RequestSimCase) {
  const cat = loadCatalog();
  const hw = cat.hardware.get(c.gpu)!.profile;
  const cfg = { hardware: hw, model: cat.models.get(c.model)!.model, weights: c.weights, kvCache: c.kv, tp: c.tp };
  const e = engineCaps(cat.engines.get(c.engine)!.engine, hw);
  const w = { inputTokens: c.nIn, outputTokens: c.nOut, engineEfficiency: 1 };
  const cap = replicaCapacity(cfg, e, w);
  if (!cap.feasible) throw new Error(cap.reason);
  return { cfg, e, w, cap, label: `${c.model} ${c.weights} ${c.gpu} ${c.engine} ${c.nIn}/${c.nOut}` };
}
