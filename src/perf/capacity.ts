/**
 * Capacity of one replica at a latency target: the batch is bounded by memory (KV cache at
 * the mean context), by the TPOT target (largest B with t_step ≤ TPOT) and by an optional
 * engine cap; requests/s = engine_efficiency / (prefill(n_in) + n_out·t_step/B).
 *
 * Cost: one `resolve` and at most 18 step evaluations (bisection over batch 1..65536).
 */
import { BYTES } from './constants.js';
import { perfMessages } from './messages.js';
import { minTpThatFits, prefillSeconds, resolve, stepParts, weightBytes, type PerfConfig } from './model.js';

export type ReplicaCapacity =
  | {
      feasible: true;
      batch: number;
      maxBatchMemory: number;
      maxBatchTpot: number | null;
      limitedBy: 'memory' | 'tpot' | 'batch-cap';
      stepMs: number;
      outputTokensPerS: number;
      prefillTokensPerS: number;
      requestsPerS: number;
    }
  | { feasible: false; reason: string };

export interface CapacityWorkload {
  inputTokens: number;
  outputTokens: number;
  tpotMs?: number | undefined;
  engineEfficiency: number;
  maxBatch?: number;
}

/** Largest batch the TPOT bound allows is searched up to this. */
const MAX_SEARCH_BATCH = 65536;

/**
 * Why a config cannot hold one sequence of `contextTokens` (null when it can), with the fix.
 */
export function doesNotFitReason(cfg: PerfConfig, contextTokens: number): string | null {
  const { hardware: hw, model, tp } = cfg;
  const w = weightBytes(model, cfg.weights);
  const usable = tp * hw.memory_gb * 1e9 * (1 - hw.memory_reserve_fraction) - tp * hw.workspace_gb * 1e9;
  const kvTok = 2 * model.layers * model.kv_heads * model.head_dim * BYTES[cfg.kvCache] * Math.max(1, tp / model.kv_heads);
  const free = usable - w;
  if (free >= kvTok * Math.max(1, contextTokens)) return null;
  const minTp = minTpThatFits(hw, model, cfg.weights, cfg.kvCache, contextTokens);
  if (free <= 0) return perfMessages.weightsDoNotFit(model.id, cfg.weights, w, hw.id, tp, usable, minTp, hw.gpus_per_node);
  return perfMessages.contextDoesNotFit(model.id, Math.round(contextTokens), kvTok * contextTokens, hw.id, tp, free, minTp);
}

/**
 * Serving capacity of one replica at the SLO (see the module comment). Mean context of a
 * decoding sequence: n_in + n_out/2. Infeasible answers carry a reason a person can act on.
 */
export function replicaCapacity(cfg: PerfConfig, w: CapacityWorkload): ReplicaCapacity {
  const context = w.inputTokens + w.outputTokens / 2;
  const reason = doesNotFitReason(cfg, context);
  if (reason !== null) return { feasible: false, reason };
  const sh = resolve(cfg);
  const free = cfg.tp * cfg.hardware.memory_gb * 1e9 * (1 - cfg.hardware.memory_reserve_fraction) - cfg.tp * cfg.hardware.workspace_gb * 1e9 - weightBytes(cfg.model, cfg.weights);
  const maxBatchMemory = Math.floor(free / (sh.kvBytesPerTokenReplica * context));
  const cap = w.maxBatch !== undefined ? Math.max(1, Math.floor(w.maxBatch)) : Infinity;
  let batch = Math.min(maxBatchMemory, cap);
  let limitedBy: 'memory' | 'tpot' | 'batch-cap' = cap < maxBatchMemory ? 'batch-cap' : 'memory';
  let maxBatchTpot: number | null = null;
  if (w.tpotMs !== undefined) {
    const tpot = w.tpotMs / 1e3;
    const s1 = stepParts(sh, 1, context).step;
    if (s1 > tpot) return { feasible: false, reason: perfMessages.tpotUnreachable(w.tpotMs, s1 * 1e3) };
    // invariant: step(lo) <= tpot < step(hi) (hi may be the search limit + 1)
    let lo = 1;
    let hi = MAX_SEARCH_BATCH + 1;
    if (stepParts(sh, MAX_SEARCH_BATCH, context).step <= tpot) lo = MAX_SEARCH_BATCH;
    while (hi - lo > 1) {
      const mid = Math.floor((lo + hi) / 2);
      if (stepParts(sh, mid, context).step <= tpot) lo = mid;
      else hi = mid;
    }
    maxBatchTpot = lo;
    if (lo < batch) {
      batch = lo;
      limitedBy = 'tpot';
    }
  }
  const step = stepParts(sh, batch, context).step;
  const prefill = prefillSeconds(sh, w.inputTokens);
  const requestsPerS = w.engineEfficiency / (prefill + (w.outputTokens * step) / batch);
  return {
    feasible: true,
    batch,
    maxBatchMemory,
    maxBatchTpot,
    limitedBy,
    stepMs: step * 1e3,
    outputTokensPerS: batch / step,
    prefillTokensPerS: w.inputTokens / prefill,
    requestsPerS,
  };
}

/** Output tokens/s per GPU against batch at one context (for the throughput chart). */
export function throughputCurve(
  cfg: PerfConfig,
  contextTokens: number,
  batches: number[],
): { batch: number; stepMs: number; outputTokensPerSPerGpu: number }[] {
  const sh = resolve(cfg);
  return batches.map((batch) => {
    const step = stepParts(sh, batch, contextTokens).step;
    return { batch, stepMs: step * 1e3, outputTokensPerSPerGpu: batch / step / cfg.tp };
  });
}
