/**
 * Serving capacity of one replica under a continuous-batching engine at steady state
 * (DESIGN §2b). The one capacity rule: `breakeven perf --input-tokens`, the Monte Carlo trial,
 * the plan's feasibility check and the report all call `replicaCapacity`.
 *
 * Each engine step runs B decoding sequences plus a prompt chunk; the weights are read once
 * per step for all of it. With r requests/s at steady state every step carries
 * B = r·n_out·t decode rows and p̄ = r·n_in·t prompt tokens on average, so p̄ = B·n_in/n_out.
 * The prompts come whole, not smeared: the engine gives a waiting prompt all the budget left
 * beside the decode rows, so q = min(budget − B, max(p̄, n_in)) tokens ride on a share
 * f = p̄/q of the steps (`promptChunking`; f = 1 when more than one prompt arrives per step):
 *
 *   t(B)  = [(1 − f)·kernel_step(B rows at c̄ = n_in + n_out/2) + f·kernel_step(B rows, q prompt
 *           tokens)] / η_engine + scheduler time
 *
 * (the step is convex in its prompt tokens: a chunk rides free under the weight read until the
 * GEMMs turn compute-bound, so smearing p̄ over every step overstated the capacity by 14 % for
 * Llama-3.3-70B fp8 on H200 at 2000/500 against the request-level simulation; now +2 %)
 *   r     = B / (n_out · t(B)),   output tokens/s = B / t(B)
 *
 * B is the largest batch that every bound allows: KV memory at the mean context (paged
 * attention; n_in + n_out for an engine that reserves a request's whole KV up front), the engine's max sequences, its token budget (B + p ≤ budget, so
 * B ≤ budget / (1 + n_in/n_out)) and the TPOT target (t(B) ≤ TPOT; t grows with B).
 * TTFT without queueing: a new prompt gets the budget left after the decode rows each step,
 * ceil(n_in / (budget − B)) steps, each carrying its chunk and the B decode rows.
 *
 * Prefix caching (vLLM/SGLang automatic prefix caching; `prefixHit`): a share h of each prompt's
 * tokens has its KV already cached, so only (1 − h)·n_in tokens are prefilled (p = B·(1 − h)·n_in/n_out,
 * and the TTFT chunks cover (1 − h)·n_in); the prefilled suffix still attends to the whole
 * prompt, at mean span n_in·(1 + h)/2 instead of n_in/2 (passed as promptTokens n_in·(1 + h)).
 * The context each running sequence holds is unchanged. A share of the KV memory is reserved
 * for cached prefixes: it is taken from the running sequences (it can lower the memory batch),
 * and it bounds the hit rate: h = hit_rate · min(1, reserved tokens / working-set tokens).
 *
 * Cost: one `stepInputs` and at most ~18 step evaluations (a bisection over the batch), O(1)
 * in the traffic: the Monte Carlo calls it once per trial per option.
 */
import type { Engine, Hardware, WeightFormat } from '../config/index.js';
import { perfMessages } from './messages.js';
import { othersInWindow, probabilityOfWait, renewalCount, slotWait, type UtilisationBound } from './queue.js';
import { kvBytesPerTokenReplica, minTpThatFits, stepInputs, stepParts, usableBytes, weightBytes, type PerfConfig, type StepInputs } from './model.js';

/**
 * The serving-capacity rule in words, for the report's methodology (rendered from here so the
 * text and `replicaCapacity` cannot drift apart; a test checks the report shows it).
 */
export const CAPACITY_RULE =
  'Under a continuous-batching engine (engine preset: max sequences, token budget per step, scheduler time, kernel efficiency) each step runs B decoding sequences and reads the weights once; p̄ = B·n_in/n_out prompt tokens per step on average come as whole prompts (the engine gives a waiting prompt all the budget left beside the decode rows), q = min(budget − B, max(p̄, n_in)) tokens on a share f = p̄/q of the steps: t(B) = [(1 − f)·kernel step(B rows at c̄ = n_in + n_out/2) + f·kernel step(B rows, q prompt tokens)] / kernel efficiency + scheduler time. B is the largest batch that KV memory, the engine\'s max sequences, its token budget (B + p̄ ≤ budget) and the TPOT target (t(B) ≤ TPOT) allow; capacity = engine_efficiency · B / (n_out · t(B)) requests/s. A TTFT target bounds utilisation: prompts are admitted at step boundaries and prefilled in the next step beside the busy rows (b = λ·n_out·E[T] by Little), so TTFT = the chunked steps of the prompt + the rest of the step in progress (length-biased) + the prompts sharing its step (each adds the work of a second prompt, the step being convex in its prompt tokens; at most the whole prompts the token budget holds) + the wait for a slot (the busy rows negative binomial, as a server whose speed depends on its rows, cut at B slots). With a prefix cache (self_hosted.prefix_cache) a share h of each prompt is read from cache: only (1 − h)·n_in tokens are prefilled, attending to the whole prompt; the KV memory reserved for cached prefixes is taken from the running sequences and bounds h to hit_rate × min(1, cached tokens / working set).';

