/**
 * Enumerate the configurations `plan` searches, for the workload's model:
 *
 *   GPU × weight format (the GPU supports) × KV format × tp (powers of two up to a node)
 *     → fits and meets the TPOT target at the scenario's median request (perf model)
 *     → not dominated (a larger tp or a bf16 KV cache that serves no more per GPU)
 *     × fleet policy × pricing mode (where the profile has the prices)
 *
 * Everything dropped is recorded once with its reason and the number of candidates it stands
 * for, so `simulated + Σ pruned.candidates = enumerated`. Cost: O(GPUs × formats × tp) perf
 * evaluations (each ≤ 18 decode steps), no simulation.
 */
import type { Engine, Hardware, KvFormat, LoadedWorkload, Option, WeightFormat } from '../config/index.js';
import { decodeStep, doesNotFitReason, engineCaps, memoryPlan, replicaCapacity, type PrefixCache } from '../perf/index.js';
import { planMessages } from './messages.js';

export const SEARCH_WEIGHTS: readonly WeightFormat[] = ['bf16', 'fp16', 'fp8', 'int8', 'int4'];
export const SEARCH_KV: readonly KvFormat[] = ['bf16', 'fp16', 'fp8'];
export const POLICIES = ['fixed', 'autoscale', 'hybrid'] as const;
export type Policy = (typeof POLICIES)[number];
export const PRICINGS = ['on_demand', 'spot', 'reserved', 'owned'] as const;
export type Pricing = (typeof PRICINGS)[number];
/** What is searched when not asked: fp16 duplicates bf16 (same bytes, same peak in every profile). */
export const DEFAULT_WEIGHTS: readonly WeightFormat[] = ['bf16', 'fp8', 'int8', 'int4'];
export const DEFAULT_KV: readonly KvFormat[] = ['bf16', 'fp8'];

/**
 * The fleet each generated candidate uses: the schema's defaults for the policy (a test pins
 * these to what the loader fills in for `fleet: {policy: <p>}`).
 */
export function defaultFleet(policy: Policy): Option['fleet'] {
  if (policy === 'fixed') return { policy: 'fixed', peak_quantile: 0.99, resize: 'none' };
  if (policy === 'autoscale') return { policy: 'autoscale', min_replicas: 1, scale_up_lag_hours: 1, cold_start_minutes: 10, target_utilisation: 0.8 };
  return { policy: 'hybrid', base_replicas: 'auto' };
}

export interface SearchSpace {
  gpus: readonly string[];
  weights: readonly WeightFormat[];
  kv: readonly KvFormat[];
  policies: readonly Policy[];
  pricing: readonly Pricing[];
  /** largest tp searched; null: a whole node */
  maxGpus: number | null;
  /** the scenario's median request and SLO (the compiled plan's `typical`) */
  typical: { inputTokens: number; outputTokens: number; engineEfficiency: number; prefixCache?: PrefixCache | undefined };
  tpotMs: number | null;
  /** the serving-engine preset generated candidates run on (the workload's self_hosted.engine) */
  engine: Engine;
  /** the user named the KV formats: search bf16 KV even where FP8 KV serves as much */
  kvExplicit: boolean;
}

export type PruneStage = 'unsupported' | 'does-not-fit' | 'slo' | 'dominated' | 'pricing' | 'max-gpus' | 'duplicate' | 'after-compile';

export interface PrunedEntry {
  gpu: string;
  weights: WeightFormat | null;
  kv_cache: KvFormat | null;
  tp: number | null;
  policy: Policy | null;
  pricing: Pricing | null;
  stage: PruneStage;
  reason: string;
  /** how many candidates (policy × pricing combinations) this entry stands for */
  candidates: number;
  /** memory needed / memory there, at a whole node (does-not-fit), or batch-1 step / TPOT target (slo): how far off it is */
  miss_ratio: number | null;
}

export interface Generated {
  id: string;
  option: Option & { tp: number };
  gpu: Hardware;
  engine: Engine;
  /** requests/s per GPU at the median request (perf model), for dominance and the latency axis */
  requestsPerSPerGpu: number;
}

