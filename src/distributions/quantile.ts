/**
 * Quantiles, CDFs, means and one-line descriptions of distributions. All deterministic.
 *
 * Method per type: closed form for point, uniform, normal (Acklam + one Halley step),
 * lognormal, triangular and empirical (linear interpolation between order statistics, R
 * type 7); numeric inverse CDF by bisection on the regularized incomplete beta (beta, PERT)
 * or gamma (gamma) function, to near double precision, O(200) CDF evaluations per call.
 */
import type { Dist } from './types.js';
import { betaI, gammaP, invertCdf, normalCdf, probit, Z95 } from './special.js';
import { quantileSorted } from '../stats/index.js';

/** Alpha and beta of the Beta-PERT distribution (Vose, "Risk Analysis", 2008, §9.1.8). */
export function pertShape(d: { min: number; mode: number; max: number; lambda: number }): { alpha: number; beta: number } {
  const w = d.max - d.min;
  return { alpha: 1 + (d.lambda * (d.mode - d.min)) / w, beta: 1 + (d.lambda * (d.max - d.mode)) / w };
}

// Sorted copies of empirical value lists, cached per (frozen or not) array identity.
const sortedCache = new WeakMap<readonly number[], Float64Array>();
function sortedOf(values: readonly number[]): Float64Array {
  let s = sortedCache.get(values);
  if (!s) {
    s = Float64Array.from(values).sort();
    sortedCache.set(values, s);
  }
  return s;
}

/** Inverse CDF of a triangular distribution (also its sampler, fed a uniform). O(1). */
export function triangularQuantile(d: { min: number; mode: number; max: number }, p: number): number {
  const { min: a, mode: c, max: b } = d;
  return p < (c - a) / (b - a) ? a + Math.sqrt(p * (b - a) * (c - a)) : b - Math.sqrt((1 - p) * (b - a) * (b - c));
}

/**
 * The p-quantile (inverse CDF) of `d`, p in [0, 1]. Unbounded distributions give ±Infinity
 * at p = 0 or 1. Throws a RangeError for p outside [0, 1].
 * @example quantile({ type: 'uniform', min: 0, max: 10 }, 0.9) // 9
 */
export function quantile(d: Dist, p: number): number {
  if (!(p >= 0 && p <= 1)) throw new RangeError(`quantile: p must be between 0 and 1 (got ${p})`);
  switch (d.type) {
    case 'point':
      return d.value;
    case 'uniform':
      return d.min + p * (d.max - d.min);
    case 'normal':
      return d.mean + d.sd * probit(p);
    case 'lognormal':
      return Math.exp(d.mu + d.sigma * probit(p));
    case 'triangular':
      return triangularQuantile(d, p);
    case 'pert': {
      const { alpha, beta } = pertShape(d);
      return d.min + (d.max - d.min) * betaQuantile(alpha, beta, p);
    }
    case 'beta':
      return d.min + (d.max - d.min) * betaQuantile(d.alpha, d.beta, p);
    case 'gamma': {
      if (p === 0) return 0;
      if (p === 1) return Infinity;
      let hi = d.shape + 1;
      while (gammaP(d.shape, hi) < p) hi *= 2;
      return d.scale * invertCdf((x) => gammaP(d.shape, x), p, 0, hi);
    }
    case 'empirical':
      return quantileSorted(sortedOf(d.values), p);
  }
}

function betaQuantile(a: number, b: number, p: number): number {
  if (p === 0) return 0;
  if (p === 1) return 1;
  return invertCdf((x) => betaI(a, b, x), p, 0, 1);
}

/**
 * P(X <= x) for `d`. Closed form except beta/PERT (incomplete beta) and gamma (incomplete
 * gamma); empirical is the step ECDF of its values. O(1) (O(log n) for empirical).
 */