/** What bounds the batch at the answer. */
export type BatchLimit = 'memory' | 'tpot' | 'max-seqs' | 'token-budget';

export type ReplicaCapacity =
  | {
      feasible: true;
      batch: number;
      maxBatchMemory: number;
      maxBatchTpot: number | null;
      limitedBy: BatchLimit;
      /** engine step at the answer: B decode rows + the prompt chunk, ms */
      stepMs: number;
      /** prompt tokens per step at steady state (p = B·n_in/n_out) */
      chunkTokens: number;
      outputTokensPerS: number;
      /** n_in / ttftPrefillS: the rate one prompt is read at (for the TTFT estimate) */
      prefillTokensPerS: number;
      /** time to first token with no queue: ceil(n_in / (budget − B)) chunked steps, seconds */
      ttftPrefillS: number;
      /** requests/s after engine_efficiency */
      requestsPerS: number;
      /** share of each prompt served from the prefix cache (0 without one) */
      prefixHit: number;
      /** prefix tokens the KV reserve holds (0 without one) */
      cachedPrefixTokens: number;
    }
  | { feasible: false; reason: string };

/** A self-hosted engine's automatic prefix cache, as one trial draws it. */
export interface PrefixCache {
  /** share of prompt tokens whose prefix KV would be reused if the cache held the whole working set, [0, 1] */
  hitRate: number;
  /** share of the KV memory left after the weights reserved for cached prefixes, [0, 1) */
  reserveFraction: number;
  /** distinct prefix tokens a replica must keep cached to reach hitRate (tokens); 0: no bound (hitRate is the hit, as `perf --prefix-hit` gives it) */
  workingSetTokens: number;
}

/** What the prefix cache does for one replica: the hit rate the reserve allows and the memory it takes. */
export interface PrefixEffect {
  /** share of each prompt served from the cache (not prefilled), [0, hitRate] */
  hit: number;
  /** KV bytes reserved for cached prefixes */
  reserveBytes: number;
  /** prefix tokens the reserve holds */
  cachedTokens: number;
}

const NO_PREFIX: PrefixEffect = { hit: 0, reserveBytes: 0, cachedTokens: 0 };

/**
 * The prefix cache's effect on one replica: reserve = reserve_fraction × (usable − weights)
 * bytes, holding floor(reserve / KV bytes per token) prefix tokens; the hit rate it allows is
 * hit_rate × min(1, cached tokens / working set) (a cache holding a share f of a working set
 * of equally popular prefixes hits on a share f of them). None when `pc` is absent. O(1).
 * @example prefixHit(cfg, { hitRate: 0.8, reserveFraction: 0.2, workingSetTokens: 400000 })
 */
export function prefixHit(cfg: PerfConfig, pc: PrefixCache | undefined): PrefixEffect {
  if (pc === undefined || (pc.hitRate <= 0 && pc.reserveFraction <= 0)) return NO_PREFIX;
  const free = Math.max(0, usableBytes(cfg.hardware, cfg.tp) - weightBytes(cfg.model, cfg.weights));
  const reserveBytes = free * pc.reserveFraction;
  const cachedTokens = Math.floor(reserveBytes / kvBytesPerTokenReplica(cfg.model, cfg.kvCache, cfg.tp));
  const hit = pc.workingSetTokens > 0 ? pc.hitRate * Math.min(1, cachedTokens / pc.workingSetTokens) : pc.hitRate;
  return { hit, reserveBytes, cachedTokens };
}

export interface CapacityWorkload {
  inputTokens: number;
  outputTokens: number;
  tpotMs?: number | undefined;
  /** the uncertain multiplier around the engine preset (1 = the preset as it stands) */
  engineEfficiency: number;
  /** automatic prefix caching (absent: none, today's rule) */
  prefixCache?: PrefixCache | undefined;
}

/** An engine's caps as they apply on one GPU (large-GPU defaults resolved). */
export interface EngineCaps {
  id: string;
  maxSeqs: number;
  tokenBudget: number;
  schedulerS: number;
  kernelEfficiency: number;
  /** KV held per running request: its mean context, or prompt + output reserved up front */
  kvReservation: 'mean' | 'max';
}

/**
 * The caps an engine preset uses on a GPU: its large-GPU defaults where the GPU qualifies
 * (vLLM: ≥ 70 GiB and not an A100), else its base defaults. O(1).
 */
export function engineCaps(engine: Engine, hw: Hardware): EngineCaps {
  const big = engine.large_gpu;
  const large = big !== undefined && hw.memory_gb >= big.min_memory_gb && !big.exclude_hardware.includes(hw.id);
  return {
    id: engine.id,
    maxSeqs: large ? big.max_num_seqs : engine.max_num_seqs,
    tokenBudget: large ? big.max_num_batched_tokens : engine.max_num_batched_tokens,
    schedulerS: engine.scheduler_ms / 1e3,
    kernelEfficiency: engine.kernel_efficiency,
    kvReservation: engine.kv_reservation,
  };
}

/**
 * Weight formats a GPU's throughput table shows: bf16, those with a tensor peak in the profile,
 * and int4 (W4A16 runs at the bf16 peak). One rule for `perf`'s table and the report's chart.
 */
