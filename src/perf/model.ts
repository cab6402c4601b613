/**
 * The throughput model of one replica (one model copy on `tp` GPUs): memory, decode step,
 * prefill. DESIGN §2 is the map; docs/perf.md explains every term and its calibration.
 *
 *   stepInputs(cfg) → StepInputs (bytes, FLOPs, rates: plain numbers, once per call)
 *     → step     = linear part + attention part + activations + overhead + all-reduce, for B
 *                  decoding sequences plus an optional chunk of prompt tokens (one engine step)
 *     → prefill  = max(GEMMs, weights read once) + causal attention + activations + ...
 *
 * Every function is O(1) arithmetic on numbers; the serving capacity (serving.ts) calls the
 * step at most ~20 times (a bisection over the batch).
 */
import type { Hardware, KvFormat, Model, WeightFormat } from '../config/index.js';
import {
  ACT_ELEMS_PER_HIDDEN,
  ACT_ELEMS_PER_INTERMEDIATE,
  BYTES,
  DEFAULT_ALLREDUCE_LATENCY_US,
  DEFAULT_INT4_KNEE,
  INT4_GROUP_BYTES_PER_PARAM,
  W8A8,
  W8A8_QUANT_BYTES_PER_ELEM,
  tpCandidates,
} from './constants.js';

export interface PerfConfig {
  hardware: Hardware;
  model: Model;
  weights: WeightFormat;
  kvCache: KvFormat;
  tp: number;
}

type Fmt = WeightFormat;
const GB = 1e9;

// ------------------------------------------------------------------------ model arithmetic

/** Parameter split of a model: embedding table, lm_head, per-token linear, MoE experts. */
export interface ParamSplit {
  /** embedding table + lm_head (bf16 under weight quantization) */
  embedding: number;
  /** lm_head alone: read every decode step (half of `embedding`; untied, as Llama-3.1) */
  lmHead: number;
  /** linear parameters outside the embeddings, all experts (memory) */
  linearTotal: number;
  /** linear parameters used per token (FLOPs) */
  linearActive: number;
  /** parameters of one expert summed over layers (0 for dense models) */
  perExpert: number;
  experts: number;
  expertsPerToken: number;
  /** MLP intermediate size per layer (derived from the parameter count) */
  intermediate: number;
}

/**
 * Splits `params_b` into embeddings, shared linears and experts. For MoE with E experts,
 * k per token: total = S + E·e and active = S + k·e give e = (total - active) / (E - k).
 * Intermediate size from a Llama block: per layer = attention h·(h + 2·kv·d) + h·h + 3·h·I.
 */
export function paramSplit(model: Model): ParamSplit {
  const total = model.params_b * 1e9;
  const active = (model.active_params_b ?? model.params_b) * 1e9;
  const embedding = model.embedding_params_b * 1e9;
  const E = model.experts ?? 1;
  const k = model.experts_per_token ?? 1;
  const perExpert = E > k && total > active ? (total - active) / (E - k) : 0;
  const linearTotal = Math.max(0, total - embedding);
  const linearActive = Math.max(0, active - embedding);
  const h = model.hidden;
  const attn = h * (model.heads * model.head_dim + 2 * model.kv_heads * model.head_dim) + model.heads * model.head_dim * h;
  const perLayerActive = linearActive / model.layers;
  const intermediate = Math.max(h, (perLayerActive - attn) / (3 * h));
  return {
    embedding,
    lmHead: embedding / 2,
    linearTotal,
    linearActive,
    perExpert,
    experts: E,
    expertsPerToken: k,
    intermediate,
  };
}

/** Bytes per linear parameter of a weight format (int4 with its group scales). */
export function linearBytesPerParam(weights: WeightFormat): number {
  return weights === 'int4' ? BYTES.int4 + INT4_GROUP_BYTES_PER_PARAM : BYTES[weights];
}

/**
 * Weight bytes held in memory: linear parameters in `weights` (int4 with +0.03125 B/param of
 * group scales), embeddings and lm_head in bf16 (or fp16 when the weights are fp16).
 * @example weightBytes(llama70b, 'bf16') // 141.1e9
 */
