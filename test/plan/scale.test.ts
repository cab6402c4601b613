/** Scaling an input: a draw of the scaled input is s × the draw of the original from the same random numbers. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { scaleSpec } from '../../src/plan/index.js';
import { sampleClamped, seededRng, type DistSpec, type Dist } from '../../src/distributions/index.js';
import { expectRelClose } from '../helpers.js';

const spec = (dist: Dist): DistSpec => ({ dist, min: 0, max: 1e12, written: 'x' });
const DISTS: Dist[] = [
  { type: 'point', value: 30000 },
  { type: 'uniform', min: 20000, max: 40000 },
  { type: 'normal', mean: 30000, sd: 4000 },
  { type: 'lognormal', mu: Math.log(30000), sigma: 0.3 },
  { type: 'triangular', min: 20000, mode: 25000, max: 45000 },
  { type: 'pert', min: 20000, mode: 25000, max: 45000, lambda: 4 },
  { type: 'beta', alpha: 2, beta: 5, min: 10000, max: 50000 },
  { type: 'gamma', shape: 9, scale: 3000 },
  { type: 'empirical', values: [10000, 20000, 35000] },
];

describe('scaleSpec', () => {
  for (const d of DISTS) {
    it(`${d.type}: same random numbers, s × the draw`, () => {
      fc.assert(
        fc.property(fc.double({ min: 0.05, max: 20, noNaN: true }), fc.integer({ min: 0, max: 1000 }), (s, seed) => {
          const a = sampleClamped(spec(d), seededRng(`t${seed}`));
          const b = sampleClamped(scaleSpec(spec(d), s), seededRng(`t${seed}`));
          expectRelClose(b, s * a, 1e-9);
        }),
        { seed: 14, numRuns: 30 },
      );
    });
  }
  it('refuses a scale that is not a finite positive number', () => {
    expect(() => scaleSpec(spec(DISTS[0]!), 0)).toThrow(/scale must be a finite number > 0/);
  });
});