export function tableFormats(hw: Hardware): WeightFormat[] {
  return (['bf16', 'fp8', 'int8', 'int4'] as const).filter((f) => f === 'bf16' || f === 'int4' || hw.peak_tflops[f] !== undefined);
}

/** Largest search batch for the TPOT bound when nothing else bounds it. */
const MAX_SEARCH_BATCH = 65536;

/**
 * Largest b in [0, hi] with stepS(b) ≤ limitS, for stepS non-decreasing in b (bisection,
 * O(log hi) evaluations). The one TPOT bisection: serving capacity and the report's
 * throughput chart both use it.
 */
export function largestBatchWithin(stepS: (batch: number) => number, limitS: number, hi: number): number {
  let lo = 0;
  let top = Math.max(0, Math.floor(hi));
  if (top >= 1 && stepS(top) <= limitS) return top;
  // invariant: stepS(lo) <= limit (or lo = 0), stepS(top) > limit
  while (top - lo > 1) {
    const mid = Math.floor((lo + top) / 2);
    if (stepS(mid) <= limitS) lo = mid;
    else top = mid;
  }
  return lo;
}

/** Largest decode batch whose kernel step meets a TPOT target at one context (≤ hi). */
export function maxBatchWithinTpot(cfg: PerfConfig, contextTokens: number, tpotMs: number, hi: number): number {
  const sh = stepInputs(cfg);
  return largestBatchWithin((b) => stepParts(sh, b, contextTokens).step, tpotMs / 1e3, hi);
}

/**
 * Why a config cannot hold one sequence of `contextTokens` (null when it can), with the fix:
 * the weights alone do not fit, or they do and the KV cache of one sequence does not.
 */
export function doesNotFitReason(cfg: PerfConfig, contextTokens: number): string | null {
  const { hardware: hw, model, tp } = cfg;
  const w = weightBytes(model, cfg.weights);
  const usable = usableBytes(hw, tp);
  const kvTok = kvBytesPerTokenReplica(model, cfg.kvCache, tp);
  const free = usable - w;
  if (free >= kvTok * Math.max(1, contextTokens)) return null;
  const minTp = minTpThatFits(hw, model, cfg.weights, cfg.kvCache, contextTokens);
  if (free <= 0) return perfMessages.weightsDoNotFit(model.id, cfg.weights, w, hw.id, tp, usable, minTp, hw.gpus_per_node);
  return perfMessages.contextDoesNotFit(model.id, Math.round(contextTokens), kvTok * contextTokens, hw.id, tp, free, minTp);
}

/**
 * One engine step, ms: `decodeRows` decoding sequences at mean context `contextTokens` plus a
 * chunk of `chunkTokens` prompt tokens from prompts of `promptTokens`: the kernel step
 * (model.ts) / the engine's kernel efficiency + its scheduler time. The request-level
 * simulation and the steady-state capacity both step through this. O(1).
 */
export function engineStepMs(cfg: PerfConfig, engine: EngineCaps, decodeRows: number, contextTokens: number, chunkTokens: number, promptTokens: number): number {
  const sh = stepInputs(cfg);
  return (stepParts(sh, decodeRows, contextTokens, chunkTokens, promptTokens).step / engine.kernelEfficiency + engine.schedulerS) * 1e3;
}

/**
 * The prompt tokens prefilled per request with a prefix hit h, and the attention span the
 * kernel step charges them at: (1 − h)·n_in tokens at promptTokens n_in·(1 + h) (the suffix
 * from position h·n_in attends to n_in·(1 + h)/2 positions on average; at h = 0 exactly n_in
 * and n_in, today's rule). O(1).
 */
function prefilled(nIn: number, hit: number): { tokens: number; span: number } {
  return hit > 0 ? { tokens: (1 - hit) * nIn, span: nIn * (1 + hit) } : { tokens: nIn, span: nIn };
}

/**
 * The prompt chunk a prompt-carrying step takes at batch B, and the share of steps that carry
 * one. The engine gives a waiting prompt all the budget left beside the decode rows
 * (room = budget − B): prompts are not smeared over steps. With p̄ = B·(prefilled tokens)/n_out
 * prompt tokens per step on average, a prompt-carrying step takes q = min(room, max(p̄, n_pre))
 * tokens (a whole prompt, or the room when the prompt is longer, or the several prompts that
 * arrive per step when p̄ ≥ n_pre), and a share f = p̄/q of the steps carries one (f = 1 when
 * p̄ ≥ n_pre). O(1).
 */
export function promptChunking(tokenBudget: number, batch: number, meanChunk: number, promptTokens: number): { chunk: number; share: number } {
  const room = Math.max(1, tokenBudget - batch);
  const chunk = Math.min(room, Math.max(meanChunk, promptTokens));
  return chunk > 0 ? { chunk, share: Math.min(1, meanChunk / chunk) } : { chunk: 0, share: 0 };
}

