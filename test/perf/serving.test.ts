/**
 * The request-level simulation against the hourly steady-state capacity and TTFT estimate
 * (cheap sizes: a few hundred requests). docs/perf.md publishes the full table
 * (bench/request-sim.ts).
 */
import { describe, expect, it } from 'vitest';
import seedrandom from 'seedrandom';
import fc from 'fast-check';
import { engineStepMs, probabilityOfWait, replicaCapacity, othersInWindow, renewalCount, sharedWork, simulateRequests, slotWait, sumOfWaitsQuantile, ttftAt, ttftUtilisation, type EngineCaps, type PerfConfig } from '../../src/perf/index.js';
import { expectRel, h100, models } from './helpers.js';

const cfg: PerfConfig = { hardware: h100(), model: models()['llama-3.1-8b']!, weights: 'bf16', kvCache: 'bf16', tp: 1 };
const vllmLike: EngineCaps = { id: 'vllm-like', maxSeqs: 256, tokenBudget: 8192, schedulerS: 0.0005, kernelEfficiency: 1, kvReservation: 'mean' };
const w = { inputTokens: 1000, outputTokens: 100, engineEfficiency: 1 };
const cap = replicaCapacity(cfg, vllmLike, w);
if (!cap.feasible) throw new Error(cap.reason);
const sim = (u: number, seed: string, requests = 600) =>
  simulateRequests({ cfg, engine: vllmLike, inputTokens: 1000, outputTokens: 100, ratePerS: cap.requestsPerS * u, arrivalCv: 1, requests, warmup: 100, random: seedrandom(seed) });

describe('bursty arrivals: probability of waiting (GI/M/1 with Gamma inter-arrivals) by hand', () => {
  it('Poisson (ca² = 1) waits with probability rho exactly, so Poisson results do not move', () => {
    expect(probabilityOfWait(0.3, 1)).toBe(0.3);
  });

  it('ca² = 4 (inter-arrival CV 2), rho 0.3: σ = 0.647', () => {
    // σ = (1 + (1-σ)/(k·rho))^(-k), k = 1/4: σ = 0.647 → (1 + 0.353/0.075)^(-0.25) = 5.707^(-0.25) = 0.6470
    const s = probabilityOfWait(0.3, 4);
    expectRel(s, 0.647, 1e-3);
    expectRel(s, Math.pow(1 + (1 - s) / (0.25 * 0.3), -0.25), 1e-12);
    // ca² = 1/2 (smoother than Poisson), rho 0.5, k = 2: σ = (1 + (1-σ))^(-2) → σ = (3-√5)/2 = 0.382
    expectRel(probabilityOfWait(0.5, 0.5), (3 - Math.sqrt(5)) / 2, 1e-9);
  });

  it('σ lies in (0, 1) and grows with the burstiness ca² and with rho', () => {
    fc.assert(
      fc.property(fc.double({ min: 0.01, max: 0.97, noNaN: true }), fc.double({ min: 0.25, max: 8, noNaN: true }), fc.double({ min: 1.05, max: 2, noNaN: true }), (rho, ca2, f) => {
        const s = probabilityOfWait(rho, ca2);
        expect(s).toBeGreaterThan(0);
        expect(s).toBeLessThan(1);
        expect(probabilityOfWait(rho, ca2 * f)).toBeGreaterThanOrEqual(s - 1e-12);
        expect(probabilityOfWait(Math.min(0.98, rho * f), ca2)).toBeGreaterThanOrEqual(s - 1e-12);
      }),
      { numRuns: 60 },
    );
  });

  it('the TTFT bound under bursty arrivals allows less utilisation than under Poisson arrivals', () => {
    const alone = ttftAt(cfg, vllmLike, w, cap, 0).meanS * 1e3;
    const poisson = ttftUtilisation(cfg, vllmLike, w, cap, alone * 1.5);
    const bursty = ttftUtilisation(cfg, vllmLike, w, cap, alone * 1.5, 4);
    if (!poisson.feasible || !bursty.feasible) throw new Error('infeasible');
    expect(bursty.maxUtilisation).toBeLessThan(poisson.maxUtilisation);
    expect(ttftAt(cfg, vllmLike, w, cap, bursty.maxUtilisation, 4).meanS * 1e3).toBeLessThanOrEqual(alone * 1.5);
    expect(ttftUtilisation(cfg, vllmLike, w, cap, alone * 1.5, 1)).toEqual(poisson);
  });
});

