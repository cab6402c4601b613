import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  decodeStep,
  kvBytesPerToken,
  memoryPlan,
  minTpThatFits,
  prefillTime,
  promptChunking,
  replicaCapacity,
  engineStepMs,
  throughputCurve,
  type EngineCaps,
  weightBytes,
  type PerfConfig,
} from '../../src/perf/index.js';
import { expectRel, h100, models } from './helpers.js';

const hw = h100();
const M = models();
const m8 = M['llama-3.1-8b']!;
const m70 = M['llama-3.1-70b']!;
const moe = M['mixtral-8x7b']!;
const cfg = (over: Partial<PerfConfig> = {}): PerfConfig => ({ hardware: hw, model: m8, weights: 'bf16', kvCache: 'bf16', tp: 1, ...over });

describe('memory arithmetic', () => {
  it('Llama-3.1-8B KV cache is 131,072 B/token in bf16, half in fp8', () => {
    // 2 (K,V) x 32 layers x 8 kv heads x 128 dims x 2 B
    expect(kvBytesPerToken(m8, 'bf16')).toBe(131072);
    expect(kvBytesPerToken(m8, 'fp8')).toBe(65536);
  });

  it('Llama-3.1-70B weights per format (linears quantized, 2.1012 B embeddings in bf16)', () => {
    const lin = (70.55 - 2.1012) * 1e9;
    const emb = 2.1012e9 * 2;
    expectRel(weightBytes(m70, 'bf16'), 141.1e9, 1e-9);
    expectRel(weightBytes(m70, 'fp8'), lin + emb, 1e-9); // 72.65 GB
    expectRel(weightBytes(m70, 'int8'), lin + emb, 1e-9);
    expectRel(weightBytes(m70, 'int4'), lin * (0.5 + 4 / 128) + emb, 1e-9); // 40.57 GB
  });

  it('max batch = (tp·mem·(1-reserve) - W - tp·workspace) / (K·context)', () => {
    const p = memoryPlan(cfg(), 2048);
    const free = 80e9 * 0.9 - 1e9 - weightBytes(m8, 'bf16');
    expectRel(p.freeBytes, free, 1e-12);
    expect(p.maxBatch).toBe(Math.floor(free / (131072 * 2048)));
    expect(p.fits).toBe(true);
    expect(p.minTp).toBe(1);
  });

  it('70B bf16 does not fit one H100: needs tp >= 2 here, never NaN', () => {
    const p = memoryPlan(cfg({ model: m70 }), 2048);
    expect(p.fits).toBe(false);
    expect(p.maxBatch).toBe(0);
    expect(p.minTp).toBe(2);
    expect(minTpThatFits(hw, m70, 'fp8', 'bf16', 2048)).toBe(2); // 72.7 GB > 71 GB usable
    expect(minTpThatFits(hw, m70, 'int4', 'bf16', 2048)).toBe(1);
    expect(minTpThatFits(hw, m70, 'bf16', 'bf16', 10_000_000)).toBeNull();
  });
});