export function cdf(d: Dist, x: number): number {
  switch (d.type) {
    case 'point':
      return x >= d.value ? 1 : 0;
    case 'uniform':
      return x <= d.min ? 0 : x >= d.max ? 1 : (x - d.min) / (d.max - d.min);
    case 'normal':
      return normalCdf((x - d.mean) / d.sd);
    case 'lognormal':
      return x <= 0 ? 0 : normalCdf((Math.log(x) - d.mu) / d.sigma);
    case 'triangular': {
      const { min: a, mode: c, max: b } = d;
      if (x <= a) return 0;
      if (x >= b) return 1;
      return x <= c ? ((x - a) * (x - a)) / ((b - a) * (c - a)) : 1 - ((b - x) * (b - x)) / ((b - a) * (b - c));
    }
    case 'pert': {
      const { alpha, beta } = pertShape(d);
      return betaI(alpha, beta, (x - d.min) / (d.max - d.min));
    }
    case 'beta':
      return betaI(d.alpha, d.beta, (x - d.min) / (d.max - d.min));
    case 'gamma':
      return gammaP(d.shape, x / d.scale);
    case 'empirical': {
      const s = sortedOf(d.values);
      let lo = 0;
      let hi = s.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (s[mid]! <= x) lo = mid + 1;
        else hi = mid;
      }
      return lo / s.length;
    }
  }
}

/** The expected value of `d`, in closed form. O(1) (O(n) for empirical). */
export function mean(d: Dist): number {
  switch (d.type) {
    case 'point':
      return d.value;
    case 'uniform':
      return (d.min + d.max) / 2;
    case 'normal':
      return d.mean;
    case 'lognormal':
      return Math.exp(d.mu + (d.sigma * d.sigma) / 2);
    case 'triangular':
      return (d.min + d.mode + d.max) / 3;
    case 'pert':
      return (d.min + d.lambda * d.mode + d.max) / (d.lambda + 2);
    case 'beta':
      return d.min + ((d.max - d.min) * d.alpha) / (d.alpha + d.beta);
    case 'gamma':
      return d.shape * d.scale;
    case 'empirical': {
      let s = 0;
      for (let i = 0; i < d.values.length; i++) s += d.values[i]!;
      return s / d.values.length;
    }
  }
}

/** A number for people: up to 4 significant digits, no trailing zeros, no exponent below 1e9. */
export function fmt(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  if (x === 0) return '0';
  const a = Math.abs(x);
  if (a >= 1e9 || a < 1e-4) return x.toPrecision(4).replace(/\.?0+e/, 'e');
  return String(Number(x.toPrecision(4)));
}

/**
 * A one-line description for reports and the assumptions table.
 * @example describe({ type: 'lognormal', mu: 1.15, sigma: 0.143 }) // "lognormal, 90 % CI 2.486 to 4.004"
 */
export function describe(d: Dist): string {
  switch (d.type) {
    case 'point':
      return fmt(d.value);
    case 'uniform':
      return `uniform(${fmt(d.min)} to ${fmt(d.max)})`;
    case 'normal':
      return `normal, 90 % CI ${fmt(d.mean - Z95 * d.sd)} to ${fmt(d.mean + Z95 * d.sd)}`;
    case 'lognormal':
      return `lognormal, 90 % CI ${fmt(Math.exp(d.mu - Z95 * d.sigma))} to ${fmt(Math.exp(d.mu + Z95 * d.sigma))}`;
    case 'triangular':
      return `triangular(min ${fmt(d.min)}, mode ${fmt(d.mode)}, max ${fmt(d.max)})`;
    case 'pert':
      return `PERT(min ${fmt(d.min)}, mode ${fmt(d.mode)}, max ${fmt(d.max)}${d.lambda === 4 ? '' : `, lambda ${fmt(d.lambda)}`})`;
    case 'beta': {
      const scaled = d.min === 0 && d.max === 1 ? '' : ` on [${fmt(d.min)}, ${fmt(d.max)}]`;
      return `beta(alpha ${fmt(d.alpha)}, beta ${fmt(d.beta)})${scaled}`;
    }
    case 'gamma':
      return `gamma(shape ${fmt(d.shape)}, scale ${fmt(d.scale)})`;
    case 'empirical': {
      const s = sortedOf(d.values);
      return `empirical(${s.length} value${s.length === 1 ? '' : 's'}, ${fmt(s[0]!)} to ${fmt(s[s.length - 1]!)})`;
    }
  }
}
