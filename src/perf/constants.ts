/**
 * Constants of the throughput model, each with where it comes from. Per-GPU figures live in
 * the hardware profiles; what is here is format arithmetic and kernel structure.
 */
import type { WeightFormat, KvFormat } from '../config/index.js';

/** Bytes per stored value. */
export const BYTES: Readonly<Record<WeightFormat | KvFormat, number>> = {
  bf16: 2,
  fp16: 2,
  fp8: 1,
  int8: 1,
  int4: 0.5,
};

/**
 * int4 group quantization: one bf16 scale and one bf16 zero per group of 128 weights
 * = 4 B / 128 = 0.03125 B/param (GPTQ/AWQ group size 128; measurement file: "group size 128").
 */
export const INT4_GROUP_BYTES_PER_PARAM = 4 / 128;

/** Weight formats quantizing activations too (W8A8): they compute at their own tensor peak. */
export const W8A8: ReadonlySet<WeightFormat> = new Set<WeightFormat>(['fp8', 'int8']);

/**
 * Elementwise activation traffic of an unfused Llama block, bytes per token per layer, as a
 * multiple of (hidden, intermediate) elements × 2 B: two RMSNorms (read+write h each), RoPE
 * on q and k (~2h), two residual adds (read 2h, write h each) ≈ 8h, SiLU·mul (read 2I, write I)
 * = 3I. Counted from the Llama-3 block (HF `modeling_llama.py`); a fused engine moves less,
 * which the fitted η absorb.
 */
export const ACT_ELEMS_PER_HIDDEN = 8;
export const ACT_ELEMS_PER_INTERMEDIATE = 3;

/**
 * W8A8 activation quantization per linear input (qkv, o, gate_up: h each; down: I): an amax
 * pass (read 2 B) and a scale-and-cast pass (read 2 B, write 1 B) = 5 B per element
 * (unfused, as torch._scaled_mm needs; measurement file "fp8 = W8A8 e4m3 via torch._scaled_mm").
 */
export const W8A8_QUANT_BYTES_PER_ELEM = 5;

/**
 * Latency of one small all-reduce over NVLink when a profile gives none, microseconds
 * (NCCL nccl-tests all_reduce_perf, 8-byte to 64 KB messages on 8×H100 NVLink: ~8-15 µs).
 */
export const DEFAULT_ALLREDUCE_LATENCY_US = 10;

/**
 * int4 weight-only kernel knee when a profile gives none: tinygemm (torch
 * `_weight_int4pack_mm`) is a batch-1 kernel whose time grows with batch from ~4-8 rows
 * (measurement file: batch 64 is 10.8x batch 1); Marlin keeps its near-ideal 4x gain to batch
 * 16-32 (Frantar et al., "MARLIN", arXiv:2408.11743, fig. 1).
 */
export const DEFAULT_INT4_KNEE = { tinygemm: 8, marlin: 32 } as const;

/** Tensor-parallel degrees tried when searching the smallest that fits. */
export function tpCandidates(gpusPerNode: number): number[] {
  const out: number[] = [];
  for (let tp = 1; tp <= gpusPerNode; tp *= 2) out.push(tp);
  return out;
}
