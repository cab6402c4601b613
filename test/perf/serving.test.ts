/**
 * The request-level simulation against the hourly steady-state capacity and TTFT estimate
 * (cheap sizes: a few hundred requests). docs/perf.md publishes the full table
 * (bench/request-sim.ts).
 */
import { describe, expect, it } from 'vitest';
import seedrandom from 'seedrandom';
import fc from 'fast-check';
import { engineStepMs, probabilityOfWait, replicaCapacity, simulateRequests, singleServerWait, ttftAt, ttftUtilisation, type EngineCaps, type PerfConfig } from '../../src/perf/index.js';
import { expectRel, h100, models } from './helpers.js';

const cfg: PerfConfig = { hardware: h100(), model: models()['llama-3.1-8b']!, weights: 'bf16', kvCache: 'bf16', tp: 1 };
const vllmLike: EngineCaps = { id: 'vllm-like', maxSeqs: 256, tokenBudget: 8192, schedulerS: 0.0005, kernelEfficiency: 1, kvReservation: 'mean' };
const w = { inputTokens: 1000, outputTokens: 100, engineEfficiency: 1 };
const cap = replicaCapacity(cfg, vllmLike, w);
if (!cap.feasible) throw new Error(cap.reason);
const sim = (u: number, seed: string, requests = 600) =>
  simulateRequests({ cfg, engine: vllmLike, inputTokens: 1000, outputTokens: 100, ratePerS: cap.requestsPerS * u, arrivalCv: 1, requests, warmup: 100, random: seedrandom(seed) });

describe('single-server wait (Kingman) by hand', () => {
  it('rho 0.5, service 1 s, Poisson arrivals, fixed service: mean 0.5 s, p50 0, p90 ln 5 s', () => {
    // Wq = 0.5/(1-0.5) × (1+0)/2 × 1 = 0.5; waits with probability 0.5, then Exp(mean 1):
    // P(W > t) = 0.5·e^(-t) = 0.1 → t = ln 5 = 1.609
    const q = singleServerWait(0.5, 1, 1, 0);
    expectRel(q.meanS, 0.5, 1e-12);
    expect(q.p50S).toBe(0);
    expectRel(q.p90S, Math.log(5), 1e-12);
    expect(singleServerWait(1, 1, 1, 0).meanS).toBe(Infinity);
  });
});

describe('bursty arrivals: probability of waiting (GI/M/1 with Gamma inter-arrivals) by hand', () => {
  it('Poisson (ca² = 1) waits with probability rho exactly, so Poisson results do not move', () => {
    expect(probabilityOfWait(0.3, 1)).toBe(0.3);
    expect(singleServerWait(0.5, 1, 1, 0)).toEqual({ meanS: 0.5, p50S: 0, p90S: 0.5 * 2 * Math.log(5) });
  });

  it('ca² = 4 (inter-arrival CV 2), rho 0.3: σ = 0.647; mean wait σ/(1-σ)·(4+0)/(4+1)·s', () => {
    // σ = (1 + (1-σ)/(k·rho))^(-k), k = 1/4: σ = 0.647 → (1 + 0.353/0.075)^(-0.25) = 5.707^(-0.25) = 0.6470
    const s = probabilityOfWait(0.3, 4);
    expectRel(s, 0.647, 1e-3);
    expectRel(s, Math.pow(1 + (1 - s) / (0.25 * 0.3), -0.25), 1e-12);
    // mean = 0.647/0.353 × 4/5 × 1 s = 1.466 s; P(W > t) = σ·e^(-tσ/mean): p50 = (mean/σ)·ln(σ/0.5)
    const q = singleServerWait(0.3, 1, 4, 0);
    expectRel(q.meanS, (s / (1 - s)) * 0.8, 1e-12);
    expectRel(q.p50S, (q.meanS / s) * Math.log(s / 0.5), 1e-12);
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
  });

  it('at saturation it reaches the steady-state capacity within 10 %', () => {
    const r = simulateRequests({ cfg, engine: vllmLike, inputTokens: 1000, outputTokens: 100, ratePerS: cap.requestsPerS * 3, arrivalCv: 1, requests: 1500, warmup: 500, random: seedrandom('sat') });
    expectRel(r.outputTokensPerS, cap.outputTokensPerS, 0.1);
  });

  it('Poisson arrivals at 50 %: the hourly TTFT estimate is within 35 % of the simulated p50 and p90', () => {
    const r = sim(0.5, 'p50');
    const h = ttftAt(cfg, vllmLike, w, cap, 0.5);
    expectRel(h.p50S, r.ttftP50S, 0.35);
    expectRel(h.p90S, r.ttftP90S, 0.35);
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
