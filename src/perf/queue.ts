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
 * by the usual exponential-tail reading: a request waits with probability rho, and then
 * Exp(Wq/rho), so P(W > t) = rho·exp(−t·rho/Wq). O(1).
 */
export function singleServerWait(rho: number, serviceS: number, ca2: number, cs2: number): { meanS: number; p50S: number; p90S: number } {
  if (rho <= 0 || serviceS <= 0) return { meanS: 0, p50S: 0, p90S: 0 };
  if (rho >= 1) return { meanS: Infinity, p50S: Infinity, p90S: Infinity };
  const meanS = (rho / (1 - rho)) * ((ca2 + cs2) / 2) * serviceS;
  const tail = (p: number): number => (rho > p ? (meanS / rho) * Math.log(rho / p) : 0);
  return { meanS, p50S: tail(0.5), p90S: tail(0.1) };
}
