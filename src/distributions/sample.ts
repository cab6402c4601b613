/**
 * Drawing samples. Randomness is always passed in (`rng: PRNG`, uniform in [0, 1)); nothing
 * here touches Math.random or global state.
 *
 * Methods: normal by Box–Muller; lognormal as exp(normal); gamma by Marsaglia & Tsang
 * (2000) with the U^(1/k) boost for shape < 1; beta as X / (X + Y) of two gammas; PERT as a
 * scaled beta; triangular by inverse CDF; empirical picks one value uniformly.
 */
import type { Dist, DistSpec, PRNG } from './types.js';
import { pertShape, triangularQuantile } from './quantile.js';

const TWO_PI = 2 * Math.PI;

/**
 * The Box–Muller transform (Box & Muller 1958), the one home of the formula: a standard normal
 * from two uniforms, u1 in (0, 1] (so the log is finite) and u2 in [0, 1). O(1).
 * `NormalSource.next` inlines it on the hot path (it keeps the sine half too).
 */
export function boxMuller(u1: number, u2: number): number {
  return Math.sqrt(-2 * Math.log(u1)) * Math.cos(TWO_PI * u2);
}

/** One standard normal draw, Box–Muller (the second value is discarded). O(1), 2 uniforms. */
export function standardNormal(rng: PRNG): number {
  const u1 = 1 - rng(); // (0, 1]: log is finite
  return boxMuller(u1, rng());
}

/**
 * Standard normals for hot loops: Box–Muller, caching the second value of each pair, no
 * allocation per draw. One instance per stream (it holds state).
 * @example const ns = new NormalSource(rng); for (...) x[i] = mu + sd * ns.next();
 */
export class NormalSource {
  private spare = 0;
  private hasSpare = false;
  constructor(private readonly rng: PRNG) {}

  next(): number {
    if (this.hasSpare) {
      this.hasSpare = false;
      return this.spare;
    }
    // `boxMuller` inlined (hot path), keeping both halves of the pair: r·cos t now, r·sin t next
    const r = Math.sqrt(-2 * Math.log(1 - this.rng()));
    const t = TWO_PI * this.rng();
    this.spare = r * Math.sin(t);
    this.hasSpare = true;
    return r * Math.cos(t);
  }
}

/**
 * Gamma(shape, 1) by Marsaglia & Tsang, "A simple method for generating gamma variables"
 * (ACM TOMS 26(3), 2000); for shape < 1, Gamma(shape + 1) · U^(1/shape). ~1.05 normals per draw.
 */
export function standardGamma(shape: number, rng: PRNG): number {
  if (shape < 1) {
    const u = 1 - rng();
    return standardGamma(shape + 1, rng) * Math.pow(u, 1 / shape);
  }
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = standardNormal(rng);
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = 1 - rng();
    const x2 = x * x;
    if (u < 1 - 0.0331 * x2 * x2) return d * v;
    if (Math.log(u) < 0.5 * x2 + d * (1 - v + Math.log(v))) return d * v;
  }
}

/** Beta(alpha, beta) on [0, 1] as X / (X + Y), X ~ Gamma(alpha), Y ~ Gamma(beta). */
export function standardBeta(alpha: number, beta: number, rng: PRNG): number {
  const x = standardGamma(alpha, rng);
  const y = standardGamma(beta, rng);
  const s = x + y;
  // Both underflow only for tiny shapes; fall back on the limit (mass at the ends).
  if (s === 0) return rng() < alpha / (alpha + beta) ? 1 : 0;
  return x / s;
}

/**
 * One draw from `d`. O(1) expected time for every type.
 * @example sample({ type: 'uniform', min: 0, max: 2 }, trialRng(1, 0))
 */
export function sample(d: Dist, rng: PRNG): number {
  switch (d.type) {
    case 'point':
      return d.value;
    case 'uniform':
      return d.min + (d.max - d.min) * rng();
    case 'normal':
      return d.mean + d.sd * standardNormal(rng);
    case 'lognormal':
      return Math.exp(d.mu + d.sigma * standardNormal(rng));
    case 'triangular':
      return triangularQuantile(d, rng());
    case 'pert': {
      const { alpha, beta } = pertShape(d);
      return d.min + (d.max - d.min) * standardBeta(alpha, beta, rng);
    }
    case 'beta':
      return d.min + (d.max - d.min) * standardBeta(d.alpha, d.beta, rng);
    case 'gamma':
      return d.scale * standardGamma(d.shape, rng);
    case 'empirical':
      return d.values[Math.floor(rng() * d.values.length)]!;
  }
}

/** One draw from a spec, rounded for whole-number fields and clamped to [spec.min, spec.max]. */
export function sampleClamped(spec: DistSpec, rng: PRNG): number {
  let x = sample(spec.dist, rng);
  if (spec.int === true) x = Math.round(x);
  return x < spec.min ? spec.min : x > spec.max ? spec.max : x;
}
