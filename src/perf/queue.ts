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
 * (Sakasegawa 1977; Allen 1990). TTFT ≈ Wq + prefill time (the chunked prefill of capacity.ts). The largest ρ with TTFT ≤ target
 * is found by bisection. ca² = 1 (Poisson arrivals), cs² = 0.5 (output lengths vary).
 */

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

/**
 * Waiting time of a single-server queue at utilisation rho with mean service s (Kingman's
 * G/G/1 approximation, Kingman 1961): Wq ≈ rho/(1 − rho) · (ca² + cs²)/2 · s. Its quantiles
 * by the exponential-tail reading: a request waits with probability σ, and then
 * Exp(Wq/σ), so P(W > t) = σ·exp(−t·σ/Wq). σ = `probabilityOfWait(rho, ca2)`: rho for
 * Poisson arrivals (ca² = 1: Kingman exactly, as before). For ca² ≠ 1 the mean is GI/M/1's
 * σ/(1 − σ)·s scaled by (ca² + cs²)/(ca² + 1) for the service variability (which at ca² = 1
 * is Kingman's/Pollaczek–Khinchine's (1 + cs²)/2): bursty arrivals wait more often and longer.
 * Checked against the request-level simulation in docs/perf.md. O(1) for ca² = 1; ~60 power
 * evaluations otherwise.
 */
export function singleServerWait(rho: number, serviceS: number, ca2: number, cs2: number): { meanS: number; p50S: number; p90S: number } {
  if (rho <= 0 || serviceS <= 0) return { meanS: 0, p50S: 0, p90S: 0 };
  if (rho >= 1) return { meanS: Infinity, p50S: Infinity, p90S: Infinity };
  const sigma = probabilityOfWait(rho, ca2);
  const meanS = ca2 === 1 ? (rho / (1 - rho)) * ((ca2 + cs2) / 2) * serviceS : (sigma / (1 - sigma)) * ((ca2 + cs2) / (ca2 + 1)) * serviceS;
  const tail = (p: number): number => (sigma > p ? (meanS / sigma) * Math.log(sigma / p) : 0);
  return { meanS, p50S: tail(0.5), p90S: tail(0.1) };
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
