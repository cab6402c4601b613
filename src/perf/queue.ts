/**
 * How hot a replica may run under a TTFT target (issue 4, "latency-aware capacity"). A
 * capacity rule, not a cost: it lives beside the serving capacity it bounds.
 *
 * A replica is a queue with c = batch slots; a request holds a slot for its prefill and its
 * decode (S = n_in/prefill_rate + n_out·t_step). Waiting time for a slot in an M/G/c queue by
 * the Allen–Cunneen approximation with Sakasegawa's probability of waiting:
 *
 *   Lq ≈ ρ^√(2(c+1)) / (1 - ρ) · (ca² + cs²)/2,   Wq = Lq / λ = Lq · S / (c·ρ)
 *
 * (Sakasegawa 1977; Allen 1990). capacity.ts adds it to the chunked prefill and the waits of the gated prompt service (`ttftAt`); the largest ρ with TTFT ≤ target
 * is found by bisection. ca² = 1 (Poisson arrivals), cs² = 0.5 (output lengths vary).
 */

import { gammaP, logGamma } from '../distributions/index.js';

export interface QueueInput {
  /** batch slots per replica */
  slots: number;
  /** seconds a request holds a slot */
  serviceS: number;
  /** seconds of prefill before the first token */
  prefillS: number;
  ttftS: number;
  ca2?: number;
  cs2?: number;
}

export type UtilisationBound = { feasible: true; maxUtilisation: number } | { feasible: false; reason: string };

/** Mean wait for a slot at utilisation rho (seconds). */
export function meanWaitS(q: QueueInput, rho: number): number {
  if (rho <= 0) return 0;
  if (rho >= 1) return Infinity;
  const c = Math.max(1, q.slots);
  const v = ((q.ca2 ?? 1) + (q.cs2 ?? 0.5)) / 2;
  const lq = (Math.pow(rho, Math.sqrt(2 * (c + 1))) / (1 - rho)) * v;
  return (lq * q.serviceS) / (c * rho);
}

/** Largest utilisation (≤ 0.98) meeting the TTFT target. O(40) evaluations. */
export function maxUtilisationForTtft(q: QueueInput): UtilisationBound {
  if (q.prefillS >= q.ttftS) {
    return {
      feasible: false,
      reason: `TTFT target ${(q.ttftS * 1000).toFixed(0)} ms is below the prefill time alone (${(q.prefillS * 1000).toFixed(0)} ms)`,
    };
  }
  const cap = 0.98;
  if (q.prefillS + meanWaitS(q, cap) <= q.ttftS) return { feasible: true, maxUtilisation: cap };
  let lo = 0;
  let hi = cap;
  for (let i = 0; i < 40; i++) {
    const mid = (lo + hi) / 2;
    if (q.prefillS + meanWaitS(q, mid) <= q.ttftS) lo = mid;
    else hi = mid;
  }
  if (lo < 0.01) {
    return { feasible: false, reason: `TTFT target ${(q.ttftS * 1000).toFixed(0)} ms leaves under 1 % usable capacity` };
  }
  return { feasible: true, maxUtilisation: lo };
}

/** Bisection steps of `probabilityOfWait`: 2^-60 of the unit interval, below double precision. */
const SIGMA_STEPS = 60;

/**
 * Probability that an arrival finds the single server busy, for renewal arrivals whose
 * inter-arrival times are Gamma with squared coefficient of variation ca² (shape k = 1/ca²)
 * at utilisation rho. Method: the GI/M/1 result (Kleinrock 1975, §6.4): an arrival waits with
 * probability σ, the root in (0, 1) of σ = A*(μ(1 − σ)), with A*(s) = (1 + s/(kλ))^(−k) the
 * Gamma inter-arrival transform, i.e. σ = (1 + (1 − σ)/(k·rho))^(−k). Poisson (ca² = 1, k = 1)
 * gives σ = rho exactly (returned as is, so Poisson results do not move); ca² > 1 (bursts:
 * arrivals come in clumps and find the server busy more often) gives σ > rho; ca² < 1, σ < rho.
 * Hand check: ca² = 4, rho = 0.3 → σ = (1 + (1 − σ)/0.075)^(−1/4); σ = 0.647:
 * (1 + 0.353/0.075)^(−0.25) = 5.707^(−0.25) = 0.6470. Cost: O(1) for ca² = 1, else 60 bisection steps.
 */
