/**
 * Distributions of uncertain inputs, as resolved from config files (all numbers known).
 * Tagged union on `type`; `isDistType` guards strings from config files.
 */
export const DistType = {
  point: 1,
  uniform: 1,
  normal: 1,
  lognormal: 1,
  triangular: 1,
  pert: 1,
  beta: 1,
  gamma: 1,
  empirical: 1,
} as const;
export type DistType = keyof typeof DistType;
export function isDistType(s: string): s is DistType {
  return Object.prototype.hasOwnProperty.call(DistType, s);
}

export type Dist =
  | { readonly type: 'point'; readonly value: number }
  | { readonly type: 'uniform'; readonly min: number; readonly max: number }
  | { readonly type: 'normal'; readonly mean: number; readonly sd: number }
  /** mu and sigma of the underlying normal (ln X ~ N(mu, sigma)). */
  | { readonly type: 'lognormal'; readonly mu: number; readonly sigma: number }
  | { readonly type: 'triangular'; readonly min: number; readonly mode: number; readonly max: number }
  /** Beta-PERT on [min, max] with the given mode; lambda = 4 is the classic PERT. */
  | { readonly type: 'pert'; readonly min: number; readonly mode: number; readonly max: number; readonly lambda: number }
  /** Beta(alpha, beta) scaled to [min, max] (default [0, 1]). */
  | { readonly type: 'beta'; readonly alpha: number; readonly beta: number; readonly min: number; readonly max: number }
  /** Gamma with shape k and scale theta (mean k * theta). */
  | { readonly type: 'gamma'; readonly shape: number; readonly scale: number }
  | { readonly type: 'empirical'; readonly values: readonly number[] };

/**
 * One uncertain input of a scenario: a distribution, the range its samples are clamped to
 * (the field's valid range), and where the figure comes from.
 */
export interface UncertainInput {
  /** Field path in the workload, e.g. `traffic.requests_per_day`. Stable id in results. */
  readonly path: string;
  readonly dist: Dist;
  readonly min: number;
  readonly max: number;
  readonly source?: string;
  /** How the user wrote it, for the report's assumptions table ("2.5 to 4", "5000 * 1.2"). */
  readonly written: string;
}

/** A checked distribution of one input field: its samples are clamped to [min, max]. */
export interface DistSpec {
  readonly dist: Dist;
  /** clamp bounds of samples: the field's range, ±Infinity where open */
  readonly min: number;
  readonly max: number;
  /** samples are rounded to whole numbers (the field is an integer) */
  readonly int?: true;
  /** how the user wrote it: "2.5 to 4", "5000 * 1.2", "{type: pert, min: 1, mode: 2, max: 5}" */
  readonly written: string;
  readonly source?: string;
}

/** A source of uniform numbers in [0, 1). Randomness is always passed in, never global. */
export type PRNG = () => number;