describe('request-level simulation of continuous batching', () => {
  it('is deterministic for a seed and differs between seeds', () => {
    expect(sim(0.5, 'a', 300)).toEqual(sim(0.5, 'a', 300));
    expect(sim(0.5, 'a', 300).ttftP90S).not.toBe(sim(0.5, 'b', 300).ttftP90S);
  });

  it('an isolated request: TTFT = one step of its 1,000-token prompt, TPOT = a batch-1 step', () => {
    const r = simulateRequests({ cfg, engine: vllmLike, inputTokens: 1000, outputTokens: 100, ratePerS: 1e-3, arrivalCv: 1, requests: 5, warmup: 0, random: seedrandom('iso') });
    expectRel(r.ttftP50S * 1e3, engineStepMs(cfg, vllmLike, 0, 0, 1000, 1000), 1e-9);
    // decode steps at context 1,000 + k: the mean over the output is within 1 % of the step at the mean context
    expectRel(r.tpotMeanS * 1e3, engineStepMs(cfg, vllmLike, 1, 1050, 0, 0), 0.01);
    // alone: its prompt step carries only itself, and nothing made it wait
    expect(r.meanStepPrompts).toBe(1);
    expect(r.fullShare + r.budgetShare).toBe(0);
  });

  it('the waits split: arrivals the engine could not take for its max sequences or KV (full) and those that only waited for budget add up to those that waited', () => {
    // 4 sequences and a budget of 2 prompts per step: at 1.5× capacity both kinds of wait occur
    const tight: EngineCaps = { ...vllmLike, maxSeqs: 4, tokenBudget: 2004 };
    const c = replicaCapacity(cfg, tight, w);
    if (!c.feasible) throw new Error(c.reason);
    const r = simulateRequests({ cfg, engine: tight, inputTokens: 1000, outputTokens: 100, ratePerS: c.requestsPerS * 1.2, arrivalCv: 2, requests: 800, warmup: 100, random: seedrandom('split') });
    expect(r.fullShare).toBeGreaterThan(0);
    expectRel(r.fullShare + r.budgetShare, r.blockedShare, 1e-12);
    expectRel(r.fullShare * r.fullWaitS + r.budgetShare * r.budgetWaitS, r.blockedShare * r.blockedWaitS, 1e-9);
    expect(r.meanStepPrompts).toBeGreaterThanOrEqual(1);
    expect(r.meanStepPrompts).toBeLessThanOrEqual(2); // the budget holds 2 whole prompts
    expect(r.meanLandingStepS).toBeGreaterThan(0);
  });

  it('at saturation it reaches the steady-state capacity within 5 % (throughput over the arrival window, the queue never empty)', () => {
    const r = simulateRequests({ cfg, engine: vllmLike, inputTokens: 1000, outputTokens: 100, ratePerS: cap.requestsPerS * 1.5, arrivalCv: 1, requests: 6000, warmup: 2000, random: seedrandom('sat') });
    expectRel(r.outputTokensPerS, cap.outputTokensPerS, 0.05);
    expect(r.meanRunning).toBeLessThanOrEqual(vllmLike.maxSeqs);
  });

  it('whole-prompt chunks: a 70B model whose prompt steps are compute-bound reaches the steady-state capacity within 5 % at saturation', () => {
    const cfg70: PerfConfig = { hardware: h100(), model: models()['llama-3.1-70b']!, weights: 'fp8', kvCache: 'fp8', tp: 2 };
    const trtLike: EngineCaps = { id: 'trt-like', maxSeqs: 2048, tokenBudget: 8192, schedulerS: 0, kernelEfficiency: 1, kvReservation: 'max' };
    const c70 = replicaCapacity(cfg70, trtLike, { inputTokens: 2000, outputTokens: 300, engineEfficiency: 1 });
    if (!c70.feasible) throw new Error(c70.reason);
    const r = simulateRequests({ cfg: cfg70, engine: trtLike, inputTokens: 2000, outputTokens: 300, ratePerS: c70.requestsPerS * 1.5, arrivalCv: 1, requests: 3000, warmup: 1000, random: seedrandom('sat70') });
    expectRel(r.outputTokensPerS, c70.outputTokensPerS, 0.05);
  });

  it('Poisson arrivals at 50 % and 85 %: the hourly TTFT estimate is within 20 % of the simulated mean, p50 and p90 (25 % at 85 %: 1,500 requests)', () => {
    for (const [u, tol] of [[0.5, 0.2], [0.85, 0.25]] as const) {
      const r = sim(u, `p50-${u}`, 1500);
      const h = ttftAt(cfg, vllmLike, w, cap, u);
      expectRel(h.meanS, r.ttftMeanS, tol);
      expectRel(h.p50S, r.ttftP50S, tol);
      expectRel(h.p90S, r.ttftP90S, tol);
    }
  });

  it('a 70B model with whole-prompt KV reservation (2×H100, 2,000/300): Poisson TTFT mean, p50 and p90 within 20 % at 30-70 %', () => {
    const cfg70: PerfConfig = { hardware: h100(), model: models()['llama-3.1-70b']!, weights: 'fp8', kvCache: 'fp8', tp: 2 };
    const trtLike: EngineCaps = { id: 'trt-like', maxSeqs: 2048, tokenBudget: 8192, schedulerS: 0, kernelEfficiency: 1, kvReservation: 'max' };
    const w70 = { inputTokens: 2000, outputTokens: 300, engineEfficiency: 1 };
    const cap70 = replicaCapacity(cfg70, trtLike, w70);
    if (!cap70.feasible) throw new Error(cap70.reason);
    for (const u of [0.3, 0.5, 0.7]) {
      const r = simulateRequests({ cfg: cfg70, engine: trtLike, inputTokens: 2000, outputTokens: 300, ratePerS: cap70.requestsPerS * u, arrivalCv: 1, requests: 1500, warmup: 100, random: seedrandom(`t70-${u}`) });
      const h = ttftAt(cfg70, trtLike, w70, cap70, u);
      expectRel(h.meanS, r.ttftMeanS, 0.2);
      expectRel(h.p50S, r.ttftP50S, 0.2);
      expectRel(h.p90S, r.ttftP90S, 0.2);
    }
  });

  it('the TTFT bound: the utilisation it returns meets the target, a little more does not', () => {
    const alone = ttftAt(cfg, vllmLike, w, cap, 0).meanS * 1e3;
    const b = ttftUtilisation(cfg, vllmLike, w, cap, alone * 1.5);
    if (!b.feasible) throw new Error(b.reason);
    expect(ttftAt(cfg, vllmLike, w, cap, b.maxUtilisation).meanS * 1e3).toBeLessThanOrEqual(alone * 1.5);
    expect(ttftAt(cfg, vllmLike, w, cap, Math.min(0.98, b.maxUtilisation + 0.01)).meanS * 1e3).toBeGreaterThan(alone * 1.5 - 1e-9);
    expect(ttftUtilisation(cfg, vllmLike, w, cap, alone * 0.9)).toEqual({ feasible: false, reason: `TTFT target ${(alone * 0.9).toFixed(0)} ms is below the prefill time alone (${alone.toFixed(0)} ms)` });
  });
});

