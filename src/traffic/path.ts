/**
 * Hourly demand paths (DESIGN §3):
 *
 *   demand(h) = base × growth(h) × hourOfWeek(h) × noise(h) × bursts(h)      [requests/hour]
 *
 * - growth: compound monthly rate, applied smoothly per hour;
 * - noise: mean-1 with a given coefficient of variation and hour-to-hour autocorrelation:
 *   an AR(1) standard normal z_h = ρ z_{h-1} + √(1-ρ²) ε_h mapped to a Gamma(k = 1/cv²)
 *   marginal by the Wilson–Hilferty transform G/k ≈ (1 - 1/9k + z/√(9k))³ (Wilson & Hilferty
 *   1931), negative bases set to 0, renormalised to mean 1 by the exact mean of that truncated
 *   cube (`truncatedCubeMean`). One normal and one cube per hour; accurate for cv ≲ 1 and
 *   finite, mean 1, up to the maximum cv of 3;
 * - bursts: Poisson events (rate per month) each multiplying demand by `size` for
 *   `duration` hours.
 *
 * The path is written into a caller-owned Float64Array (no allocation per hour or trial).
 * Cost: O(hours) with one normal draw per hour.
 */
import type { PRNG } from '../distributions/index.js';
import { boxMuller, normalCdf, probit } from '../distributions/index.js';
import { sum } from '../stats/index.js';
import { NORMAL_TABLE_BASE64 } from './normal-table.js';
import type { RandomStream, AleaStream } from '../distributions/index.js';

/**
 * Standard normals by inverse-transform sampling: Φ⁻¹ tabulated at the midpoints of 2^14
 * equal-probability cells and interpolated linearly; the two outer cells (|z| > 3.8, p =
 * 1/8192) use the exact probit, so tails are not truncated. One uniform per normal, no
 * log/sqrt/cos on the hot path. The table is `probit((i + 0.5) / 2^14)`, generated once into
 * normal-table.ts (write-normal-table.ts; a test checks it is exactly that computation) and
 * decoded here in ~0.3 ms: computing it cost 20-40 ms of every start-up and trial thread.
 */
export const NORMAL_CELLS = 1 << 14;
const NORMAL_TABLE = decodeNormalTable(NORMAL_TABLE_BASE64);

/** The table from its base64 text (little-endian float64s), checked for size. O(cells). */
export function decodeNormalTable(base64: string): Float64Array {
  const bytes = Buffer.from(base64, 'base64');
  if (bytes.length !== NORMAL_CELLS * 8) throw new Error(`normal-table.ts holds ${bytes.length} bytes, not ${NORMAL_CELLS * 8}: regenerate it with \`npm run tables\``);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  const t = new Float64Array(NORMAL_CELLS);
  for (let i = 0; i < NORMAL_CELLS; i++) t[i] = view.getFloat64(i * 8, true);
  return t;
}

/** One standard normal from one uniform. */
export function fastNormal(rng: RandomStream): number {
  const u = rng.next();
  const x = u * NORMAL_CELLS - 0.5;
  if (x < 0 || x >= NORMAL_CELLS - 1) return probit(u > 0 ? u : 1e-300);
  const i = x | 0;
  const a = NORMAL_TABLE[i]!;
  return a + (x - i) * (NORMAL_TABLE[i + 1]! - a);
}

export const HOURS_PER_MONTH = 730;

export interface BurstParams {
  ratePerMonth: number;
  /** draws one burst's size multiplier and duration (hours) */
  draw(rng: PRNG): { size: number; hours: number };
}

export interface PathParams {
  /** requests per hour at hour 0 before shape and noise (requests_per_day / 24) */
  baseRequestsPerHour: number;
  growthMonthly: number;
  hourOfWeek: Float64Array;
  noiseCv: number;
  noiseAutocorrelation: number;
  bursts: BurstParams | null;
  /** a measured hourly trace (requests/hour) replacing base × hour-of-week; cycled */
  trace?: Float64Array | null;
}

/**
 * The capacity need of each hour, written by `fillDemandPath` as it goes (the hour's demand d
 * is in a register there, so the square root costs little; a pass of its own cost a tenth of
 * a trial). The rule
 * is cost/fleet's `needOf` (d·ptm, or d + zr·√d), repeated here because traffic sits below
 * cost; test/traffic/path.test.ts pins the two equal.
 */
export interface NeedOut {
  /** written at [0, hours) */
  need: Float64Array;
  /** peak-to-mean factor, or null for the Poisson busiest minute */
  peakToMean: number | null;
  /** z·√60 of the Poisson busiest-minute rule */
  zRoot: number;
}

export interface PathStats {
  sum: number;
  min: number;
  max: number;
}

/** Poisson draw by inversion (small means) or normal approximation (large means). */
export function poisson(mean: number, rng: PRNG): number {
  if (mean <= 0) return 0;
  if (mean > 50) {
    const u1 = rng() || 1e-12;
    const z = boxMuller(u1, rng());
    return Math.max(0, Math.round(mean + Math.sqrt(mean) * z));
  }
  const l = Math.exp(-mean);
  let k = 0;
  let p = rng();
  while (p > l) {
    k++;
    p *= rng();
  }
  return k;
}

