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
  /** mean decode rows, running requests (decoding or prefilling), prompt tokens and step time per step, over the steps in the throughput window */
  meanBatch: number;
  meanRunning: number;
  meanChunkTokens: number;
  meanStepS: number;
  /** KV tokens held or reserved during a step, as a share of the KV capacity (window mean) */
  meanKvShare: number;
  /** running requests preempted for KV memory (recomputed later; `mean` reservation only) */
  preemptions: number;
  /** share of the measured requests that found the engine full (max sequences, KV or budget) at their first step boundary, and their mean wait for admission, seconds */
  blockedShare: number;
  blockedWaitS: number;
  /** of those: the ones the engine could not take for its max sequences or KV memory (full), and the ones that only waited for the token budget (their clump held more prompts than a step takes); share of measured requests and mean wait, seconds */
  fullShare: number;
  fullWaitS: number;
  budgetShare: number;
  budgetWaitS: number;
  /** mean prompts in the step that yields a measured request's first token (its own included), and the mean length of the step in progress when it arrived (the step an arrival lands in), seconds */
  meanStepPrompts: number;
  meanLandingStepS: number;
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
  const reserveMax = engine.kvReservation === 'max';
  const n = s.requests;
  const arrival = new Float64Array(n);
  let t = 0;
  for (let i = 0; i < n; i++) {
    t += interArrival(s.ratePerS, s.arrivalCv, s.random);
    arrival[i] = t;
  }
  // the throughput window: from the first measured arrival to the last arrival (steady state,
  // before the queue drains; a saturated run keeps its queue full through it)
  const winStart = arrival[Math.min(s.warmup, n - 1)]!;
  const winEnd = arrival[n - 1]!;
  const firstToken = new Float64Array(n).fill(NaN);
  const finish = new Float64Array(n).fill(NaN);
  const admitted = new Float64Array(n);
  /** 0: admitted at the first step boundary after arrival; 1: waited for the token budget; 2: found the engine full (max sequences or KV) */
  const blocked = new Uint8Array(n);
  const stepPrompts = new Float64Array(n);
  const stepStarts: number[] = [];
  /** prompt tokens computed, and the tokens to compute before decoding (n_in; n_in + decoded after a preemption) */
  const prefilled = new Float64Array(n);
  const target = new Float64Array(n).fill(nIn);
  const decoded = new Float64Array(n);
  let running: number[] = [];
  /** preempted requests, resumed before new arrivals (vLLM puts them back at the head of the waiting queue) */
  const resumed: number[] = [];
  let next = 0;
  let now = 0;
  let steps = 0;
  let winSteps = 0;
  let kvSum = 0;
  let batchSum = 0;
  let runningSum = 0;
  let chunkSum = 0;
  let stepSum = 0;
  let preemptions = 0;
  let winTokens = 0;
  let done = 0;
  // KV tokens a running request holds after this step: its whole reservation (max) or the tokens it has computed (mean)
  const heldBy = (i: number): number => (reserveMax ? nIn + nOut : prefilled[i]! + (prefilled[i]! >= target[i]! ? decoded[i]! - (target[i]! - nIn) : 0));
  while (done < n) {
    if (running.length === 0 && resumed.length === 0 && next < n && arrival[next]! > now) now = arrival[next]!;
    // 1. the running requests' tokens this step: a decode row needs one more KV slot, a prompt its chunk
    let held = 0;
    for (const i of running) held += heldBy(i);
    let rows = 0;
    for (const i of running) if (prefilled[i]! >= target[i]!) rows++;
    let room = Math.max(0, engine.tokenBudget - rows);
    // preempt the last admitted while the running set's growth does not fit (vLLM V1 recompute; max: never needed)
    if (!reserveMax) {
      let grow = 0;
      for (const i of running) grow += prefilled[i]! >= target[i]! ? 1 : 0;
      while (running.length > 1 && held + grow > kvCapacity) {
        const v = running.pop()!;
        held -= heldBy(v);
        if (prefilled[v]! >= target[v]!) {
          grow -= 1;
          rows--;
        }
        // recompute: the prompt and the tokens generated so far are prefilled again on resumption
        target[v] = nIn + (Number.isNaN(firstToken[v]!) ? 0 : decoded[v]!);
        prefilled[v] = 0;
        resumed.unshift(v);
        preemptions++;
      }
      room = Math.max(0, engine.tokenBudget - rows);
    }
    // 2. prompt chunks for running requests still in prefill, in admission order
    let chunk = 0;
    const chunked: [number, number][] = [];
    for (const i of running) {
      if (room <= 0) break;
      if (prefilled[i]! >= target[i]!) continue;
      const take = Math.min(target[i]! - prefilled[i]!, room);
      if (!reserveMax && held + rows + chunk + take > kvCapacity) break;
      chunked.push([i, take]);
      room -= take;
      chunk += take;
    }
    // 3. admit waiting requests (resumed first, then arrivals in order) while the caps, the budget and the KV allow
    let full = false;
    for (;;) {
      if (running.length >= engine.maxSeqs) {
        full = true;
        break;
      }
      if (room <= 0) break;
      const fromResumed = resumed.length > 0;
      if (!fromResumed && !(next < n && arrival[next]! <= now)) break;
      const i = fromResumed ? resumed[0]! : next;
      const take = Math.min(target[i]!, room);
      const kv = reserveMax ? nIn + nOut : take;
      if ((reserveMax ? held : held + rows + chunk) + kv > kvCapacity && running.length > 0) {
        full = true;
        break;
      }
      if (fromResumed) resumed.shift();
      else {
        admitted[i] = now;
        next++;
      }
      running.push(i);
      if (reserveMax) held += kv;
      chunked.push([i, take]);
      room -= take;
      chunk += take;
    }
    for (let j = next; j < n && arrival[j]! <= now && blocked[j] === 0; j++) blocked[j] = full ? 2 : 1;
    // 4. the step: decode rows at their mean context plus the prompt chunk
    let ctxSum = 0;
    for (const i of running) if (prefilled[i]! >= target[i]!) ctxSum += nIn + decoded[i]!;
    const ctx = rows > 0 ? ctxSum / rows : 0;
    const stepS = stepParts(sh, rows, ctx, chunk, nIn).step / engine.kernelEfficiency + engine.schedulerS;
    const start = now;
    stepStarts.push(start);
    now += stepS;
    steps++;
    const inWindow = start >= winStart && now <= winEnd;
    if (inWindow) {
      winSteps++;
      batchSum += rows;
      runningSum += running.length;
      chunkSum += chunk;
      stepSum += stepS;
      kvSum += held + (reserveMax ? 0 : rows + chunk);
    }
    let made = 0;
    const still: number[] = [];
    for (const i of running) {
      if (prefilled[i]! >= target[i]!) {
        decoded[i] = decoded[i]! + 1;
        made++;
        if (decoded[i]! >= nOut) {
          finish[i] = now;
          done++;
          continue;
        }
      }
      still.push(i);
    }
    for (const [i, take] of chunked) {
      if (prefilled[i]! + take >= target[i]! && Number.isNaN(firstToken[i]!)) stepPrompts[i] = chunked.length;
      prefilled[i] = prefilled[i]! + take;
      if (prefilled[i]! >= target[i]! && Number.isNaN(firstToken[i]!)) {
        firstToken[i] = now;
        decoded[i] = 1; // the last chunk samples the first token
        made++;
        if (nOut <= 1) {
          finish[i] = now;
          done++;
        }
      }
    }
    if (inWindow) winTokens += made;
    running = still.filter((i) => Number.isNaN(finish[i]!));
  }
  const m = n - s.warmup;
  const ttft = new Float64Array(m);
  let tpotSum = 0;
  for (let k = 0; k < m; k++) {
    const i = s.warmup + k;
    ttft[k] = firstToken[i]! - arrival[i]!;
    if (nOut > 1) tpotSum += (finish[i]! - firstToken[i]!) / (nOut - 1);
  }
  const mean = ttft.reduce((a, b) => a + b, 0) / m;
  // the wait for admission (a slot, KV memory or budget): arrivals that found the engine unable to take them at the next step boundary
  let queued = 0;
  let queuedSum = 0;
  let fullN = 0;
  let fullSum = 0;
  let budgetN = 0;
  let budgetSum = 0;
  let promptsSum = 0;
  let landingSum = 0;
  for (let k = 0; k < m; k++) {
    const i = s.warmup + k;
    const wq = admitted[i]! - arrival[i]!;
    if (blocked[i]! > 0) {
      queued++;
      queuedSum += wq;
    }
    if (blocked[i] === 2) {
      fullN++;
      fullSum += wq;
    } else if (blocked[i] === 1) {
      budgetN++;
      budgetSum += wq;
    }
    promptsSum += stepPrompts[i]!;
    // the step in progress at arrival: the last step that started at or before it (binary search)
    let lo = 0;
    let hi = stepStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (stepStarts[mid]! <= arrival[i]!) lo = mid;
      else hi = mid - 1;
    }
    landingSum += lo + 1 < stepStarts.length && stepStarts[lo]! <= arrival[i]! ? stepStarts[lo + 1]! - stepStarts[lo]! : 0;
  }
  ttft.sort();
  return {
    outputTokensPerS: winTokens / Math.max(1e-12, winEnd - winStart),
    ttftP50S: quantileSorted(ttft, 0.5),
    ttftP90S: quantileSorted(ttft, 0.9),
    ttftMeanS: mean,
    tpotMeanS: tpotSum / m,
    meanBatch: batchSum / Math.max(1, winSteps),
    meanRunning: runningSum / Math.max(1, winSteps),
    meanChunkTokens: chunkSum / Math.max(1, winSteps),
    meanStepS: stepSum / Math.max(1, winSteps),
    meanKvShare: kvSum / Math.max(1, winSteps) / kvCapacity,
    preemptions,
    blockedShare: queued / m,
    blockedWaitS: queued > 0 ? queuedSum / queued : 0,
    fullShare: fullN / m,
    fullWaitS: fullN > 0 ? fullSum / fullN : 0,
    budgetShare: budgetN / m,
    budgetWaitS: budgetN > 0 ? budgetSum / budgetN : 0,
    meanStepPrompts: promptsSum / m,
    meanLandingStepS: landingSum / m,
    steps,
  };
}