/**
 * Mean engine step at batch B with its steady-state prompt work, seconds: (1 − f)·t(B, 0) +
 * f·t(B, q) (`promptChunking`). The step is convex in its prompt tokens (a roofline: a chunk
 * rides free under the weight read until the GEMMs become compute-bound), so whole-prompt
 * chunks on a share of the steps cost more than the same tokens smeared over every step. O(1):
 * two step evaluations (one when every step carries a chunk).
 */
function servingStepS(sh: StepInputs, e: EngineCaps, batch: number, context: number, ratio: number, prompt: { tokens: number; span: number }): number {
  const { chunk, share } = promptChunking(e.tokenBudget, batch, batch * ratio, prompt.tokens);
  const withChunk = stepParts(sh, batch, context, chunk, prompt.span).step;
  const step = share < 1 ? (1 - share) * stepParts(sh, batch, context).step + share * withChunk : withChunk;
  return step / e.kernelEfficiency + e.schedulerS;
}

/**
 * Serving capacity of one replica at the SLO under an engine (see the module comment).
 * Infeasible answers carry a reason a person can act on; never NaN.
 * @example replicaCapacity(h100Llama8bFp8, trtllmCaps, { inputTokens: 1000, outputTokens: 1000, engineEfficiency: 1 })
 */
export function replicaCapacity(cfg: PerfConfig, engine: EngineCaps, w: CapacityWorkload): ReplicaCapacity {
  const nIn = w.inputTokens;
  const nOut = w.outputTokens;
  const context = nIn + nOut / 2;
  const reason = doesNotFitReason(cfg, context);
  if (reason !== null) return { feasible: false, reason };
  const sh = stepInputs(cfg);
  const pe = prefixHit(cfg, w.prefixCache);
  const free = usableBytes(cfg.hardware, cfg.tp) - weightBytes(cfg.model, cfg.weights) - pe.reserveBytes;
  const held = engine.kvReservation === 'max' ? nIn + nOut : context;
  const maxBatchMemory = Math.floor(free / (sh.kvBytesPerTokenReplica * held));
  if (pe.reserveBytes > 0 && maxBatchMemory < 1) return { feasible: false, reason: perfMessages.prefixReserveLeavesNoRoom(w.prefixCache?.reserveFraction ?? 0, Math.round(context)) };
  const pre = prefilled(nIn, pe.hit);
  const ratio = pre.tokens / nOut;
  const budgetBatch = Math.max(1, Math.floor(engine.tokenBudget / (1 + ratio)));
  let batch = maxBatchMemory;
  let limitedBy: BatchLimit = 'memory';
  if (engine.maxSeqs < batch) {
    batch = engine.maxSeqs;
    limitedBy = 'max-seqs';
  }
  if (budgetBatch < batch) {
    batch = budgetBatch;
    limitedBy = 'token-budget';
  }
  const stepAt = (b: number): number => servingStepS(sh, engine, b, context, ratio, pre);
  let maxBatchTpot: number | null = null;
  if (w.tpotMs !== undefined) {
    const tpot = w.tpotMs / 1e3;
    const s1 = stepAt(1);
    if (s1 > tpot) return { feasible: false, reason: perfMessages.tpotUnreachable(w.tpotMs, s1 * 1e3) };
    maxBatchTpot = largestBatchWithin(stepAt, tpot, Math.min(MAX_SEARCH_BATCH, Math.max(batch, 1)));
    if (maxBatchTpot < batch) {
      batch = maxBatchTpot;
      limitedBy = 'tpot';
    }
  }
  const step = stepAt(batch);
  // TTFT with no queue: the prompt takes the budget left after the B decode rows, in full
  // chunks and a last partial one, each step carrying the decode rows too
  const room = Math.max(1, engine.tokenBudget - batch);
  const full = Math.floor(pre.tokens / room);
  const rest = pre.tokens - full * room;
  const chunkStep = (p: number): number => stepParts(sh, batch, context, p, pre.span).step / engine.kernelEfficiency + engine.schedulerS;
  const ttftPrefillS = full * chunkStep(room) + (rest > 0 ? chunkStep(rest) : 0);
  return {
    feasible: true,
    batch,
    maxBatchMemory,
    maxBatchTpot,
    limitedBy,
    stepMs: step * 1e3,
    chunkTokens: batch * ratio,
    outputTokensPerS: batch / step,
    prefillTokensPerS: nIn / ttftPrefillS,
    ttftPrefillS,
    requestsPerS: (w.engineEfficiency * batch) / (nOut * step),
    prefixHit: pe.hit,
    cachedPrefixTokens: pe.cachedTokens,
  };
}

/** Output tokens/s per GPU against batch at one context, kernel decode steps (for the chart). */
export function throughputCurve(
  cfg: PerfConfig,
  contextTokens: number,
  batches: number[],
): { batch: number; stepMs: number; outputTokensPerSPerGpu: number }[] {
  const sh = stepInputs(cfg);
  return batches.map((batch) => {
    const step = stepParts(sh, batch, contextTokens).step;
    return { batch, stepMs: step * 1e3, outputTokensPerSPerGpu: batch / step / cfg.tp };
  });
}

/** Time to first token at a utilisation, seconds: mean and quantiles. */
export interface TtftEstimate {
  meanS: number;
  p50S: number;
  p90S: number;
}

