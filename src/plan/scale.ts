/**
 * Scale an uncertain input by a constant s > 0 (the "GPUs needed across volumes" sweep scales
 * requests per day). Each family is rescaled through its parameters so that a draw of the
 * scaled input is exactly s × the draw of the original from the same random numbers
 * (location-scale families; lognormal shifts mu by ln s; gamma scales theta), which keeps the
 * sweep on common random numbers. Clamp bounds scale too. O(1), O(n) for empirical.
 */
import type { Dist, DistSpec } from '../distributions/index.js';

export function scaleDist(d: Dist, s: number): Dist {
  switch (d.type) {
    case 'point':
      return { type: 'point', value: d.value * s };
    case 'uniform':
      return { type: 'uniform', min: d.min * s, max: d.max * s };
    case 'normal':
      return { type: 'normal', mean: d.mean * s, sd: d.sd * s };
    case 'lognormal':
      return { type: 'lognormal', mu: d.mu + Math.log(s), sigma: d.sigma };
    case 'triangular':
      return { type: 'triangular', min: d.min * s, mode: d.mode * s, max: d.max * s };
    case 'pert':
      return { type: 'pert', min: d.min * s, mode: d.mode * s, max: d.max * s, lambda: d.lambda };
    case 'beta':
      return { type: 'beta', alpha: d.alpha, beta: d.beta, min: d.min * s, max: d.max * s };
    case 'gamma':
      return { type: 'gamma', shape: d.shape, scale: d.scale * s };
    case 'empirical':
      return { type: 'empirical', values: d.values.map((v) => v * s) };
  }
}

export function scaleSpec(spec: DistSpec, s: number): DistSpec {
  if (!(s > 0) || !Number.isFinite(s)) throw new Error(`scaleSpec: scale must be a finite number > 0, got ${s}`);
  return { ...spec, dist: scaleDist(spec.dist, s), min: spec.min * s, max: spec.max * s, written: `${s} × (${spec.written})` };
}
