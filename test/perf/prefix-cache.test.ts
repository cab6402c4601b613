/**
 * Prefix caching in the one capacity rule (src/perf/capacity.ts): a hit h prefills (1 − h)·n_in
 * prompt tokens that attend to the whole prompt, the KV reserve for cached prefixes comes out
 * of the running sequences' memory and bounds h. Hand-worked on Llama 3.1 8B bf16, H100 fixture.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { engineStepMs, memoryPlan, prefixHit, replicaCapacity, ttftUtilisation, type EngineCaps, type PerfConfig, type PrefixCache } from '../../src/perf/index.js';
import { expectRel, h100, models } from './helpers.js';

const cfg: PerfConfig = { hardware: h100(), model: models()['llama-3.1-8b']!, weights: 'bf16', kvCache: 'bf16', tp: 1 };
/** memory bounds the batch: max sequences and token budget far away */
const open: EngineCaps = { id: 'open', maxSeqs: 1024, tokenBudget: 1_000_000, schedulerS: 0.0005, kernelEfficiency: 1, kvReservation: 'mean' };
/** max sequences holds the batch at 64 whatever the hit, so steps compare at equal batch */
const at64: EngineCaps = { ...open, maxSeqs: 64 };
const rag = { inputTokens: 2000, outputTokens: 200, engineEfficiency: 1 };
const pc = (hitRate: number, reserveFraction = 0, workingSetTokens = 0): PrefixCache => ({ hitRate, reserveFraction, workingSetTokens });

function feasible(c: ReturnType<typeof replicaCapacity>) {
  if (!c.feasible) throw new Error(c.reason);
  return c;
}

describe('prefix cache: hit 0 is today', () => {
  it('a cache with hit 0 and no reserve gives the same capacity as none, field for field', () => {
    for (const e of [open, at64, { ...open, tokenBudget: 8192, maxSeqs: 256 }]) {
      const none = feasible(replicaCapacity(cfg, e, { ...rag, tpotMs: 40 }));
      const zero = feasible(replicaCapacity(cfg, e, { ...rag, tpotMs: 40, prefixCache: pc(0, 0, 400_000) }));
      expect(zero).toEqual(none);
      expect(none.prefixHit).toBe(0);
      expect(none.cachedPrefixTokens).toBe(0);
    }
  });
});

describe('prefix cache: the reserve by hand', () => {
  // usable 80e9 × 0.9 − 1e9 workspace = 71e9; bf16 weights 2 B × 8.03e9 = 16.06e9; free 54.94e9
  // KV per token 2 × 32 layers × 8 kv heads × 128 × 2 B = 131,072 B; context 2000 + 200/2 = 2100
  const free = 54.94e9;
  it('the memory plan agrees with the hand figures', () => {
    const m = memoryPlan(cfg, 2100);
    expectRel(m.freeBytes, free, 1e-9);
    expect(m.kvBytesPerToken).toBe(131072);
  });

  it('reserve 0.2 holds floor(10.988e9 / 131,072) = 83,831 tokens; a working set twice that halves hit 0.8 to 0.4', () => {
    const e = prefixHit(cfg, pc(0.8, 0.2, 2 * 83831));
    expect(e.cachedTokens).toBe(83831);
    expectRel(e.reserveBytes, 0.2 * free, 1e-12);
    expect(e.hit).toBeCloseTo(0.4, 15);
    // a working set the reserve holds whole: the full hit rate
    expect(prefixHit(cfg, pc(0.8, 0.2, 83831)).hit).toBe(0.8);
  });

  it('the memory batch: floor(54.94e9 / (2100 × 131,072)) = 199 without a reserve, floor(0.8 × 54.94e9 / 275,251,200) = 159 with 0.2', () => {
    expect(feasible(replicaCapacity(cfg, open, rag)).maxBatchMemory).toBe(199);
    const r = feasible(replicaCapacity(cfg, open, { ...rag, prefixCache: pc(0, 0.2, 400_000) }));
    expect(r.maxBatchMemory).toBe(159);
    expect(r.limitedBy).toBe('memory');
    expect(r.batch).toBe(159);
  });

  it('a reserve that leaves no room for one sequence is an answer with the field and the fix', () => {
    // 0.9 of 54.94e9 reserved leaves 5.494e9 B = 41,916 tokens: one 60,000-token context does not fit
    const r = replicaCapacity(cfg, open, { inputTokens: 59000, outputTokens: 2000, engineEfficiency: 1, prefixCache: pc(0.5, 0.9, 1000) });
    expect(r.feasible).toBe(false);
    if (!r.feasible) expect(r.reason).toBe('self_hosted.prefix_cache.reserve_fraction 0.9 leaves too little KV memory for one sequence at context 60000: lower the reserve, or use a larger tp or an fp8 KV cache');
  });
});