/** The u-independent parts of the TTFT estimate: prefill, prompt work and decode step at 0 and B busy rows. */
interface TtftEnds {
  prefill0: number;
  prefill1: number;
  work0: number;
  work1: number;
  /** the work of one more prompt in the same step (≥ work: the step is convex in its prompt tokens) */
  more0: number;
  more1: number;
  /** whole prompts one step's budget holds beside 0 and B rows (room / prefilled tokens) */
  perStep0: number;
  perStep1: number;
  /** decode-only engine step at 0 and at B rows, seconds */
  step0: number;
  step1: number;
  rMax: number;
  slots: number;
  outputTokens: number;
}

/**
 * Prefill time, the prompt's own work, the work of one more whole prompt in the same step and the
 * decode-only step beside `rows` decode rows, seconds; `perStep`: whole prompts one step holds
 * (room / prefilled tokens). The step is convex in its prompt tokens (the first prompt partly rides
 * under the weight read, the next ones are compute-bound), so a prompt that shares its step adds
 * more than the first one: `moreS` = (step(2·pre) − step(pre)) when two fit, the first's work when
 * they do not (the second waits for the next step). O(1): 3-4 steps.
 */
function prefillBeside(sh: StepInputs, engine: EngineCaps, w: CapacityWorkload, rows: number, hit: number): { prefillS: number; workS: number; moreS: number; stepS: number; perStep: number } {
  const nIn = w.inputTokens;
  const context = nIn + w.outputTokens / 2;
  const pre = prefilled(nIn, hit);
  const room = Math.max(1, engine.tokenBudget - rows);
  const full = Math.floor(pre.tokens / room);
  const rest = pre.tokens - full * room;
  const step = (p: number): number => stepParts(sh, rows, context, p, pre.span).step / engine.kernelEfficiency + engine.schedulerS;
  const prefillS = full * step(room) + (rest > 0 ? step(rest) : 0);
  const steps = full + (rest > 0 ? 1 : 0);
  const stepS = step(0);
  const workS = Math.max(0, prefillS - steps * stepS);
  // two prompts fit: the prompt is one step (full = 0), so prefillS = step(pre) and one more step is evaluated
  const moreS = pre.tokens > 0 && 2 * pre.tokens <= room ? Math.max(workS, step(2 * pre.tokens) - prefillS) : workS;
  return { prefillS, workS, moreS, stepS, perStep: room / Math.max(pre.tokens, 1) };
}

function ttftEnds(sh: StepInputs, engine: EngineCaps, w: CapacityWorkload, cap: Extract<ReplicaCapacity, { feasible: true }>): TtftEnds {
  const a = prefillBeside(sh, engine, w, 0, cap.prefixHit);
  const b = prefillBeside(sh, engine, w, cap.batch, cap.prefixHit);
  return {
    prefill0: a.prefillS,
    prefill1: b.prefillS,
    work0: a.workS,
    work1: b.workS,
    more0: a.moreS,
    more1: b.moreS,
    perStep0: a.perStep,
    perStep1: b.perStep,
    step0: a.stepS,
    step1: b.stepS,
    rMax: cap.requestsPerS / Math.max(w.engineEfficiency, 1e-12),
    slots: cap.batch,
    outputTokens: w.outputTokens,
  };
}

/** Fixed-point passes for the busy rows (the prompt work moves < 10 % between 0 and B rows: 3 passes settle it). */
const ROW_PASSES = 3;

/** The parts of the TTFT at one utilisation (see `ttftAt`); null past the replica's saturation. O(1) for ca² = 1. */
export interface TtftParts {
  prefillS: number;
  /** busy decode rows, the decode-only step, the prompt work and ρ = λ·work */
  rows: number;
  decodeStepS: number;
  workS: number;
  rho: number;
  /** length-biased mean step (the step an arrival lands in), seconds */
  stepLbS: number;
  /** waits: the rest of the step in progress, the prompts that share the arrival's step, a slot */
  residualS: number;
  sharedS: number;
  slotS: number;
  /** one more prompt's work in a step (s) and the others that share an arrival's step (sharedS = moreS × others) */
  moreS: number;
  others: number;
  /** probability an arrival finds every slot busy, and its mean wait then (`slotWait`) */
  slotP: number;
  slotMeanS: number;
  busy: number;
  lambda: number;
}