/**
 * E[max(a + b·Z, 0)³] for Z ~ N(0, 1), b > 0: the mean of the noise before renormalisation
 * (the loop sets negative bases to 0). With t = a/b and the partial moments of Z above -t,
 *   E = b³ · (Φ(t)·(t³ + 3t) + φ(t)·(t² + 2)),
 * which tends to a³ + 3ab² (the untruncated mean) as t grows and stays > 0 for every t: at the
 * documented maximum cv = 3, a = 0 and E = 2φ(0) ≈ 0.798, where the untruncated mean is 0 (it
 * divided by zero) and just below it turned negative (NaN costs). O(1).
 */
export function truncatedCubeMean(a: number, b: number): number {
  const t = a / b;
  // Beyond t = 8 the truncated tail changes the mean by less than φ(8)/8 ≈ 6e-16 relative (below
  // double precision); the untruncated form also stays finite when b underflows to 0 (cv of
  // 5e-324 gave t = Infinity and 0 × Infinity = NaN here).
  if (!(t <= 8)) return a * a * a + 3 * a * b * b;
  const phi = Math.exp(-0.5 * t * t) / Math.sqrt(2 * Math.PI);
  return b * b * b * (normalCdf(t) * (t * t * t + 3 * t) + phi * (t * t + 2));
}

/**
 * Fill `out[0..hours)` with one demand path; returns its sum, min and max, and writes the sum
 * of each month (730 hours; the last may be partial) into `monthSums` and each hour's capacity
 * need into `needOut` when given. Sums are
 * compensated (Neumaier), so their error does not grow with the horizon.
 * `out` may be longer than `hours` (reused across horizons); only the prefix is written.
 *
 * Two loops: `noisePath` writes each hour's noise factor into `out` (the random-number and
 * noise chains), then this one scales it in place by growth, shape and bursts and sums the
 * months. The hours run in segments between burst starts, burst ends and month ends, so the
 * inner loop tests nothing but the hour. It allocates nothing per hour (checked with V8's
 * sampling heap profiler: an earlier version allocated three heap numbers per hour and spent a
 * third of its time in GC).
 */
export function fillDemandPath(out: Float64Array, hours: number, p: PathParams, rng: AleaStream, monthSums?: Float64Array, needOut?: NeedOut): PathStats {
  const uniform: PRNG = () => rng.next();
  const cv = p.noiseCv;
  const rho = p.noiseAutocorrelation;
  const innov = Math.sqrt(1 - rho * rho);
  // Wilson–Hilferty: G/k ≈ (a + b z)^3 with a = 1 - 1/(9k), b = 1/√(9k) = cv/3.
  const b = cv / 3;
  const a = 1 - b * b;
  const norm = cv > 0 ? 1 / truncatedCubeMean(a, b) : 1;
  const growthPerHour = Math.pow(1 + p.growthMonthly, 1 / HOURS_PER_MONTH);
  // demand = g × shape[w] × noise × bursts, shape cycling: the trace (g from 1), or the
  // hour-of-week factors (g from the base rate)
  const trace = p.trace && p.trace.length > 0 ? p.trace : null;
  const shape = trace ?? p.hourOfWeek;
  const period = shape.length;
  const months = monthSums ?? new Float64Array(Math.ceil(hours / HOURS_PER_MONTH));
  // need: 0 none, 1 d·ptm, 2 d + zr·√d (a number, so the loop's test is one compare)
  const needMode = needOut ? (needOut.peakToMean === null ? 2 : 1) : 0;
  const need = needOut ? needOut.need : out;
  const ptm = needOut?.peakToMean ?? 1;
  const zr = needOut ? needOut.zRoot : 0;

  // Burst events, drawn first; the loop keeps the product of active multipliers.
  let starts: { h: number; size: number }[] = [];
  let ends: { h: number; size: number }[] = [];
  if (p.bursts && p.bursts.ratePerMonth > 0) {
    const n = poisson((p.bursts.ratePerMonth * hours) / HOURS_PER_MONTH, uniform);
    for (let i = 0; i < n; i++) {
      const start = Math.floor(rng.next() * hours);
      const { size, hours: dur } = p.bursts.draw(uniform);
      starts.push({ h: start, size });
      ends.push({ h: Math.min(hours, start + Math.max(1, Math.round(dur))), size });
    }
    starts.sort((x, y) => x.h - y.h);
    ends.sort((x, y) => x.h - y.h);
  }
  const nStarts = starts.length;
  const nEnds = ends.length;
  let si = 0;
  let ei = 0;
  let burst = 1;

  // the noise of every hour first, into `out` (see `noisePath`); the loop below scales it in place
  if (cv > 0) noisePath(out, hours, rng, +fastNormal(rng), rho, innov, a, b, norm); // stationary start
  else out.fill(1, 0, hours);
  let g = trace ? 1 : p.baseRequestsPerHour;
  let min = Infinity;
  let max = -Infinity;
  let w = 0; // index into shape
  let m = 0; // month
  let mEnd = HOURS_PER_MONTH;
  let ms = 0; // this month's sum and its Neumaier compensation
  let mc = 0;
  let h = 0;
  while (h < hours) {
    while (si < nStarts && starts[si]!.h === h) burst *= starts[si++]!.size;
    if (ei < nEnds && ends[ei]!.h === h) {
      while (ei < nEnds && ends[ei]!.h === h) burst /= ends[ei++]!.size;
      if (si === ei) burst = 1; // no active burst: drop rounding residue
    }
    if (h === mEnd) {
      months[m++] = ms + mc;
      ms = 0;
      mc = 0;
      mEnd += HOURS_PER_MONTH;
    }
    let segEnd = mEnd < hours ? mEnd : hours;
    if (si < nStarts && starts[si]!.h < segEnd) segEnd = starts[si]!.h;
    if (ei < nEnds && ends[ei]!.h < segEnd) segEnd = ends[ei]!.h;
    for (; h < segEnd; h++) {
      const d = g * shape[w]! * out[h]! * burst;
      out[h] = d;
      if (needMode === 2) need[h] = d + zr * Math.sqrt(d);
      else if (needMode === 1) need[h] = d * ptm;
      const t = ms + d;
      mc += ms >= d ? ms - t + d : d - t + ms; // both >= 0
      ms = t;
      if (d < min) min = d;
      if (d > max) max = d;
      g *= growthPerHour;
      if (++w === period) w = 0;
    }
  }
  months[m] = ms + mc;
  starts = ends = [];
  return { sum: sum(months.subarray(0, m + 1)), min, max };
}