export function weightBytes(model: Model, weights: WeightFormat): number {
  const s = paramSplit(model);
  const embBytes = weights === 'fp16' ? BYTES.fp16 : BYTES.bf16;
  return s.linearTotal * linearBytesPerParam(weights) + s.embedding * embBytes;
}

/**
 * KV-cache bytes per token: 2 (K and V) · layers · kv_heads · head_dim · bytes.
 * @example kvBytesPerToken(llama8b, 'bf16') // 131072
 */
export function kvBytesPerToken(model: Model, kv: KvFormat): number {
  return 2 * model.layers * model.kv_heads * model.head_dim * BYTES[kv];
}

/**
 * KV bytes per token summed over the replica's GPUs: with tp > kv_heads each KV head is
 * replicated on tp/kv_heads GPUs (vLLM does so).
 */
export function kvBytesPerTokenReplica(model: Model, kv: KvFormat, tp: number): number {
  return kvBytesPerToken(model, kv) * Math.max(1, tp / model.kv_heads);
}

// -------------------------------------------------------------------- hardware resolution

function perFmt(rec: Partial<Record<Fmt, number | undefined>>, fmt: Fmt): number | undefined {
  const v = rec[fmt];
  if (v !== undefined) return v;
  if (fmt === 'fp16' && rec.bf16 !== undefined) return rec.bf16;
  if (fmt === 'bf16' && rec.fp16 !== undefined) return rec.fp16;
  if ((fmt === 'int8' || fmt === 'fp8') && rec[fmt === 'int8' ? 'fp8' : 'int8'] !== undefined) return rec[fmt === 'int8' ? 'fp8' : 'int8'];
  return rec.bf16 ?? rec.fp16;
}

/** Tensor format a weight format computes in: W8A8 at its own peak, else the bf16 peak. */
export function computeFormat(hw: Hardware, weights: WeightFormat): Fmt {
  if (W8A8.has(weights) && hw.peak_tflops[weights] !== undefined) return weights;
  return weights === 'fp16' ? 'fp16' : 'bf16';
}

/** Everything the step needs, as plain numbers (SI units: bytes, FLOP, seconds). */
export interface StepInputs {
  tp: number;
  layers: number;
  hidden: number;
  attnWidth: number;
  /** bytes of linear weights of the format, all experts / shared part only */
  linearBytesPerParam: number;
  sharedLinearParams: number;
  perExpert: number;
  experts: number;
  expertsPerToken: number;
  linearActive: number;
  lmHeadBytes: number;
  lmHeadParams: number;
  kvBytesPerTokenReplica: number;
  actBytesPerTokenLayer: number;
  /** aggregate rates over tp GPUs */
  bwWeights: number;
  bwLmHead: number;
  bwKv: number;
  flopsLinear: number;
  flopsBf16: number;
  prefillFlopsLinear: number;
  prefillFlopsBf16: number;
  overheadS: number;
  int4: boolean;
  int4Knee: number;
  allreduceLatencyS: number;
  interconnectBps: number;
}