function ttftParts(e: TtftEnds, u: number, ca2: number): TtftParts | null {
  const lambda = u * e.rMax;
  const B = e.slots;
  if (lambda <= 0) {
    return { prefillS: e.prefill0, rows: 0, decodeStepS: e.step0, workS: e.work0, rho: 0, stepLbS: e.step0, residualS: 0, sharedS: 0, slotS: 0, moreS: e.more0, others: 0, slotP: 0, slotMeanS: 0, busy: 0, lambda: 0 };
  }
  const k = (e.step1 - e.step0) / B; // decode step grows ~linearly in rows (the weights read once, KV per row)
  const nOut = e.outputTokens;
  let rows = u * B;
  let work = e.work0;
  let rho = 0;
  for (let i = 0; i < ROW_PASSES; i++) {
    work = e.work0 + (e.work1 - e.work0) * Math.min(1, rows / B);
    rho = lambda * work;
    const den = 1 - rho - lambda * nOut * k;
    if (den <= 0) return null;
    rows = (lambda * nOut * e.step0) / den;
  }
  if (rows >= B) return null;
  const decodeStepS = e.step0 + k * rows;
  const meanStep = decodeStepS / (1 - rho);
  const varStep = (ca2 * work * work * lambda * meanStep) / (1 - rho * rho);
  const poissonLbS = meanStep + varStep / meanStep;
  // renewal arrivals come in clumps: the step an arrival lands in carries the prompts of the clump-mates that
  // came during the step before it, more than λ·T of them (arrivals in [a − 1.5T, a − 0.5T] given one at a)
  const stepLbS = ca2 === 1 ? poissonLbS : poissonLbS + work * Math.max(0, renewalCount(lambda, ca2, 1.5 * poissonLbS) - renewalCount(lambda, ca2, 0.5 * poissonLbS) - lambda * poissonLbS);
  const prefillS = e.prefill0 + ((e.prefill1 - e.prefill0) * rows) / B;
  const busy = 1 - Math.exp(-rows);
  const residualS = (busy * stepLbS) / 2;
  const share = Math.min(1, rows / B);
  const moreS = e.more0 + (e.more1 - e.more0) * share;
  const sharedS = sharedWork({ moreS, workS: work, decodeStepS, stepLbS, perStep: e.perStep0 + (e.perStep1 - e.perStep0) * share, rho }, lambda, ca2);
  const slot = slotWait({ slots: B, lambda, meanRows: rows, x: (lambda * nOut * k) / (1 - rho), fullRate: e.rMax, promptShare: rho, ca2 });
  if (slot === null) return null;
  const slotS = slot.probability * slot.meanS;
  return { prefillS, rows, decodeStepS, workS: work, rho, stepLbS, residualS, sharedS, slotS, moreS, others: moreS > 0 ? sharedS / moreS : 0, slotP: slot.probability, slotMeanS: slot.meanS, busy, lambda };
}

/** Passes of the fixed point between the share of arrivals that land in a prompt-carrying step and the prompts it carries. */
const LANDING_PASSES = 2;

/**
 * The work of the prompts that share an arrival's step, seconds: the others that arrived during
 * the step in progress (the window) each add `more` (one more prompt in a step: ≥ w, the step
 * being convex in its prompt tokens). When the budget holds m ≥ 2 whole prompts beside the rows,
 * at most m − 1 others share (later ones wait for the next step); a prompt that needs most of a
 * step or several (m < 2) keeps the uncapped count. The step an arrival lands in is decode-only
 * (length d) or carries prompts (length L), and the cap binds on the long ones, so the count is
 * taken per kind of step: (1 − q)·min(m − 1, N(d)) + q·min(m − 1, N(L)), N = `othersInWindow`
 * (λ·x for Poisson), L = d + (E_lb[T] − d)/q (the mixture keeps the mean step E_lb[T]). Poisson
 * with the cap slack: λ·E_lb[T], as before. Renewal arrivals (ca² > 1): N is concave in the window
 * (clump-mates come first), so the mixture counts fewer others than N(E_lb[T]) would. q, the
 * share of arrivals that land in a prompt-carrying step, is the GI/M/1 map (`probabilityOfWait`,
 * the identity for Poisson) of the share of time in such steps, τ = ρ + λ·d/ν (ν = (L − d)/w
 * prompts per such step; 2 passes). Checked against the request-level simulation (docs/perf.md):
 * Llama-3.3-70B bursty at 70 %, 1.9 others simulated, 3.0 as N(E_lb[T]), 2.5 now. O(1): 2
 * `othersInWindow` and 3 `probabilityOfWait` (closed forms for Poisson).
 */
export function sharedWork(e: SharedInputs, lambda: number, ca2: number): number {
  const { moreS: more, perStep, workS: work, decodeStepS: d, stepLbS } = e;
  const room = perStep >= 2 ? perStep - 1 : Infinity;
  if (lambda <= 0) return 0;
  let q = probabilityOfWait(Math.min(0.99, e.rho + lambda * d), ca2);
  for (let i = 0; i < LANDING_PASSES; i++) {
    const prompts = Math.max(1, (stepLbS - d) / q / Math.max(work, 1e-12));
    q = probabilityOfWait(Math.min(0.99, e.rho + (lambda * d) / prompts), ca2);
  }
  const longS = d + Math.max(0, stepLbS - d) / Math.max(q, 1e-12);
  return more * ((1 - q) * Math.min(room, othersInWindow(lambda, ca2, d)) + q * Math.min(room, othersInWindow(lambda, ca2, longS)));
}

/** What `sharedWork` reads, seconds: one more prompt's work, the first prompt's work, the decode-only and length-biased steps; whole prompts per step and ρ. */
export interface SharedInputs {
  moreS: number;
  workS: number;
  decodeStepS: number;
  stepLbS: number;
  perStep: number;
  rho: number;
}

