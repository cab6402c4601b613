/**
 * A request-level discrete-event simulation of one replica under a continuous-batching engine:
 * the check on the hourly steady-state capacity (capacity.ts) and the M/G/c TTFT estimate
 * (queue.ts). Used by tests and by docs/perf.md's error table; never on the Monte Carlo path.
 *
 * Each engine step (vLLM V1 / TensorRT-LLM in-flight batching, chunked prefill):
 *   1. admit waiting requests in arrival order while the running set is under the engine's
 *      max sequences and its KV fits (`mean`: the tokens each holds now + the new prompt;
 *      `max`: prompt + output reserved per request);
 *   2. every running request past its prompt decodes one token; the token budget left after
 *      those rows goes to prompt chunks in admission order;
 *   3. the step takes engineStepMs(decode rows at their mean context, chunk tokens) — the same
 *      step rule as the steady-state model; a prompt's last chunk yields its first token.
 * Arrivals: Poisson, or bursty (a Gamma renewal process with the given coefficient of
 * variation of inter-arrival times; cv > 1 clusters arrivals).
 *
 * Cost: O(steps × running requests); steps ≈ requests · n_out / B. Randomness is passed in.
 */
import type { PerfConfig } from './model.js';
import { kvBytesPerTokenReplica, stepInputs, stepParts, usableBytes, weightBytes } from './model.js';
import type { EngineCaps } from './capacity.js';
import { standardGamma } from '../distributions/index.js';

export interface RequestSimInput {
  cfg: PerfConfig;
  engine: EngineCaps;
  inputTokens: number;
  outputTokens: number;
  /** mean arrivals per second */
  ratePerS: number;
  /** inter-arrival coefficient of variation: 1 = Poisson, > 1 bursty */
  arrivalCv: number;
  /** requests to simulate; the first `warmup` are not measured */
  requests: number;
  warmup: number;
  /** uniform [0, 1) source (seeded by the caller) */
  random: () => number;
}

export interface RequestSimResult {
  /** output tokens per second over the measured requests' span */
  outputTokensPerS: number;
  ttftP50S: number;
  ttftP90S: number;
  ttftMeanS: number;
  /** mean time per output token after the first, seconds */
  tpotMeanS: number;
  meanBatch: number;
  steps: number;
}

/** Inter-arrival time with mean 1/rate and the given CV (Gamma shape 1/cv²; cv 1 = exponential). */
function interArrival(rate: number, cv: number, random: () => number): number {
  const k = 1 / (cv * cv);
  return standardGamma(k, random) / (k * rate);
}

function quantileSorted(xs: Float64Array, p: number): number {
  const h = (xs.length - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(xs.length - 1, lo + 1);
  return xs[lo]! + (h - lo) * (xs[hi]! - xs[lo]!);
}

/** Run the simulation (see the module comment). */
export function simulateRequests(s: RequestSimInput): RequestSimResult {
  const { cfg, engine, inputTokens: nIn, outputTokens: nOut } = s;
  const sh = stepInputs(cfg);
  const kvTok = kvBytesPerTokenReplica(cfg.model, cfg.kvCache, cfg.tp);
  const kvCapacity = Math.floor((usableBytes(cfg.hardware, cfg.tp) - weightBytes(cfg.model, cfg.weights)) / kvTok);
  const n = s.requests;
  const arrival = new Float64Array(n);
  let t = 0;
  for (let i = 0; i < n; i++) {
    t += interArrival(s.ratePerS, s.arrivalCv, s.random);
    arrival[i] = t;
  }
  const firstToken = new Float64Array(n).fill(NaN);
  const finish = new Float64Array(n).fill(NaN);
  const prefilled = new Float64Array(n);
  const decoded = new Float64Array(n);
  let running: number[] = [];
  let next = 0;
  let now = 0;
  let held = 0; // KV tokens held (mean) or reserved (max) by running requests
  let steps = 0;
  let batchSum = 0;
  let done = 0;
  const reserve = (i: number): number => (engine.kvReservation === 'max' ? nIn + nOut : prefilled[i]! + decoded[i]!);
  while (done < n) {
    if (running.length === 0 && next < n && arrival[next]! > now) now = arrival[next]!;
    // admit in arrival order
    while (next < n && arrival[next]! <= now && running.length < engine.maxSeqs) {
      const need = engine.kvReservation === 'max' ? nIn + nOut : nIn;
      if (held + need > kvCapacity && running.length > 0) break;
      running.push(next);
      held += engine.kvReservation === 'max' ? need : 0;
      next++;
    }
    // decode rows and prompt chunks
    let rows = 0;
    let ctxSum = 0;
    for (const i of running) {
      if (prefilled[i]! >= nIn) {
        rows++;
        ctxSum += nIn + decoded[i]!;
      }
    }
    let room = Math.max(0, engine.tokenBudget - rows);
    let chunk = 0;
    const chunked: [number, number][] = [];
    for (const i of running) {
      if (room <= 0) break;
      const left = nIn - prefilled[i]!;
      if (left <= 0) continue;
      const take = Math.min(left, room);
      chunked.push([i, take]);
      room -= take;
      chunk += take;
    }
    const ctx = rows > 0 ? ctxSum / rows : 0;
    const stepS = stepParts(sh, rows, ctx, chunk, nIn).step / engine.kernelEfficiency + engine.schedulerS;
    now += stepS;
    steps++;
    batchSum += rows;
    const still: number[] = [];
    for (const i of running) {
      if (prefilled[i]! >= nIn) {
        decoded[i] = decoded[i]! + 1;
        if (decoded[i]! >= nOut) {
          finish[i] = now;
          done++;
          continue;
        }
      }
      still.push(i);
    }
    for (const [i, take] of chunked) {
      prefilled[i] = prefilled[i]! + take;
      if (prefilled[i]! >= nIn) {
        firstToken[i] = now;
        decoded[i] = 1; // the last chunk samples the first token
        if (nOut <= 1) {
          finish[i] = now;
          done++;
        }
      }
    }
    running = still.filter((i) => Number.isNaN(finish[i]!));
    if (engine.kvReservation === 'max') held = running.length * (nIn + nOut);
    else {
      held = 0;
      for (const i of running) held += reserve(i);
    }
  }
  const m = n - s.warmup;
  const ttft = new Float64Array(m);
  let tpotSum = 0;
  let tMin = Infinity;
  let tMax = 0;
  for (let k = 0; k < m; k++) {
    const i = s.warmup + k;
    ttft[k] = firstToken[i]! - arrival[i]!;
    if (nOut > 1) tpotSum += (finish[i]! - firstToken[i]!) / (nOut - 1);
    tMin = Math.min(tMin, firstToken[i]!);
    tMax = Math.max(tMax, finish[i]!);
  }
  const mean = ttft.reduce((a, b) => a + b, 0) / m;
  ttft.sort();
  return {
    outputTokensPerS: (m * nOut) / (tMax - tMin),
    ttftP50S: quantileSorted(ttft, 0.5),
    ttftP90S: quantileSorted(ttft, 0.9),
    ttftMeanS: mean,
    tpotMeanS: tpotSum / m,
    meanBatch: batchSum / steps,
    steps,
  };
}