describe('TTFT under chunked prefill: a gated batch service, by hand', () => {
  const ctx = 1000 + 100 / 2;
  const step = (rows: number, chunk: number): number => engineStepMs(cfg, vllmLike, rows, ctx, chunk, 1000) / 1e3;
  const B = cap.batch;
  const d0 = step(0, 0);
  const dB = step(B, 0);
  // the 1,000-token prompt fits the budget left beside any row count (8,192 − 256 ≥ 1,000): one step
  const pre = (rows: number): number => step(rows, 1000);
  const work = (rows: number): number => pre(rows) - step(rows, 0);
  // one more prompt in the same step: 2,000 tokens fit beside any row count (8,192 − 256 ≥ 2,000)
  const more = (rows: number): number => step(rows, 2000) - step(rows, 1000);
  const between = (f: (rows: number) => number, b: number): number => f(0) + ((f(B) - f(0)) * b) / B;

  /**
   * Busy rows by Little at arrival rate λ: b = λ·n_out·d(b)/(1 − λ·w(b)), the step d and the
   * prompt work w linear in b between 0 and B rows; 3 passes from b = u·B. Returns b and w(b).
   */
  const busyRows = (u: number, lam: number, k: number): { b: number; wk: number } => {
    let b = u * B;
    let wk = 0;
    for (let i = 0; i < 3; i++) {
      wk = work(0) + ((work(B) - work(0)) * b) / B;
      b = (lam * 100 * d0) / (1 - lam * wk - lam * 100 * k);
    }
    return { b, wk };
  };

  it('u = 0: the prompt alone, one step of 1,000 tokens, no wait', () => {
    const h = ttftAt(cfg, vllmLike, w, cap, 0);
    expectRel(h.meanS, pre(0), 1e-12);
    expect(h.p50S).toBe(h.meanS);
    expect(h.p90S).toBe(h.meanS);
  });

  it('u = 0.5: rows by Little, the residual step, the prompts sharing the step and the slot wait add up to the mean', () => {
    const u = 0.5;
    const lam = u * cap.requestsPerS;
    const k = (dB - d0) / B;
    const { b, wk } = busyRows(u, lam, k);
    // Little holds at the fixed point (to the last pass's change in w)
    expectRel(b, (lam * 100 * (d0 + k * b)) / (1 - lam * wk), 1e-3);
    expect(b).toBeLessThan(u * B); // fewer rows than u·B: steps are shorter at fewer rows
    const rho = lam * wk;
    const meanStep = (d0 + k * b) / (1 - rho);
    const lb = meanStep + (wk * wk * lam) / (1 - rho * rho); // E[T] + Var T / E[T], Var T = w²·λ·E[T]/(1 − ρ²)
    const prefill = pre(0) + ((pre(B) - pre(0)) * b) / B;
    const residual = ((1 - Math.exp(-b)) * lb) / 2;
    // Poisson: λ·E_lb[T] others in the window, each adding one more prompt's work to the step (the step is
    // convex in its prompt tokens: the second prompt costs more than the first, which partly rides under
    // the weight read); the budget holds (8,192 − b)/1,000 prompts, far above the 0.1 others here
    expect(more(0)).toBeGreaterThan(work(0));
    expect(lam * lb).toBeLessThan((8192 - b) / 1000 - 1);
    const shared = between(more, b) * lam * lb;
    const sw = slotWait({ slots: B, lambda: lam, meanRows: b, x: (lam * 100 * k) / (1 - rho), fullRate: cap.requestsPerS, promptShare: rho, ca2: 1 });
    if (sw === null) throw new Error('saturated');
    const slot = sw.probability * sw.meanS;
    const h = ttftAt(cfg, vllmLike, w, cap, u);
    expectRel(h.meanS, prefill + residual + shared + slot, 1e-9);
  });

  it('u = 0.5, bursty (ca² = 4): the landing step carries the clump-mates, the window counts renewals, clumps find the slots full more often', () => {
    const u = 0.5;
    const ca2 = 4;
    const lam = u * cap.requestsPerS;
    const k = (dB - d0) / B;
    const { b, wk } = busyRows(u, lam, k);
    const rho = lam * wk;
    const meanStep = (d0 + k * b) / (1 - rho);
    const lbPoisson = meanStep + (ca2 * wk * wk * lam) / (1 - rho * rho); // Var T = ca²·w²·λ·E[T]/(1 − ρ²)
    // + w × the clump-mates that came during the step before, beyond λ·T: M(1.5T) − M(0.5T) − λT
    const lb = lbPoisson + wk * (renewalCount(lam, ca2, 1.5 * lbPoisson) - renewalCount(lam, ca2, 0.5 * lbPoisson) - lam * lbPoisson);
    expect(lb).toBeGreaterThan(lbPoisson);
    const prefill = pre(0) + ((pre(B) - pre(0)) * b) / B;
    const residual = ((1 - Math.exp(-b)) * lb) / 2;
    // the others per kind of landing step: decode-only (d) or prompt-carrying (L = d + (E_lb − d)/q), q the
    // GI/M/1 map of the time share in prompt steps τ = ρ + λ·d/ν, ν = (L − d)/w prompts per such step (2 passes)
    const d = d0 + k * b;
    let q = probabilityOfWait(rho + lam * d, ca2);
    for (let i = 0; i < 2; i++) q = probabilityOfWait(rho + (lam * d) / Math.max(1, (lb - d) / q / wk), ca2);
    const L = d + (lb - d) / q;
    expectRel((1 - q) * d + q * L, lb, 1e-12); // the mixture keeps the mean landing step
    const others = (1 - q) * othersInWindow(lam, ca2, d) + q * othersInWindow(lam, ca2, L);
    // the renewal count is concave for clumps: fewer others than at the mean step, more than Poisson's λ·E_lb
    expect(others).toBeLessThan(othersInWindow(lam, ca2, lb));
    expect(others).toBeGreaterThan(lam * lb);
    const shared = between(more, b) * others;
    const sw = slotWait({ slots: B, lambda: lam, meanRows: b, x: (lam * 100 * k) / (1 - rho), fullRate: cap.requestsPerS, promptShare: rho, ca2 });
    if (sw === null) throw new Error('saturated');
    const h = ttftAt(cfg, vllmLike, w, cap, u, ca2);
    expectRel(h.meanS, prefill + residual + shared + sw.probability * sw.meanS, 1e-9);
    expect(h.meanS).toBeGreaterThan(ttftAt(cfg, vllmLike, w, cap, u).meanS);
  });

  it('prompts sharing a step by hand: one more prompt\'s work each, at most the budget\'s whole prompts less the arrival\'s own', () => {
    const base = { moreS: 0.02, workS: 0.015, decodeStepS: 0.01, stepLbS: 0.05, rho: 0.3 };
    // Poisson, λ = 100/s, d = 10 ms, E_lb = 50 ms, w = 15 ms, ρ = 0.3: q = τ = ρ + λ·d/ν, ν = (L − d)/w,
    // L = d + (E_lb − d)/q. From q₀ = 0.3 + 1 = 1.3 → 0.99 (a share): ν = 0.0404/0.015 = 2.694, q₁ = 0.3 + 1/2.694 = 0.6712;
    // ν = 0.0596/0.015 = 3.973, q₂ = 0.3 + 1/3.973 = 0.5517; L = 0.01 + 0.04/0.5517 = 0.0825 s
    let q = 0.99;
    for (let i = 0; i < 2; i++) q = 0.3 + 1 / ((0.04 / q) / 0.015);
    expectRel(q, 0.5517, 1e-3);
    const L = 0.01 + 0.04 / q;
    // cap slack (10 per step, 9 others ≥ λL): (1 − q)·λd + q·λL = λ·E_lb = 5 others × 20 ms = 0.1 s
    expectRel(sharedWork({ ...base, perStep: 10 }, 100, 1), 0.1, 1e-12);
    // 3.5 per step: the long steps' 8.25 others are cut to 2.5 (the rest wait for the next step); the short steps' 1 is not
    expectRel(100 * L, 8.25, 1e-3);
    expectRel(sharedWork({ ...base, perStep: 3.5 }, 100, 1), 0.02 * ((1 - q) * 1 + q * 2.5), 1e-12);
    // under 2 whole prompts per step (a prompt that fills most of a step): the count is not capped
    expectRel(sharedWork({ ...base, perStep: 1.5 }, 100, 1), 0.1, 1e-12);
    expect(sharedWork({ ...base, perStep: 10 }, 0, 4)).toBe(0);
    // ca² → 1: the renewal count tends to λ·x, so the answer tends to Poisson's (continuity at ca² = 1)
    expectRel(sharedWork({ ...base, perStep: 10 }, 100, 1 + 1e-9), 0.1, 1e-6);
  });

  it('property: clumped arrivals share steps with no fewer others than Poisson ones, and no more than the renewal count at the mean landing step (concave)', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.1, max: 100, noNaN: true }),
        fc.double({ min: 0.001, max: 0.05, noNaN: true }),
        fc.double({ min: 0.001, max: 0.5, noNaN: true }),
        fc.double({ min: 1.5, max: 16, noNaN: true }),
        fc.double({ min: 1.05, max: 8, noNaN: true }),
        (lambda, d, w, perStep, ca2) => {
          const rho = Math.min(0.9, lambda * w);
          const stepLbS = d / (1 - rho) + w * rho;
          const x = { moreS: w * 1.2, workS: w, decodeStepS: d, stepLbS, perStep, rho };
          const bursty = sharedWork(x, lambda, ca2);
          const room = perStep >= 2 ? perStep - 1 : Infinity;
          expect(bursty).toBeGreaterThanOrEqual(sharedWork(x, lambda, 1) * (1 - 1e-9));
          expect(sharedWork(x, lambda, 1)).toBeLessThanOrEqual(x.moreS * Math.min(room, lambda * stepLbS) * (1 + 1e-9));
          expect(bursty).toBeLessThanOrEqual(x.moreS * Math.min(room, othersInWindow(lambda, ca2, stepLbS)) * (1 + 1e-9));
          expect(Number.isFinite(bursty)).toBe(true);
        },
      ),
      { numRuns: 100 },
    );
  });

  it('property: at the same mean rate, bursty arrivals (ca² = 4) never get a shorter TTFT mean, p50 or p90 than Poisson ones', () => {
    fc.assert(
      fc.property(fc.double({ min: 0.01, max: 0.9, noNaN: true }), (u) => {
        const p = ttftAt(cfg, vllmLike, w, cap, u, 1);
        const b = ttftAt(cfg, vllmLike, w, cap, u, 4);
        expect(b.meanS).toBeGreaterThanOrEqual(p.meanS);
        expect(b.p50S).toBeGreaterThanOrEqual(p.p50S - 1e-12);
        expect(b.p90S).toBeGreaterThanOrEqual(p.p90S - 1e-12);
      }),
      { numRuns: 60 },
    );
  });

  it('mean, p50 and p90 never fall as utilisation rises (Poisson and bursty), p50 ≤ p90, and past saturation the answer is Infinity, never NaN', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 0.97, noNaN: true }), fc.double({ min: 0.001, max: 0.02, noNaN: true }), fc.constantFrom(1, 4), (u, du, ca2) => {
        const a = ttftAt(cfg, vllmLike, w, cap, u, ca2);
        const b = ttftAt(cfg, vllmLike, w, cap, u + du, ca2);
        expect(b.meanS).toBeGreaterThanOrEqual(a.meanS - 1e-12);
        expect(b.p50S).toBeGreaterThanOrEqual(a.p50S - 1e-9);
        expect(b.p90S).toBeGreaterThanOrEqual(a.p90S - 1e-9);
        expect(a.p50S).toBeLessThanOrEqual(a.p90S + 1e-12);
        for (const x of [a.meanS, a.p50S, a.p90S]) expect(Number.isNaN(x)).toBe(false);
      }),
      { numRuns: 40 },
    );
  });

  it('slot wait by hand: rows Gamma with mean b and variance b/(1 − x)·(ca² + 1/(1 − ρ)²)/2, cut at c slots', () => {
    // b = 2, x = 0.5, ρ = 0 (variance 4: Gamma shape 1, scale 2), c = 4, μ_c = 2, λ = 1: σ_c = 0.5,
    // f(4) = e^(−2)/2, F(4) = 1 − e^(−2): P(full) = (e^(−2)/2/0.5) / (1 − e^(−2) + e^(−2)) = e^(−2); wait 1/(2·0.5) = 1 s
    const s = slotWait({ slots: 4, lambda: 1, meanRows: 2, x: 0.5, fullRate: 2, promptShare: 0, ca2: 1 });
    expectRel(s!.probability, Math.exp(-2), 1e-9);
    expectRel(s!.meanS, 1, 1e-12);
    // prompt work ρ = 0.5 with Poisson arrivals: variance × (1/0.25 + 1)/2 = 2.5, so more arrivals find the slots full
    const far = (promptShare: number, ca2: number): number => slotWait({ slots: 12, lambda: 1, meanRows: 4, x: 0.5, fullRate: 2, promptShare, ca2 })!.probability;
    expect(far(0.5, 1)).toBeGreaterThan(far(0, 1));
    expect(far(0, 4)).toBeGreaterThan(far(0, 1));
    // clumped arrivals (ca² = 4) find it full more often than the share of time it is: the GI/M/1 map
    // (probabilityOfWait) of the time share, so the same rows at ca² = 4 with the ca² = 1 variance: P = σ(e^(−2), 4)
    const timeShare = slotWait({ slots: 4, lambda: 1, meanRows: 2, x: 0.5, fullRate: 2, promptShare: 0, ca2: 1 })!.probability;
    expect(timeShare).toBeCloseTo(Math.exp(-2), 12);
    expect(probabilityOfWait(timeShare, 4)).toBeGreaterThan(timeShare);
    // renewal arrivals add their excess count variance (ca² − 1)/2 to the stall term instead of multiplying it:
    // b = 2, x = 0, ρ = 0, ca² = 3: variance 2·(3 + 1)/2 = 4, the same Gamma (shape 1, scale 2) as above, so the time
    // share full is f(4)/(1 − σ_c) / (F(4) + f(4)/(1 − σ_c)) with σ_c = σ(λ/μ_c = 0.5, 3), and arrivals see σ(that, 3)
    const sc = probabilityOfWait(0.5, 3);
    const full = Math.exp(-2) / 2 / (1 - sc) / (1 - Math.exp(-2) + Math.exp(-2) / 2 / (1 - sc));
    const s3 = slotWait({ slots: 4, lambda: 1, meanRows: 2, x: 0, fullRate: 2, promptShare: 0, ca2: 3 })!;
    expectRel(s3.probability, probabilityOfWait(full, 3), 1e-9);
    expectRel(s3.meanS, 1 / (2 * (1 - sc)), 1e-12);
    // with prompt stalls (ρ = 0.5, stall term 4) the bursty excess adds 1.5: (3 + 4)/2, not 3·4/2 + 1/2
    const stalled = (ca2: number): number => slotWait({ slots: 12, lambda: 1, meanRows: 4, x: 0.5, fullRate: 2, promptShare: 0.5, ca2 })!.probability;
    expect(stalled(3)).toBeGreaterThan(stalled(1));
    expect(slotWait({ slots: 4, lambda: 2, meanRows: 2, x: 0.5, fullRate: 2, promptShare: 0, ca2: 1 })).toBeNull();
    expect(slotWait({ slots: 4, lambda: 0, meanRows: 0, x: 0, fullRate: 2, promptShare: 0, ca2: 1 })).toEqual({ probability: 0, meanS: 0 });
  });

  it('quantile of two waits by hand: one alone is a·ln(p/q); two certain equal exponentials solve (1 + t)e^(−t) = q', () => {
    expectRel(sumOfWaitsQuantile({ probability: 0.5, meanS: 2 }, { probability: 0, meanS: 0 }, 0.1), 2 * Math.log(5), 1e-9);
    expectRel(sumOfWaitsQuantile({ probability: 0, meanS: 0 }, { probability: 0.5, meanS: 2 }, 0.1), 2 * Math.log(5), 1e-9);
    const t = sumOfWaitsQuantile({ probability: 1, meanS: 1 }, { probability: 1, meanS: 1 }, 0.5);
    expectRel((1 + t) * Math.exp(-t), 0.5, 1e-9); // t = 1.678
    expect(sumOfWaitsQuantile({ probability: 0.3, meanS: 1 }, { probability: 0.1, meanS: 5 }, 0.5)).toBe(0); // P(any wait) = 0.37 ≤ 0.5
    // a shifted wait: 0.5·e^(−(t − s)/a) = q → t = s + a·ln(0.5/q): s = 0.01, a = 0.02, q = 0.1 → 0.01 + 0.02·ln 5
    expectRel(sumOfWaitsQuantile({ probability: 0.5, meanS: 0.02, shiftS: 0.01 }, { probability: 0, meanS: 0 }, 0.1), 0.01 + 0.02 * Math.log(5), 1e-9);
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0.01, max: 10, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0.01, max: 10, noNaN: true }), (p1, a, p2, b) => {
        const q50 = sumOfWaitsQuantile({ probability: p1, meanS: a }, { probability: p2, meanS: b }, 0.5);
        const q90 = sumOfWaitsQuantile({ probability: p1, meanS: a }, { probability: p2, meanS: b }, 0.1);
        expect(q50).toBeLessThanOrEqual(q90 + 1e-9);
        // the sum exceeds each wait alone
        expect(q90).toBeGreaterThanOrEqual(sumOfWaitsQuantile({ probability: p1, meanS: a }, { probability: 0, meanS: 0 }, 0.1) - 1e-9);
      }),
      { numRuns: 60 },
    );
  });

  it('a compute-bound 70B replica with reserved KV: p50 and p90 never fall as utilisation rises either, and bursty arrivals never wait less than Poisson ones', () => {
    const cfg70: PerfConfig = { hardware: h100(), model: models()['llama-3.1-70b']!, weights: 'fp8', kvCache: 'fp8', tp: 2 };
    const trtLike: EngineCaps = { id: 'trt-like', maxSeqs: 2048, tokenBudget: 8192, schedulerS: 0, kernelEfficiency: 1, kvReservation: 'max' };
    const w70 = { inputTokens: 2000, outputTokens: 300, engineEfficiency: 1 };
    const c70 = replicaCapacity(cfg70, trtLike, w70);
    if (!c70.feasible) throw new Error(c70.reason);
    fc.assert(
      fc.property(fc.double({ min: 0, max: 0.95, noNaN: true }), fc.double({ min: 0.001, max: 0.03, noNaN: true }), fc.constantFrom(1, 4), (u, du, ca2) => {
        const a = ttftAt(cfg70, trtLike, w70, c70, u, ca2);
        const b = ttftAt(cfg70, trtLike, w70, c70, u + du, ca2);
        expect(b.p50S).toBeGreaterThanOrEqual(a.p50S - 1e-9);
        expect(b.p90S).toBeGreaterThanOrEqual(a.p90S - 1e-9);
        expect(a.p50S).toBeLessThanOrEqual(a.p90S + 1e-12);
        const poisson = ttftAt(cfg70, trtLike, w70, c70, u, 1);
        for (const k of ['meanS', 'p50S', 'p90S'] as const) expect(a[k]).toBeGreaterThanOrEqual(poisson[k] - 1e-12);
      }),
      { numRuns: 100 },
    );
  });

  it('renewal function by hand: λt for Poisson; Erlang-2 (ca² = 1/2) λt − (1 − e^(−4λt))/4; more for clumps at short t', () => {
    expect(renewalCount(2, 1, 0.5)).toBe(1);
    // Erlang-2 at rate λ = 2, t = 0.5: 1 − (1 − e^(−4))/4 = 0.75458
    expectRel(renewalCount(2, 0.5, 0.5), 1 - (1 - Math.exp(-4)) / 4, 1e-9);
    // CV 2 (ca² = 4): clumped, so more arrivals follow an arrival closely than λt
    expect(renewalCount(2, 4, 0.05)).toBeGreaterThan(2 * 0.05);
    expect(renewalCount(0, 4, 1)).toBe(0);
  });

  it('others in the window around an arrival: λ·x for Poisson; Erlang-2 by its renewal function; more for bursts', () => {
    expect(othersInWindow(2, 1, 0.5)).toBe(1);
    // Erlang-2 (ca² = 1/2): M(t) = λt − (1 − e^(−4λt))/4, so 2/x·∫M = λx − 1/2 + (1 − e^(−4λx))/(8λx)
    const lam = 2;
    const x = 0.5;
    expectRel(othersInWindow(lam, 0.5, x), lam * x - 0.5 + (1 - Math.exp(-4 * lam * x)) / (8 * lam * x), 5e-3); // the midpoint rule's 8 points: ~0.2 %
    expect(othersInWindow(lam, 4, x)).toBeGreaterThan(lam * x);
    expect(othersInWindow(lam, 0.5, x)).toBeLessThan(lam * x);
    expect(othersInWindow(0, 4, x)).toBe(0);
  });
});