/** Mean TTFT at utilisation u from the precomputed ends (Infinity past saturation). O(1) for ca² = 1. */
function ttftMeanFromEnds(e: TtftEnds, u: number, ca2: number): number {
  const p = ttftParts(e, u, ca2);
  return p === null ? Infinity : p.prefillS + p.residualS + p.sharedS + p.slotS;
}

/**
 * Time to first token of one replica at utilisation u of its capacity `cap` (arrivals
 * λ = u·r_max with inter-arrival CV² ca2). The engine admits prompts at step boundaries
 * and runs every waiting prompt's chunk in the next step beside the decode rows (chunked
 * prefill, a gated batch service):
 *
 *   rows b       decode rows busy, by Little: b = λ·n_out·E[T], the mean step
 *                E[T] = d(b)/(1 − ρ) with d(b) = d₀ + (d_B − d₀)·b/B the decode-only step
 *                (linear in the rows between its values at 0 and B) and ρ = λ·w the share
 *                of time on prompt work (w: the time a prompt adds to its steps); solved in
 *                closed form for b, 3 passes for w(b). Not u·B: steps are shorter at fewer rows.
 *   prefill(b)   the prompt's own chunked steps beside b rows
 *   residual     an arrival waits for the step in progress: busy·E_lb[T]/2, with the
 *                length-biased step E_lb[T] = E[T] + Var T/E[T], Var T = ca²·w²·λ·E[T]/(1 − ρ²)
 *                (steps carry the prompts that arrived during the previous one), busy = 1 − e^(−b);
 *                for ca² > 1 plus w·(M(1.5·E_lb) − M(0.5·E_lb) − λ·E_lb), M the renewal function
 *                (`renewalCount`): the step an arrival lands in carries its clump-mates
 *   shared       prompts that arrived in the same step share the next one (`sharedWork`): each
 *                adds one more prompt's work (≥ w: the step is convex in its prompt tokens), at
 *                most the whole prompts the budget holds less the arrival's own; λ·E_lb[T]
 *                others for Poisson; for renewal arrivals the count per kind of landing step
 *                (decode-only or prompt-carrying), the renewal count being concave (`othersInWindow`)
 *   slot         the wait for one of B slots (queue.ts `slotWait`): the busy rows are a
 *                processor-sharing chain whose speed depends on its rows (negative binomial,
 *                variance widened by the prompt stalls and bursts), cut at B slots
 *
 * TTFT = prefill + residual + shared + slot. p50/p90: everyone waits about half a decode
 * step (busy·d/2); the rest of the step waits is an exponential tail taken with probability
 * σ = P(the arrival's step carries another prompt) = 1 − (1 − ρ)·e^(−λ·E_lb[T]) (GI/M/1's σ for
 * ca² ≠ 1; for ca² > 1 the tail starts at one prompt's work w: a waiting arrival came in a
 * clump), and the slot wait an independent exponential taken with its own probability; the
 * quantile of the sum by `sumOfWaitsQuantile`. Past the replica's saturation the wait is
 * unbounded: Infinity. O(1) for ca² = 1 (7-8 step evaluations for
 * the ends). Checked against the request-level simulation (request-sim.ts) in docs/perf.md.
 */
export function ttftAt(cfg: PerfConfig, engine: EngineCaps, w: CapacityWorkload, cap: Extract<ReplicaCapacity, { feasible: true }>, u: number, ca2 = 1): TtftEstimate {
  const p = ttftParts(ttftEnds(stepInputs(cfg), engine, w, cap), u, ca2);
  if (p === null) return { meanS: Infinity, p50S: Infinity, p90S: Infinity };
  const stepWaitS = p.residualS + p.sharedS;
  const floorS = Math.min(stepWaitS, (p.busy * p.decodeStepS) / 2);
  const tailS = stepWaitS - floorS;
  const sigma = Math.min(0.98, probabilityOfWait(1 - (1 - p.rho) * Math.exp(-p.lambda * p.stepLbS), ca2));
  // clumped arrivals (ca² > 1): an arrival that waits past the floor came in a clump and shares its step
  // with at least one other prompt: that prompt's work w is a shift, the rest exponential (the mean stays
  // tailS). Poisson: one exponential, as checked against the simulation.
  const waitMean = sigma > 0 ? tailS / sigma : 0;
  const shift = ca2 > 1 ? Math.min(p.workS, waitMean) : 0;
  const steps: Wait = { probability: tailS > 0 ? sigma : 0, meanS: waitMean - shift, shiftS: shift };
  const slot = { probability: p.slotP, meanS: p.slotMeanS };
  const base = p.prefillS + floorS;
  return { meanS: base + tailS + p.slotS, p50S: base + sumOfWaitsQuantile(steps, slot, 0.5), p90S: base + sumOfWaitsQuantile(steps, slot, 0.1) };
}

/**
 * The parts of `ttftAt`'s estimate at utilisation u (rows, steps, waits, the slot-full probability
 * and the others sharing a step), for checking each against the request-level simulation
 * (bench/request-sim-split.ts); null past saturation. Same cost as `ttftAt`.
 */