describe('decode step and prefill', () => {
  it('is monotone non-decreasing in batch and context (all formats, MoE, tp)', () => {
    const fmts = ['bf16', 'fp8', 'int8', 'int4'] as const;
    fc.assert(
      fc.property(
        fc.constantFrom(...fmts),
        fc.constantFrom(m8, m70, moe),
        fc.constantFrom(1, 2, 4, 8),
        fc.integer({ min: 1, max: 2048 }),
        fc.integer({ min: 1, max: 64 }),
        fc.integer({ min: 1, max: 100_000 }),
        fc.integer({ min: 1, max: 10_000 }),
        (weights, model, tp, b, db, c, dc) => {
          const k = cfg({ weights, model, tp });
          const s = decodeStep(k, b, c).stepMs;
          expect(Number.isFinite(s) && s > 0).toBe(true);
          expect(decodeStep(k, b + db, c).stepMs).toBeGreaterThanOrEqual(s);
          expect(decodeStep(k, b, c + dc).stepMs).toBeGreaterThanOrEqual(s);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('bf16 batch 1 is memory-bound: ~W/(BW·η_w) + overhead', () => {
    const d = decodeStep(cfg(), 1, 1024);
    expect(d.boundBy).toBe('memory');
    // 13.96 GB of linears at 0.75·3.35 TB/s + lm_head 1.05 GB + KV 134 MB at 0.8·3.35 + 0.3 ms
    const lin = (8.03 - 1.0507) * 2e9 / (3.35e12 * 0.75) + 1.0507e9 / (3.35e12 * 0.75);
    expectRel(d.stepMs, (lin + 1024 * 131072 / (3.35e12 * 0.8)) * 1e3 + 0.3, 0.02);
    expect(decodeStep(cfg(), 4096, 1024).boundBy).toBe('compute');
  });

  it('int4 tinygemm collapses past its knee; Marlin keeps its gain longer', () => {
    const t = decodeStep(cfg({ weights: 'int4' }), 64, 1024).stepMs;
    const b = decodeStep(cfg(), 64, 1024).stepMs;
    expect(t).toBeGreaterThan(b); // measured: 34.8 ms int4 vs 9.6 ms bf16
    expect(decodeStep(cfg({ weights: 'int4' }), 1, 1024).stepMs).toBeLessThan(decodeStep(cfg(), 1, 1024).stepMs);
    const marlin = { ...hw, int4_kernel: 'marlin' as const, efficiency: { ...hw.efficiency, int4_batch_knee: 32 } };
    expect(decodeStep(cfg({ hardware: marlin, weights: 'int4' }), 16, 1024).stepMs).toBeLessThan(decodeStep(cfg({ hardware: marlin }), 16, 1024).stepMs);
  });

  it('MoE streams more experts as the batch grows, capped at all experts', () => {
    const c = cfg({ model: moe, tp: 2 });
    const s1 = decodeStep(c, 1, 1).stepMs;
    const s8 = decodeStep(c, 8, 1).stepMs;
    const s64 = decodeStep(c, 64, 1).stepMs;
    expect(s8).toBeGreaterThan(s1 * 2); // 2 of 8 experts at batch 1, ~7.2 of 8 at batch 8
    expect(s64 / s8).toBeLessThan(1.3);
  });

  it('tensor parallelism adds all-reduce time and splits the weights', () => {
    const d1 = decodeStep(cfg(), 8, 1024);
    const d2 = decodeStep(cfg({ tp: 2 }), 8, 1024);
    expect(d1.allreduceMs).toBe(0);
    expect(d2.allreduceMs).toBeGreaterThan(2 * 32 * 0.01 * 0.99); // 2 per layer x 10 µs
    expect(d2.stepMs).toBeLessThan(d1.stepMs);
  });

  it('prefill grows faster than linearly in prompt length (causal attention)', () => {
    const a = prefillTime(cfg(), 2048);
    const b = prefillTime(cfg(), 32768);
    expect(b.ms / a.ms).toBeGreaterThan(16);
    expect(b.promptTokensPerS).toBeLessThan(a.promptTokensPerS);
  });
});

describe('replica capacity', () => {
  const w = { inputTokens: 1000, outputTokens: 200, engineEfficiency: 0.8 };
  /** an engine with no caps of its own: only memory and TPOT bound the batch */
  const open: EngineCaps = { id: 'open', maxSeqs: 1e9, tokenBudget: 1e9, schedulerS: 0, kernelEfficiency: 1, kvReservation: 'mean' };
  /** the mean serving step at batch b, 1,000/200 (p̄ = 5·b prompt tokens per step): whole prompts on a share of the steps */
  const meanStep = (e: EngineCaps, b: number): number => {
    const { chunk, share } = promptChunking(e.tokenBudget, b, b * 5, 1000);
    return (1 - share) * engineStepMs(cfg(), e, b, 1100, 0, 0) + share * engineStepMs(cfg(), e, b, 1100, chunk, 1000);
  };

  it('memory-limited without a TPOT target, TPOT-limited with a tight one', () => {
    const a = replicaCapacity(cfg(), open, w);
    if (!a.feasible) throw new Error(a.reason);
    expect(a.limitedBy).toBe('memory');
    expect(a.batch).toBe(memoryPlan(cfg(), 1100).maxBatch);
    const b = replicaCapacity(cfg(), open, { ...w, tpotMs: 10 });
    if (!b.feasible) throw new Error(b.reason);
    expect(b.limitedBy).toBe('tpot');
    expect(b.stepMs).toBeLessThanOrEqual(10);
    expect(meanStep(open, b.batch + 1)).toBeGreaterThan(10);
    expect(b.maxBatchTpot).toBe(b.batch);
  });

  it('requests/s = efficiency · B / (n_out · step); output tokens/s = B / step', () => {
    const a = replicaCapacity(cfg(), open, { ...w, tpotMs: 20 });
    if (!a.feasible) throw new Error(a.reason);
    expectRel(a.requestsPerS, (0.8 * a.batch) / ((200 * a.stepMs) / 1e3), 1e-12);
    expectRel(a.outputTokensPerS, a.batch / (a.stepMs / 1e3), 1e-12);
    // steady state: prompt tokens per step = B · n_in / n_out on average, in whole prompts
    expectRel(a.chunkTokens, a.batch * 5, 1e-12);
    expectRel(a.stepMs, meanStep(open, a.batch), 1e-12);
  });

  it('prompt chunks by hand: whole prompts on a share of the steps, every step once prompts outnumber steps', () => {
    // budget 8,192, B = 100, 1,000-token prompts, 500 prompt tokens per step on average: a whole
    // prompt on half the steps
    expect(promptChunking(8192, 100, 500, 1000)).toEqual({ chunk: 1000, share: 0.5 });
    // 1,500 per step (1.5 prompts): every step carries 1,500 tokens (today's smeared rule)
    expect(promptChunking(8192, 100, 1500, 1000)).toEqual({ chunk: 1500, share: 1 });
    // a 4,000-token prompt beside 20 rows of a 2,048 budget: chunks of the room 2,028; 800 per step
    // on average → 800 / 2,028 = 39.4 % of the steps
    const c = promptChunking(2048, 20, 800, 4000);
    expect(c.chunk).toBe(2028);
    expectRel(c.share, 800 / 2028, 1e-12);
    expect(promptChunking(8192, 100, 0, 1000)).toEqual({ chunk: 1000, share: 0 });
  });

  it('the mean step is convex in its prompt tokens: whole-prompt chunks never cost less than the same tokens smeared', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 400 }), (b) => meanStep(open, b) >= engineStepMs(cfg(), open, b, 1100, b * 5, 1000) * (1 - 1e-12)),
      { numRuns: 40 },
    );
  });

  it('engine step = kernel step / kernel efficiency + scheduler time; no chunk = the decode step', () => {
    const e: EngineCaps = { ...open, kernelEfficiency: 2, schedulerS: 0.001 };
    expectRel(engineStepMs(cfg(), e, 64, 1024, 0, 0), decodeStep(cfg(), 64, 1024).stepMs / 2 + 1, 1e-12);
    // a prompt chunk only adds time
    expect(engineStepMs(cfg(), e, 64, 1024, 512, 1000)).toBeGreaterThan(engineStepMs(cfg(), e, 64, 1024, 0, 0));
  });

  it('hand-worked bounds: memory (mean or reserved context), max sequences, token budget', () => {
    // Llama-3.1-8B bf16: linears (8.03 - 1.05067) e9 × 2 B = 13.95866 GB + embeddings 1.05067 e9 × 2 B
    // = 2.10134 GB → W = 16.06 GB. Fixture H100: 80 GB × (1 - 0.1) - 1 GB workspace = 71 GB usable,
    // 54.94 GB free. KV 131,072 B/token.
    const io = { inputTokens: 1000, outputTokens: 1000, engineEfficiency: 1 };
    // mean context 1,000 + 1,000/2 = 1,500: 54.94e9 / (131072 × 1500) = 279.4 → 279
    const mean = replicaCapacity(cfg(), open, io);
    expect(mean.feasible && mean.batch === 279 && mean.limitedBy === 'memory').toBe(true);
    // reserved up front (TensorRT-LLM): 54.94e9 / (131072 × 2000) = 209.6 → 209
    const max = replicaCapacity(cfg(), { ...open, kvReservation: 'max' }, io);
    expect(max.feasible && max.batch === 209 && max.limitedBy === 'memory').toBe(true);
    // max sequences 100 < 279
    const seqs = replicaCapacity(cfg(), { ...open, maxSeqs: 100 }, io);
    expect(seqs.feasible && seqs.batch === 100 && seqs.limitedBy === 'max-seqs').toBe(true);
    // 2,048 in / 128 out: each decode row brings 16 prompt tokens; budget 2,048 → B ≤ 2048 / 17 = 120.5 → 120
    // (memory: 54.94e9 / (131072 × 2112) = 198 does not bind)
    const budget = replicaCapacity(cfg(), { ...open, tokenBudget: 2048 }, { inputTokens: 2048, outputTokens: 128, engineEfficiency: 1 });
    expect(budget.feasible && budget.batch === 120 && budget.limitedBy === 'token-budget').toBe(true);
    // TTFT with no queue: a prompt gets the budget left after the decode rows: 2048 = 1 × 1928 + 120,
    // two steps, each with the 120 decode rows
    const e = { ...open, tokenBudget: 2048 };
    if (budget.feasible) expectRel(budget.ttftPrefillS * 1e3, engineStepMs(cfg(), e, 120, 2112, 1928, 2048) + engineStepMs(cfg(), e, 120, 2112, 120, 2048), 1e-12);
  });

  it('property: a tighter cap never raises capacity, and the TPOT answer is the largest batch within it', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 400 }), fc.integer({ min: 64, max: 16384 }), fc.integer({ min: 8, max: 60 }), (seqs, budget, tpot) => {
        const e: EngineCaps = { ...open, maxSeqs: seqs, tokenBudget: budget };
        const a = replicaCapacity(cfg(), e, { ...w, tpotMs: tpot });
        const b = replicaCapacity(cfg(), open, { ...w, tpotMs: tpot });
        if (!a.feasible || !b.feasible) return a.feasible === b.feasible;
        const next = meanStep(e, a.batch + 1);
        return a.outputTokensPerS <= b.outputTokensPerS * (1 + 1e-12) && a.stepMs <= tpot && (a.limitedBy !== 'tpot' || next > tpot);
      }),
      { numRuns: 40 },
    );
  });

  it('infeasible answers carry reasons a person can act on, never NaN', () => {
    const a = replicaCapacity(cfg({ model: m70 }), open, w);
    expect(a).toEqual({
      feasible: false,
      reason: 'llama-3.1-70b bf16 needs 141 GB of weights; h100-sxm tp 1 has 71 GB usable: use tp >= 2 or a smaller weight format',
    });
    const b = replicaCapacity(cfg(), open, { ...w, tpotMs: 5 });
    expect(b).toEqual({ feasible: false, reason: `no batch meets TPOT 5 ms: batch 1 takes ${meanStep(open, 1).toFixed(2)} ms` });
    const c = replicaCapacity(cfg(), open, { inputTokens: 600_000, outputTokens: 10, engineEfficiency: 0.8 });
    expect(c.feasible).toBe(false);
    if (!c.feasible) expect(c.reason).toMatch(/^llama-3.1-8b at context 600005 needs 79 GB of KV cache per sequence; h100-sxm tp 1 has 55 GB left after the weights: use tp >= 2/);
  });

  it('throughput curve per GPU', () => {
    const pts = throughputCurve(cfg({ tp: 2 }), 1024, [1, 8, 64]);
    expect(pts.map((p) => p.batch)).toEqual([1, 8, 64]);
    expectRel(pts[2]!.outputTokensPerSPerGpu, 64 / (decodeStep(cfg({ tp: 2 }), 64, 1024).stepMs / 1e3) / 2, 1e-12);
  });
});