/** The numbers of the step formulas for a config. O(1), one small object. */
export function stepInputs(cfg: PerfConfig): StepInputs {
  const { hardware: hw, model, weights, tp } = cfg;
  const eff = hw.efficiency;
  const s = paramSplit(model);
  const bw = hw.memory_bandwidth_tbps * 1e12 * tp;
  const cfmt = computeFormat(hw, weights);
  const peak = (f: Fmt): number => (perFmt(hw.peak_tflops, f) ?? 1) * 1e12 * tp;
  const etaW = perFmt(eff.weights_stream, weights) ?? 0.7;
  const etaWbf16 = perFmt(eff.weights_stream, 'bf16') ?? etaW;
  const etaC = (f: Fmt): number => perFmt(eff.compute, f) ?? 0.7;
  const etaP = (f: Fmt): number => perFmt(eff.prefill, f) ?? etaC(f);
  const quant = W8A8.has(weights) ? W8A8_QUANT_BYTES_PER_ELEM * (3 * model.hidden + s.intermediate) : 0;
  const act = 2 * (ACT_ELEMS_PER_HIDDEN * model.hidden + ACT_ELEMS_PER_INTERMEDIATE * s.intermediate) + quant;
  const expertParams = s.perExpert * s.experts;
  const int4 = weights === 'int4';
  return {
    tp,
    layers: model.layers,
    hidden: model.hidden,
    attnWidth: model.heads * model.head_dim,
    linearBytesPerParam: linearBytesPerParam(weights),
    sharedLinearParams: s.linearTotal - expertParams,
    perExpert: s.perExpert,
    experts: s.experts,
    expertsPerToken: s.expertsPerToken,
    linearActive: s.linearActive,
    lmHeadBytes: s.lmHead * (weights === 'fp16' ? BYTES.fp16 : BYTES.bf16),
    lmHeadParams: s.lmHead,
    kvBytesPerTokenReplica: kvBytesPerTokenReplica(model, cfg.kvCache, tp),
    actBytesPerTokenLayer: act,
    bwWeights: bw * etaW,
    bwLmHead: bw * etaWbf16,
    bwKv: bw * eff.kv_read,
    flopsLinear: peak(cfmt) * (int4 ? (perFmt(eff.compute, 'int4') ?? etaC('bf16')) : etaC(cfmt)),
    flopsBf16: peak('bf16') * etaC('bf16'),
    prefillFlopsLinear: peak(cfmt) * (int4 ? (perFmt(eff.prefill, 'int4') ?? etaP('bf16')) : etaP(cfmt)),
    prefillFlopsBf16: peak('bf16') * etaP('bf16'),
    overheadS: eff.step_overhead_ms / 1e3,
    int4,
    int4Knee: eff.int4_batch_knee ?? DEFAULT_INT4_KNEE[hw.int4_kernel],
    allreduceLatencyS: (hw.allreduce_latency_us ?? DEFAULT_ALLREDUCE_LATENCY_US) / 1e6,
    interconnectBps: hw.interconnect_gbps * 1e9,
  };
}

// -------------------------------------------------------------------------------- memory

export interface MemoryPlan {
  weightsBytes: number;
  kvBytesPerToken: number;
  /** bytes left for the KV cache over the replica (negative when the weights do not fit) */
  freeBytes: number;
  /** concurrent sequences at this mean context (0 when not even one fits) */
  maxBatch: number;
  fits: boolean;
  /** smallest power-of-two tp (≤ gpus_per_node) where one sequence fits; null if none */
  minTp: number | null;
}

/**
 * Memory the engine may use on a replica, bytes: tp·mem·(1 - reserve) - tp·workspace. The one
 * home of this rule: memoryPlan, doesNotFitReason and every "does not fit" message use it.
 */
export function usableBytes(hw: Hardware, tp: number): number {
  return tp * hw.memory_gb * GB * (1 - hw.memory_reserve_fraction) - tp * hw.workspace_gb * GB;
}

function planAt(hw: Hardware, model: Model, weights: WeightFormat, kv: KvFormat, tp: number, context: number) {
  const w = weightBytes(model, weights);
  const k = kvBytesPerTokenReplica(model, kv, tp);
  const free = usableBytes(hw, tp) - w;
  const maxBatch = free > 0 ? Math.floor(free / (k * Math.max(1, context))) : 0;
  return { w, k, free, maxBatch };
}

/**
 * Memory of one replica: usable = tp·mem·(1 - reserve) - W - tp·workspace; max batch at mean
 * context c̄ = floor(usable / (K·c̄)) (paged attention: mean, not max, context).
 */
export function memoryPlan(cfg: PerfConfig, contextTokens: number): MemoryPlan {
  const p = planAt(cfg.hardware, cfg.model, cfg.weights, cfg.kvCache, cfg.tp, contextTokens);
  const fits = p.maxBatch >= 1;
  return {
    weightsBytes: p.w,
    kvBytesPerToken: p.k,
    freeBytes: p.free,
    maxBatch: p.maxBatch,
    fits,
    minTp: fits ? cfg.tp : minTpThatFits(cfg.hardware, cfg.model, cfg.weights, cfg.kvCache, contextTokens),
  };
}