/** `<gpu>-<weights>-kv<kv>-tp<n>-<policy>[-<pricing>]`, e.g. `h100-sxm-fp8-kvfp8-tp2-fixed-spot`. */
export function candidateId(gpu: string, weights: string, kv: string, tp: number, policy: string, pricing: string): string {
  return [gpu, weights, `kv${kv}`, `tp${tp}`, policy, ...(pricing !== 'on_demand' ? [pricing] : [])].join('-');
}

function supportsWeights(hw: Hardware, w: WeightFormat): string | null {
  if (w === 'fp8' && hw.peak_tflops.fp8 === undefined) return planMessages.noFp8(hw.id, 'weights');
  if (w === 'int8' && hw.peak_tflops.int8 === undefined) return planMessages.noInt8(hw.id);
  return null;
}

function pricingProblem(hw: Hardware, p: Pricing, loaded: LoadedWorkload): string | null {
  if (p === 'spot' && hw.price_per_gpu_hour.spot === undefined) return planMessages.pricingMissing('spot', hw.id, 'price_per_gpu_hour.spot');
  if (p === 'reserved' && hw.price_per_gpu_hour.reserved === undefined) return planMessages.pricingMissing('reserved', hw.id, 'price_per_gpu_hour.reserved');
  if (p === 'owned') {
    if (hw.capex_per_gpu_usd === undefined) return planMessages.pricingMissing('owned', hw.id, 'capex_per_gpu_usd');
    if (hw.power_w === undefined) return planMessages.pricingMissing('owned', hw.id, 'power_w');
    if (loaded.workload.self_hosted.power === undefined) return planMessages.ownedNeedsPower();
  }
  return null;
}

/**
 * Tensor-parallel degrees worth simulating, given requests/s per GPU at each (ascending tp):
 * keep a tp only if it serves more per GPU than every smaller kept one. A larger tp that
 * serves no more per GPU costs at least as much for any demand (same $/GPU-h; any fleet of
 * it can be matched GPU for GPU by the smaller tp) and scales in coarser steps. O(n).
 */
export function undominatedTps<T extends { tp: number; perGpu: number }>(alive: readonly T[]): { kept: T[]; dropped: (T & { by: T })[] } {
  const kept: T[] = [];
  const dropped: (T & { by: T })[] = [];
  let best: T | null = null;
  for (const a of alive) {
    if (best && a.perGpu <= best.perGpu) dropped.push({ ...a, by: best });
    else {
      kept.push(a);
      best = a;
    }
  }
  return { kept, dropped };
}

/** Powers of two from 1 up to `limit`. */
export function powersOfTwo(limit: number): number[] {
  const out: number[] = [];
  for (let tp = 1; tp <= limit; tp *= 2) out.push(tp);
  return out;
}