export function ttftBreakdown(cfg: PerfConfig, engine: EngineCaps, w: CapacityWorkload, cap: Extract<ReplicaCapacity, { feasible: true }>, u: number, ca2 = 1): TtftParts | null {
  return ttftParts(ttftEnds(stepInputs(cfg), engine, w, cap), u, ca2);
}

/** Bisection steps of `sumOfWaitsQuantile`: 2^-50 of its bracket. */
const QUANTILE_STEPS = 50;

/**
 * The t with P(W₁ + W₂ > t) = q for two independent waits, each 0 or else exponential (with
 * probability p₁, mean a; p₂, mean b): P(W₁ + W₂ > t) = p₁(1 − p₂)e^(−t/a) + p₂(1 − p₁)e^(−t/b)
 * + p₁p₂·(a·e^(−t/a) − b·e^(−t/b))/(a − b) (the sum of two exponentials; (1 + t/a)·e^(−t/a)
 * when a = b). 0 when P(W₁ + W₂ > 0) ≤ q. Hand check: p₂ = 0 gives a·ln(p₁/q). Cost: O(1), ≤ 50
 * bisection steps.
 */
export function sumOfWaitsQuantile(w1: Wait, w2: Wait, q: number): number {
  const p1 = w1.meanS > 0 || (w1.shiftS ?? 0) > 0 ? w1.probability : 0;
  const p2 = w2.meanS > 0 || (w2.shiftS ?? 0) > 0 ? w2.probability : 0;
  if (p1 + p2 - p1 * p2 <= q) return 0;
  const s1 = w1.shiftS ?? 0;
  const s2 = w2.shiftS ?? 0;
  const a = Math.max(w1.meanS, 1e-12);
  const b = Math.max(w2.meanS, 1e-12);
  const one = (x: number, m: number): number => (x <= 0 ? 1 : Math.exp(-x / m));
  const both = (x: number): number => {
    if (x <= 0) return 1;
    return Math.abs(a - b) <= 1e-9 * Math.max(a, b) ? (1 + x / a) * Math.exp(-x / a) : (a * Math.exp(-x / a) - b * Math.exp(-x / b)) / (a - b);
  };
  const over = (t: number): number => p1 * (1 - p2) * one(t - s1, a) + p2 * (1 - p1) * one(t - s2, b) + p1 * p2 * both(t - s1 - s2);
  let lo = 0;
  let hi = Math.max(a, b) + s1 + s2;
  while (over(hi) > q) hi *= 2;
  for (let i = 0; i < QUANTILE_STEPS; i++) {
    const mid = (lo + hi) / 2;
    if (over(mid) > q) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/** A wait that is 0, or with `probability` a shift plus an exponential of mean `meanS` (seconds). */
export interface Wait {
  probability: number;
  meanS: number;
  shiftS?: number;
}

/** Bisection steps of the TTFT bound: 0.98 / 2^14 ≈ 6e-5 of utilisation (0.006 % of capacity). */
const BISECTION_STEPS = 14;

/**
 * Largest utilisation (≤ 0.98) whose mean TTFT (`ttftAt`) meets the target, by bisection:
 * 7-8 step evaluations for the ends, then 16 O(1) evaluations of the gated-service mean
 * (~2-3x the cost of `replicaCapacity`). The one TTFT rule of the Monte Carlo trial and
 * `perf --ttft-ms`. `ca2` is the squared coefficient of variation of the inter-arrival times
 * within the busiest minute: 1 (Poisson, the default and what the trial uses: its traffic
 * model draws demand per hour and covers the busiest minute by `peak_to_mean`); > 1 for
 * clumped arrivals, which lengthen the steps arrivals land in and put more prompts in each
 * (`sharedWork`: 2 `othersInWindow`, each ≤ 8 × a few incomplete-gamma evaluations, and 3 60-step bisections per point). Past the replica's
 * saturation under gated prefill the mean is unbounded, so the bound stays below it.
 */
export function ttftUtilisation(cfg: PerfConfig, engine: EngineCaps, w: CapacityWorkload, cap: Extract<ReplicaCapacity, { feasible: true }>, ttftMs: number, ca2 = 1): UtilisationBound {
  const target = ttftMs / 1e3;
  const ends = ttftEnds(stepInputs(cfg), engine, w, cap);
  const at = (u: number): number => ttftMeanFromEnds(ends, u, ca2);
  const alone = at(0);
  if (alone >= target) return { feasible: false, reason: perfMessages.ttftBelowPrefill(ttftMs, alone * 1e3) };
  const cap98 = 0.98;
  if (at(cap98) <= target) return { feasible: true, maxUtilisation: cap98 };
  let lo = 0;
  let hi = cap98;
  for (let i = 0; i < BISECTION_STEPS; i++) {
    const mid = (lo + hi) / 2;
    if (at(mid) <= target) lo = mid;
    else hi = mid;
  }
  if (lo < 0.01) return { feasible: false, reason: perfMessages.ttftNoCapacity(ttftMs) };
  return { feasible: true, maxUtilisation: lo };
}