/** Smallest power-of-two tp up to gpus_per_node holding the weights and one sequence. */
export function minTpThatFits(
  hardware: Hardware,
  model: Model,
  weights: WeightFormat,
  kv: KvFormat,
  contextTokens: number,
): number | null {
  for (const tp of tpCandidates(hardware.gpus_per_node)) {
    if (planAt(hardware, model, weights, kv, tp, contextTokens).maxBatch >= 1) return tp;
  }
  return null;
}

// ------------------------------------------------------------------------------- decode

export interface DecodeStep {
  stepMs: number;
  memMs: number;
  computeMs: number;
  overheadMs: number;
  allreduceMs: number;
  outputTokensPerS: number;
  boundBy: 'memory' | 'compute';
}

/** Ring all-reduce of `bytes` over tp GPUs, 2 per layer (attention out, MLP out), seconds. */
function allreduceS(sh: StepInputs, tokens: number): number {
  if (sh.tp <= 1) return 0;
  const bytes = tokens * sh.hidden * 2;
  const one = sh.allreduceLatencyS + ((2 * (sh.tp - 1)) / sh.tp) * bytes / sh.interconnectBps;
  return 2 * sh.layers * one;
}

/**
 * Linear-weight bytes streamed per decode step at batch B: shared linears plus, for MoE, the
 * experts touched: per layer E·(1 - (1 - k/E)^B) distinct experts in expectation.
 */
function linearBytesStreamed(sh: StepInputs, batch: number): number {
  let params = sh.sharedLinearParams;
  if (sh.perExpert > 0) {
    const distinct = sh.experts * (1 - Math.pow(1 - sh.expertsPerToken / sh.experts, batch));
    params += sh.perExpert * distinct;
  }
  return params * sh.linearBytesPerParam;
}

/**
 * The decode step rule in words, as the report's methodology prints it (one source with the
 * code below: keep the two together when either changes).
 */
export const STEP_RULE =
  'One model step at batch B and mean context c̄ (per replica of tp GPUs, each term divided by tp) is the sum of: linear layers, max(weight bytes W / (BW·η_w), 2·P_active·B / (F·η_c)) plus the bf16 lm_head (int4 weight-only kernels re-read their packed weights past their batch knee and never beat the bf16 compute bound); attention, max(B·c̄·K / (BW·η_kv), 4·L·B·c̄·h / (F_bf16·η_c)); activations, B·L·(elementwise + W8A8 quantisation bytes) / (BW·η_kv); a fixed per-step overhead; and two all-reduces per layer of B·h bf16 activations when tp > 1. A prompt chunk of p tokens in the same step adds its GEMM FLOPs at the prefill rate, its causal attention and its KV write, and reads no weights again. W: weight bytes; K: KV bytes per token; P_active: active parameters; L: layers; h: hidden size; BW: memory bandwidth; F: the tensor rate of the compute format; η: the fitted efficiencies of the GPU profile.';

/**
 * Decode step at batch B and mean context c̄, seconds split into parts:
 * - linear: max(weights read W/(BW·η_w), 2·P_active·B/(F·η_c)) + lm_head (bf16);
 *   int4 weight-only: the 4-bit read time grows as max(1, B/knee) past the kernel's knee
 *   (tinygemm re-streams the packed weights per batch slice: measured 10.8x at batch 64;
 *   Marlin turns compute-bound near 16-32) and never beats the bf16 compute bound;
 * - attention: max(B·c̄·K/(BW·η_kv), 4·L·B·c̄·h/(F_bf16·η_c));
 * - activations: B·L·(elementwise + W8A8 quantization bytes)/(BW·η_kv);
 * - fixed overhead + 2 all-reduces per layer of B·h bf16 activations.
 *
 * With a prompt chunk of p tokens (an engine step under chunked prefill, DESIGN §2b) the same
 * step runs T = B + p rows: the weights are still read once; the chunk adds its GEMM FLOPs at
 * the prefill rate, causal attention over its prompt (2·L·p·n·h, the per-token share of the
 * prefill's 2·L·n²·h), its activations and its KV write. With p = 0 this is the decode step.
 * O(1).
 */
