/**
 * The request-level simulation against the hourly steady-state capacity and TTFT estimate
 * (cheap sizes: a few hundred requests). docs/perf.md publishes the full table
 * (bench/request-sim.ts).
 */
import { describe, expect, it } from 'vitest';
import seedrandom from 'seedrandom';
import { engineStepMs, replicaCapacity, simulateRequests, singleServerWait, ttftAt, ttftUtilisation, type EngineCaps, type PerfConfig } from '../../src/perf/index.js';
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