describe('prefix cache: the prefill saved', () => {
  // batch held at 64; n_in/n_out = 10, so a step carries p = 64 × (1 − h) × 10 prompt tokens at
  // attention span 2000 × (1 + h): h = 0 → 640 at 2000, h = 0.5 → 320 at 3000, h = 0.25 → 480 at 2500
  it('at equal batch the step carries (1 − h)·B·n_in/n_out prompt tokens over span n_in·(1 + h), as whole prefilled prompts', () => {
    for (const h of [0.25, 0.5]) {
      const c = feasible(replicaCapacity(cfg, at64, { ...rag, prefixCache: pc(h) }));
      expect(c.batch).toBe(64);
      expect(c.chunkTokens).toBeCloseTo(640 * (1 - h), 9);
      // 640·(1 − h) tokens per step on average come as whole prompts of 2,000·(1 − h): on 32 % of the steps
      const q = 2000 * (1 - h);
      expectRel(c.stepMs, 0.68 * engineStepMs(cfg, at64, 64, 2100, 0, 0) + 0.32 * engineStepMs(cfg, at64, 64, 2100, q, 2000 * (1 + h)), 1e-12);
    }
  });

  it('prefill-bound (compute-bound linear layers): the prompt GEMMs scale by (1 − h), their attention by (1 − h)(1 + h)', () => {
    // A whole prompt (64 + q ≥ 384 rows) makes the linear layers compute-bound, so a prompt step
    // is affine in its tokens q plus attention ∝ q·span: step(q, s) = a + b·q + g·q·s; 32 % of the
    // steps carry one (640·(1 − h) tokens per step on average, prompts of 2,000·(1 − h)), the rest
    // are decode-only (d). b and g from three steps without a cache; at h = 0.5 the GEMM/activation
    // part b·640 halves and the attention part g·640·2000 becomes g·320·3000 = 0.75 of it.
    const f = (p: number, s: number) => engineStepMs(cfg, at64, 64, 2100, p, s);
    const g = (f(1000, 4000) - f(1000, 2000)) / (1000 * 2000);
    const b = (f(2000, 2000) - f(1000, 2000)) / 1000 - g * 2000;
    const a = f(2000, 2000) - b * 2000 - g * 2000 * 2000;
    const d = f(0, 0);
    const none = feasible(replicaCapacity(cfg, at64, rag));
    const half = feasible(replicaCapacity(cfg, at64, { ...rag, prefixCache: pc(0.5) }));
    expectRel(none.stepMs, 0.68 * d + 0.32 * a + b * 640 + g * 640 * 2000, 1e-9);
    expectRel(half.stepMs, 0.68 * d + 0.32 * a + 0.5 * (b * 640) + 0.75 * (g * 640 * 2000), 1e-9);
    expect(b).toBeGreaterThan(0);
    expect(g).toBeGreaterThan(0);
    // the request rate is B / (n_out × step): it rises by the step's ratio
    expectRel(half.requestsPerS / none.requestsPerS, none.stepMs / half.stepMs, 1e-12);
  });

  it('TTFT: one chunk of (1 − h)·n_in tokens (budget 1e6 − 64 holds the prompt)', () => {
    const c = feasible(replicaCapacity(cfg, at64, { ...rag, prefixCache: pc(0.5) }));
    expectRel(c.ttftPrefillS * 1e3, engineStepMs(cfg, at64, 64, 2100, 1000, 3000), 1e-12);
    const none = feasible(replicaCapacity(cfg, at64, rag));
    expect(c.ttftPrefillS).toBeLessThan(none.ttftPrefillS);
  });

  it('a TTFT target one prompt cannot meet without the cache can be met with it', () => {
    const ttft = { inputTokens: 60000, outputTokens: 200, engineEfficiency: 1, tpotMs: 60 };
    const e: EngineCaps = { ...open, tokenBudget: 8192, maxSeqs: 256 };
    const none = feasible(replicaCapacity(cfg, e, ttft));
    const hit = feasible(replicaCapacity(cfg, e, { ...ttft, prefixCache: pc(0.9) }));
    const target = (none.ttftPrefillS + hit.ttftPrefillS) * 500; // ms, between the two
    expect(ttftUtilisation(cfg, e, ttft, none, target).feasible).toBe(false);
    expect(ttftUtilisation(cfg, e, { ...ttft, prefixCache: pc(0.9) }, hit, target).feasible).toBe(true);
  });
});

describe('prefix cache: properties', () => {
  it('more hit rate never lowers capacity at equal reserve', () => {
    const engines: EngineCaps[] = [open, at64, { ...open, tokenBudget: 8192, maxSeqs: 256 }, { ...open, tokenBudget: 2048, maxSeqs: 128, kvReservation: 'max' }];
    fc.assert(
      fc.property(
        fc.integer({ min: 64, max: 16000 }),
        fc.integer({ min: 16, max: 2000 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 0.5, noNaN: true }),
        fc.constantFrom(...engines),
        fc.constantFrom<number | undefined>(undefined, 30, 80),
        (nIn, nOut, h1, h2, reserve, e, tpotMs) => {
          const [lo, hi] = h1 <= h2 ? [h1, h2] : [h2, h1];
          const w = { inputTokens: nIn, outputTokens: nOut, engineEfficiency: 1, tpotMs };
          const a = replicaCapacity(cfg, e, { ...w, prefixCache: pc(lo, reserve, 200_000) });
          const b = replicaCapacity(cfg, e, { ...w, prefixCache: pc(hi, reserve, 200_000) });
          if (!a.feasible) return; // more hit never makes a feasible case infeasible (checked below)
          expect(b.feasible).toBe(true);
          if (b.feasible) {
            expect(b.requestsPerS).toBeGreaterThanOrEqual(a.requestsPerS * (1 - 1e-12));
            expect(b.ttftPrefillS).toBeLessThanOrEqual(a.ttftPrefillS * (1 + 1e-12));
          }
        },
      ),
      { numRuns: 150, seed: 15 },
    );
  });
});
