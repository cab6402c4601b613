/** One distribution of every type, frozen, for tests across the dist module. */
import type { Dist } from '../../src/distributions/index.js';
import { deepFreeze } from '../helpers.js';

export const EVERY_TYPE: readonly Dist[] = deepFreeze([
  { type: 'point', value: 3 },
  { type: 'uniform', min: 2, max: 5 },
  { type: 'normal', mean: 10, sd: 2 },
  { type: 'lognormal', mu: 1.15, sigma: 0.3 },
  { type: 'triangular', min: 1, mode: 2, max: 6 },
  { type: 'pert', min: 1, mode: 2, max: 5, lambda: 4 },
  { type: 'beta', alpha: 2, beta: 5, min: 0, max: 1 },
  { type: 'beta', alpha: 0.5, beta: 0.5, min: 10, max: 20 },
  { type: 'gamma', shape: 2, scale: 3 },
  { type: 'gamma', shape: 0.4, scale: 1.5 },
  { type: 'empirical', values: [3, 1, 4, 1, 5, 9, 2, 6] },
] satisfies Dist[]);
