/**
 * Decode (and batch-1 prefill) points from the result JSON of vLLM's serving benchmark
 * (`vllm bench serve --save-result`, formerly benchmarks/benchmark_serving.py). Fields used:
 * `max_concurrency`, `completed`, `total_input_tokens`, `total_output_tokens`,
 * `mean_tpot_ms`, `mean_ttft_ms`, `model_id`.
 *
 * Mapping: batch = max_concurrency (the engine keeps that many sequences decoding), mean
 * context = mean input + mean output / 2, step_ms = mean TPOT. At concurrency 1 the mean TTFT
 * is also a prefill point of the mean input length (no queueing at concurrency 1).
 */
import type { KvFormat, Measurement, WeightFormat } from '../config/index.js';

export interface VllmResult {
  model_id?: string;
  max_concurrency?: number | null;
  completed: number;
  total_input_tokens: number;
  total_output_tokens: number;
  mean_tpot_ms: number;
  mean_ttft_ms?: number;
  output_throughput?: number;
}

export function isVllmResult(v: unknown): v is VllmResult {
  if (typeof v !== 'object' || v === null) return false;
  const o = v as Record<string, unknown>;
  return typeof o['mean_tpot_ms'] === 'number' && typeof o['completed'] === 'number' && typeof o['total_input_tokens'] === 'number';
}

/** Guess the weight format from a Hugging Face model id ("…-FP8", "…-AWQ", "…-w8a8"). */
export function guessWeights(modelId: string | undefined): WeightFormat | undefined {
  if (!modelId) return undefined;
  const s = modelId.toLowerCase();
  if (/fp8/.test(s)) return 'fp8';
  if (/awq|gptq|int4|w4a16|4bit/.test(s)) return 'int4';
  if (/w8a8|int8/.test(s)) return 'int8';
  return undefined;
}

export interface VllmMapping {
  model: string;
  weights: WeightFormat;
  kvCache: KvFormat;
  tp: number;
}

/** Problems with a vLLM result, or the points it maps to. */
export function vllmPoints(r: VllmResult, map: VllmMapping): { ok: true; points: Measurement[] } | { ok: false; message: string } {
  const conc = r.max_concurrency;
  if (conc === undefined || conc === null || !Number.isFinite(conc) || conc < 1) {
    return { ok: false, message: 'a vLLM result without max_concurrency cannot be mapped to a batch size: rerun with --max-concurrency' };
  }
  if (!(r.completed > 0) || !(r.mean_tpot_ms > 0)) return { ok: false, message: 'a vLLM result with no completed requests or no TPOT' };
  const meanIn = r.total_input_tokens / r.completed;
  const meanOut = r.total_output_tokens / r.completed;
  const base = { model: map.model, weights: map.weights, kv_cache: map.kvCache, ...(map.tp > 1 ? { tp: map.tp } : {}) };
  const points: Measurement[] = [
    {
      ...base,
      phase: 'decode',
      batch: Math.round(Math.min(conc, r.completed)),
      context_tokens: meanIn + meanOut / 2,
      step_ms: r.mean_tpot_ms,
    },
  ];
  if (conc === 1 && r.mean_ttft_ms !== undefined && r.mean_ttft_ms > 0) {
    points.push({ ...base, phase: 'prefill', prompt_tokens: Math.max(1, Math.round(meanIn)), ms: r.mean_ttft_ms });
  }
  return { ok: true, points };
}