/**
 * The noise factor of each of `hours` hours into `out`: an AR(1) standard normal z (from `z`,
 * one `fastNormal` per hour) through the Wilson–Hilferty cube, renormalised by `norm`. It
 * steps the Alea recurrence in local variables (copied from `rng` and written back after)
 * with `fastNormal`'s table lookup inline: the same numbers as `rng.next()` and
 * `fastNormal(rng)`, without memory round trips on the generator's dependency chain. A loop
 * of its own: with the demand's factors, month sums, need and extremes in the same loop, its
 * values outnumbered the registers and every hour spilled and reloaded a dozen of them. O(hours).
 */
function noisePath(out: Float64Array, hours: number, rng: AleaStream, z0: number, rho: number, innov: number, a: number, b: number, norm: number): void {
  let z = z0;
  let s0 = rng.s0;
  let s1 = rng.s1;
  let s2 = rng.s2;
  let c = rng.c;
  const table = NORMAL_TABLE;
  for (let h = 0; h < hours; h++) {
    // Alea's step t = 2091639·s0 + c·2^-32, c' = ⌊t⌋, with the carry found without
    // waiting for t: c·2^-32 < 2^-11, so ⌊t⌋ is ⌊2091639·s0⌋ or one more (t ≥ u since
    // rounding is monotone). The rare second case is a predicted-not-taken branch, which
    // cuts the carry's latency chain (int↔double conversions) out of every hour: the same
    // numbers, about twice as fast.
    const u = 2091639 * s0;
    const t = u + c * 2.3283064365386963e-10;
    let cn = Math.floor(u);
    if (t >= cn + 1) cn += 1;
    s0 = s1;
    s1 = s2;
    c = cn;
    s2 = t - cn;
    const xu = s2 * NORMAL_CELLS - 0.5;
    let e: number;
    // `+` makes the call's result a number to the optimiser, so `e` and `z` stay unboxed
    // doubles; without it every hour allocated a heap number for them.
    if (xu < 0 || xu >= NORMAL_CELLS - 1) e = +probit(s2 > 0 ? s2 : 1e-300);
    else {
      const i = xu | 0;
      const lo = table[i]!;
      e = lo + (xu - i) * (table[i + 1]! - lo);
    }
    z = rho * z + innov * e;
    const x = a + b * z;
    out[h] = x > 0 ? x * x * x * norm : 0;
  }
  rng.s0 = s0;
  rng.s1 = s1;
  rng.s2 = s2;
  rng.c = c;
}

/** z of the busiest of 60 minutes (expected maximum of 60 standard normals ≈ 2.32). */
export const PEAK_MINUTE_Z = 2.32;

/**
 * Provisioning need for an hour with mean demand d requests/hour: the busiest minute under
 * Poisson arrivals, as an hourly rate: 60·(λ + z√λ) with λ = d/60, i.e. d + z·√(60·d).
 * With a given peak-to-mean factor instead, need = factor × d.
 */
export function peakNeed(d: number, peakToMean: number | null): number {
  if (peakToMean !== null) return d * peakToMean;
  return d + PEAK_MINUTE_Z * Math.sqrt(60 * d);
}