/** Generate and prune (see the module comment). Deterministic: GPUs in the order given. */
export function enumerate(loaded: LoadedWorkload, space: SearchSpace): { generated: Generated[]; pruned: PrunedEntry[]; enumerated: number } {
  const model = loaded.model;
  const combos = space.policies.length * space.pricing.length;
  const generated: Generated[] = [];
  const pruned: PrunedEntry[] = [];
  let enumerated = 0;
  const wl = { inputTokens: space.typical.inputTokens, outputTokens: space.typical.outputTokens, engineEfficiency: space.typical.engineEfficiency, prefixCache: space.typical.prefixCache };
  const context = wl.inputTokens + wl.outputTokens / 2;
  const prune = (e: Omit<PrunedEntry, 'miss_ratio'> & { miss_ratio?: number | null }) => pruned.push({ ...e, miss_ratio: e.miss_ratio ?? null });
  for (const gid of space.gpus) {
    const entry = loaded.catalog.hardware.get(gid);
    if (!entry) continue;
    const hw = entry.profile;
    const caps = engineCaps(space.engine, hw);
    const tps = powersOfTwo(hw.gpus_per_node);
    const perWeights = space.kv.length * tps.length * combos;
    for (const w of space.weights) {
      const unsupported = supportsWeights(hw, w);
      if (unsupported) {
        enumerated += perWeights;
        prune({ gpu: gid, weights: w, kv_cache: null, tp: null, policy: null, pricing: null, stage: 'unsupported', reason: unsupported, candidates: perWeights });
        continue;
      }
      // per KV format: the feasible tps with their per-GPU capacity
      const byKv = new Map<KvFormat, { tp: number; perGpu: number }[]>();
      for (const kv of space.kv) {
        const alive: { tp: number; perGpu: number }[] = [];
        byKv.set(kv, alive);
        if (kv === 'fp8' && hw.peak_tflops.fp8 === undefined) {
          enumerated += tps.length * combos;
          prune({ gpu: gid, weights: w, kv_cache: kv, tp: null, policy: null, pricing: null, stage: 'unsupported', reason: planMessages.noFp8(hw.id, 'KV cache'), candidates: tps.length * combos });
          continue;
        }
        for (const tp of tps) {
          enumerated += combos;
          const at = { gpu: gid, weights: w, kv_cache: kv, tp, policy: null, pricing: null, candidates: combos };
          if (space.maxGpus !== null && tp > space.maxGpus) {
            prune({ ...at, stage: 'max-gpus', reason: planMessages.tpOverMax(tp, space.maxGpus) });
            continue;
          }
          const cfg = { hardware: hw, model, weights: w, kvCache: kv, tp };
          // the rules compilePlan applies: does it fit (weights + one request's KV), then capacity at the TPOT target
          const noFit = doesNotFitReason(cfg, context);
          const cap = noFit === null ? replicaCapacity(cfg, caps, { ...wl, tpotMs: space.tpotMs ?? undefined }) : null;
          if (cap?.feasible) {
            alive.push({ tp, perGpu: cap.requestsPerS / tp });
            continue;
          }
          if (noFit !== null) {
            // how far off: (weights + one sequence's KV) / (what the engine may use), from the perf model's own bytes
            const mp = memoryPlan(cfg, context);
            const usable = mp.freeBytes + mp.weightsBytes;
            const need = mp.weightsBytes + mp.kvBytesPerToken * Math.max(1, context);
            prune({ ...at, stage: 'does-not-fit', reason: noFit, miss_ratio: usable > 0 ? need / usable : null });
          } else {
            const reason = cap && !cap.feasible ? cap.reason : 'cannot serve at the SLO';
            prune({ ...at, stage: 'slo', reason, miss_ratio: space.tpotMs ? decodeStep(cfg, 1, context).stepMs / space.tpotMs : null });
          }
        }
      }
      // dominance: within one KV format, a larger tp must serve more per GPU than every smaller one
      for (const [kv, alive] of byKv) {
        const { kept, dropped } = undominatedTps(alive);
        for (const d of dropped) {
          prune({ gpu: gid, weights: w, kv_cache: kv, tp: d.tp, policy: null, pricing: null, stage: 'dominated', reason: planMessages.dominatedTp(d.tp, d.perGpu, d.by.tp, d.by.perGpu), candidates: combos });
        }
        byKv.set(kv, kept);
      }
      // a bf16 KV cache is dominated by an FP8 one at the same tp that serves at least as much (only when both were searched by default)
      const fp8 = byKv.get('fp8');
      const bf = byKv.get('bf16');
      if (fp8 && bf && !space.kvExplicit) {
        byKv.set(
          'bf16',
          bf.filter((a) => {
            const f = fp8.find((x) => x.tp === a.tp);
            if (f && f.perGpu >= a.perGpu) {
              prune({ gpu: gid, weights: w, kv_cache: 'bf16', tp: a.tp, policy: null, pricing: null, stage: 'dominated', reason: planMessages.dominatedKv(a.perGpu, f.perGpu), candidates: combos });
              return false;
            }
            return true;
          }),
        );
      }
      for (const kv of space.kv) {
        for (const a of byKv.get(kv) ?? []) {
          for (const pricing of space.pricing) {
            const bad = pricingProblem(hw, pricing, loaded);
            if (bad) {
              prune({ gpu: gid, weights: w, kv_cache: kv, tp: a.tp, policy: null, pricing, stage: 'pricing', reason: bad, candidates: space.policies.length });
              continue;
            }
            for (const policy of space.policies) {
              const option: Option & { tp: number } = { gpu: gid, weights: w, kv_cache: kv, tp: a.tp, pricing, fleet: defaultFleet(policy) };
              generated.push({ id: candidateId(gid, w, kv, a.tp, policy, pricing), option, gpu: hw, engine: space.engine, requestsPerSPerGpu: a.perGpu });
            }
          }
        }
      }
    }
  }
  return { generated, pruned, enumerated };
}