export function stepParts(sh: StepInputs, batch: number, context: number, chunkTokens = 0, promptTokens = 0) {
  const rows = batch + chunkTokens;
  const wBytes = linearBytesStreamed(sh, rows);
  let tW = wBytes / sh.bwWeights;
  const tC = (2 * sh.linearActive * batch) / sh.flopsLinear + (chunkTokens > 0 ? (2 * sh.linearActive * chunkTokens) / sh.prefillFlopsLinear : 0);
  // the int4 knee is a decode-kernel effect (batch rows); prompt chunks run the prefill GEMM path
  if (sh.int4) tW *= Math.max(1, batch / sh.int4Knee);
  const tLmW = sh.lmHeadBytes / sh.bwLmHead;
  const tLmC = (2 * sh.lmHeadParams * batch) / sh.flopsBf16;
  const tKv = (batch * context * sh.kvBytesPerTokenReplica) / sh.bwKv;
  const tAttC = (4 * sh.layers * batch * context * sh.attnWidth) / sh.flopsBf16;
  const tPre = chunkTokens > 0 ? (2 * sh.layers * chunkTokens * promptTokens * sh.attnWidth) / sh.prefillFlopsBf16 : 0;
  const tAct = (rows * sh.layers * sh.actBytesPerTokenLayer + chunkTokens * sh.kvBytesPerTokenReplica) / sh.bwKv;
  const tAr = allreduceS(sh, rows);
  const mem = tW + tLmW + tKv + tAct;
  const cmp = tC + tLmC + tAttC + tPre;
  const step = Math.max(tW, tC) + Math.max(tLmW, tLmC) + Math.max(tKv, tAttC) + tPre + tAct + sh.overheadS + tAr;
  return { step, mem, cmp, ar: tAr, linearComputeBound: tC > tW };
}

/** Decode step of a batch B at mean context c̄ (see `stepParts`). */
export function decodeStep(cfg: PerfConfig, batch: number, contextTokens: number): DecodeStep {
  const sh = stepInputs(cfg);
  const p = stepParts(sh, batch, contextTokens);
  return {
    stepMs: p.step * 1e3,
    memMs: p.mem * 1e3,
    computeMs: p.cmp * 1e3,
    overheadMs: sh.overheadS * 1e3,
    allreduceMs: p.ar * 1e3,
    outputTokensPerS: batch / p.step,
    boundBy: p.cmp > p.mem || p.linearComputeBound ? 'compute' : 'memory',
  };
}

// ------------------------------------------------------------------------------ prefill

/**
 * Prefill of one prompt of n tokens, seconds: max(GEMMs 2·P_active·n/(F·η_p), weights read
 * once) + lm_head for the last token + causal attention 2·L·n²·h/(F_bf16·η_p) + activation
 * traffic and the KV write + overhead + all-reduces of n·h activations.
 */
export function prefillSeconds(sh: StepInputs, n: number): number {
  const tGemm = (2 * sh.linearActive * n) / sh.prefillFlopsLinear;
  const allExperts = sh.sharedLinearParams + sh.perExpert * sh.experts;
  const tRead = (allExperts * sh.linearBytesPerParam) / sh.bwWeights + sh.lmHeadBytes / sh.bwLmHead;
  const tAttn = (2 * sh.layers * n * n * sh.attnWidth) / sh.prefillFlopsBf16;
  const tAct = (n * (sh.layers * sh.actBytesPerTokenLayer + sh.kvBytesPerTokenReplica)) / sh.bwKv;
  const tLm = (2 * sh.lmHeadParams) / sh.flopsBf16;
  return Math.max(tGemm, tRead) + tLm + tAttn + tAct + sh.overheadS + allreduceS(sh, n);
}

export function prefillTime(cfg: PerfConfig, promptTokens: number): { ms: number; promptTokensPerS: number } {
  const s = prefillSeconds(stepInputs(cfg), promptTokens);
  return { ms: s * 1e3, promptTokensPerS: promptTokens / s };
}