export function probabilityOfWait(rho: number, ca2: number): number {
  if (ca2 === 1 || rho <= 0 || rho >= 1) return rho;
  const k = 1 / Math.max(ca2, 1e-9);
  // f(σ) = σ − (1 + (1 − σ)/(k·rho))^(−k): negative at 0, positive just below the trivial root 1
  const f = (s: number): number => s - Math.pow(1 + (1 - s) / (k * rho), -k);
  let lo = 0;
  let hi = 1 - 1e-12;
  for (let i = 0; i < SIGMA_STEPS; i++) {
    const mid = (lo + hi) / 2;
    if (f(mid) < 0) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/** Midpoints of the window average in `othersInWindow` (ca² ≠ 1 only). */
const WINDOW_POINTS = 8;
/** Most renewals summed in the renewal function (a window of a few inter-arrival times needs far fewer). */
const MAX_RENEWALS = 400;

/**
 * Expected number of **other** arrivals in a window of length x (seconds) that holds a tagged
 * arrival at a uniformly random position, for renewal arrivals at rate λ whose inter-arrival
 * times are Gamma with squared coefficient of variation ca² (shape k = 1/ca²). Method: after
 * (and, by reversibility, before) an arrival the expected count within t is the renewal
 * function M(t) = Σ_{n≥1} P(S_n ≤ t) = Σ_n P_γ(n·k, k·λ·t) (S_n: the sum of n inter-arrival
 * times, Gamma(n·k, rate k·λ)); the tagged arrival at s ~ U(0, x) sees M(s) + M(x − s), so
 * the answer is 2/x·∫_0^x M(t) dt (midpoint rule, 8 points).
 * Poisson (ca² = 1): M(t) = λt, the answer is λ·x exactly (returned in closed form). Bursty
 * arrivals (ca² > 1) come in clumps, so a short window around an arrival holds more than λ·x.
 * Hand check, Erlang-2 (ca² = 1/2): M(t) = λt − (1 − e^(−4λt))/4, so the answer is
 * λx − 1/2 + (1 − e^(−4λx))/(8λx). Cost: O(1) for ca² = 1, else ≤ 8 × (a few to 400) P_γ.
 */
export function othersInWindow(rate: number, ca2: number, windowS: number): number {
  if (rate <= 0 || windowS <= 0) return 0;
  if (ca2 === 1) return rate * windowS;
  const renewals = (t: number): number => renewalCount(rate, ca2, t);
  let sum = 0;
  for (let i = 0; i < WINDOW_POINTS; i++) sum += renewals(((i + 0.5) / WINDOW_POINTS) * windowS);
  return (2 * sum) / WINDOW_POINTS;
}

/** The wait for a slot: the probability an arrival finds the engine full and its mean wait then (exponential). */
export interface SlotWait {
  probability: number;
  /** mean wait of an arrival that finds the engine full, seconds */
  meanS: number;
}

/**
 * Wait for one of c slots of a continuous-batching engine whose speed depends on its busy rows.
 * Method: with n busy rows the engine completes requests at n·(1 − ρ)/(n_out·(d₀ + k·n)) per
 * second (the decode step grows linearly in rows, ρ: the share of time on prompt work), a
 * birth-death chain whose ratio λ·n_out·(d₀ + k·n)/(n·(1 − ρ)) makes the rows negative binomial
 * (shape 1 + d₀/k, x = λ·n_out·k/(1 − ρ)): a processor-sharing server, insensitive to the output
 * length distribution; mean rows b, variance b/(1 − x), widened to b/(1 − x)·(1/(1 − ρ)² + 1)/2 by
 * the prompt stalls (every arrival's prompt stalls every row) and by b/(1 − x)·(ca² − 1)/2 more for
 * renewal arrivals (counts over a long window vary ca² times as much as Poisson ones): the two are
 * separate sources, so the excess adds, b/(1 − x)·(ca² + 1/(1 − ρ)²)/2, rather than multiplying
 * the stall term (which put the 70B bursty case of docs/perf.md full for 11.1 % of arrivals at
 * 70 % utilisation and 33.9 % at 85 %; simulated 2.8 % and 20.0 %; now 4.2 % and 24.9 %).
 * Not an M/G/c queue with a fixed service
 * time: when rows pile up every step slows, so the rows wander far more than c independent
 * servers would. Taken as a Gamma density with that mean and variance and cut at c, where the
 * engine runs at its full rate μ_c = c·(1 − ρ)/(n_out·d(c)) and arrivals queue as in GI/M/1
 * (ratio σ_c = `probabilityOfWait`(λ/μ_c, ca²)): P(full) = (f(c)/(1 − σ_c)) / (F(c) + f(c)/(1 − σ_c)),
 * f and F the Gamma density and distribution function at c; the wait when full is exponential
 * with mean 1/(μ_c·(1 − σ_c)). Infinity-free: λ ≥ μ_c returns null (no steady state).
 * Hand check (Poisson): b = 2, x = 0.5 (variance 4: Gamma shape 1, scale 2), c = 4, μ_c = 2,
 * λ = 1: σ_c = 0.5, f(4) = e^(−2)/2 = 0.0677, F(4) = 1 − e^(−2) = 0.8647, P(full) =
 * 0.1353/(0.8647 + 0.1353) = 0.1353, mean wait 1/(2·0.5) = 1 s. The same Gamma with ca² = 3:
 * b = 2, x = 0, ρ = 0 (variance 2·(3 + 1)/2 = 4). Cost: O(1) for ca² = 1 (one
 * incomplete gamma), else + 60 bisection steps.
 */
export function slotWait(q: { slots: number; lambda: number; meanRows: number; x: number; fullRate: number; promptShare: number; ca2: number }): SlotWait | null {
  const c = Math.max(1, q.slots);
  if (q.lambda <= 0 || q.meanRows <= 0) return { probability: 0, meanS: 0 };
  if (q.lambda >= q.fullRate) return null;
  const x = Math.min(Math.max(q.x, 0), 1 - 1e-9);
  const rho = Math.min(Math.max(q.promptShare, 0), 0.99);
  const variance = ((q.meanRows / (1 - x)) * (q.ca2 + 1 / ((1 - rho) * (1 - rho)))) / 2;
  const shape = (q.meanRows * q.meanRows) / variance;
  const scale = variance / q.meanRows;
  const sigma = probabilityOfWait(q.lambda / q.fullRate, q.ca2);
  const below = gammaP(shape, c / scale);
  const density = Math.exp((shape - 1) * Math.log(c) - c / scale - logGamma(shape) - shape * Math.log(scale));
  const beyond = density / (1 - sigma);
  const timeFull = beyond / (below + beyond);
  // renewal arrivals come in clumps and find the engine full more often than the share of time it is (PASTA
  // holds for Poisson only): the GI/M/1 map from the time share to the arrivals' share, as `probabilityOfWait`
  const probability = Number.isFinite(timeFull) ? probabilityOfWait(timeFull, q.ca2) : 0;
  return { probability, meanS: 1 / (q.fullRate * (1 - sigma)) };
}

/**
 * Renewal function M(t): expected arrivals within t after (or, by reversibility, before) an
 * arrival, for Gamma inter-arrival times with rate λ and squared CV ca² (shape k = 1/ca²):
 * Σ_{n≥1} P_γ(n·k, k·λ·t). Poisson: λ·t exactly. Cost: O(1) for ca² = 1, else ≤ 400 P_γ.
 */
export function renewalCount(rate: number, ca2: number, t: number): number {
  if (rate <= 0 || t <= 0) return 0;
  if (ca2 === 1) return rate * t;
  const k = 1 / Math.max(ca2, 1e-9);
  let m = 0;
  for (let n = 1; n <= MAX_RENEWALS; n++) {
    const p = gammaP(n * k, k * rate * t);
    m += p;
    if (p < 1e-12) break;
  }
  return m;
}
