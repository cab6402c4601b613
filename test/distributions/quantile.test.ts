import { describe as group, expect, it } from 'vitest';
import fc from 'fast-check';
import { cdf, describe, mean, quantile, type Dist } from '../../src/distributions/index.js';
import { betaI, erfc, gammaP, logGamma, probit } from '../../src/distributions/special.js';
import { expectRelClose } from '../helpers.js';
import { EVERY_TYPE } from './fixtures.js';

function support(d: Dist): [number, number] {
  switch (d.type) {
    case 'point':
      return [d.value, d.value];
    case 'normal':
      return [-Infinity, Infinity];
    case 'lognormal':
    case 'gamma':
      return [0, Infinity];
    case 'empirical':
      return [Math.min(...d.values), Math.max(...d.values)];
    default:
      return [d.min, d.max];
  }
}

group('special functions against reference values', () => {
  it('probit, erfc, logGamma, incomplete gamma and beta', () => {
    expectRelClose(probit(0.95), 1.6448536269514722, 1e-13);
    expectRelClose(probit(0.001), -3.090232306167813, 1e-12);
    expectRelClose(probit(0.5 + 1e-9), 2.5066282746e-9, 1e-6);
    expectRelClose(erfc(1), 0.157299207050285, 1e-12);
    expectRelClose(erfc(-2), 1.995322265018953, 1e-13);
    expectRelClose(erfc(5), 1.5374597944280349e-12, 1e-10);
    expectRelClose(logGamma(0.5), 0.5 * Math.log(Math.PI), 1e-13);
    expectRelClose(logGamma(10), Math.log(362880), 1e-13);
    expectRelClose(gammaP(1, 2), 1 - Math.exp(-2), 1e-12);
    expectRelClose(gammaP(3, 0.5), 0.014387677966970687, 1e-10);
    expectRelClose(betaI(2, 3, 0.4), 0.5248, 1e-12); // I_x(2,3) = 6x^2 - 8x^3 + 3x^4
  });
});

group('quantile', () => {
  it('closed forms and numeric inverses at known points', () => {
    expect(quantile({ type: 'uniform', min: 0, max: 10 }, 0.9)).toBe(9);
    expectRelClose(quantile({ type: 'normal', mean: 10, sd: 2 }, 0.95), 10 + 2 * 1.6448536269514722, 1e-12);
    expectRelClose(quantile({ type: 'triangular', min: 0, mode: 0, max: 1 }, 0.75), 0.5, 1e-12);
    expectRelClose(quantile({ type: 'gamma', shape: 0.5, scale: 2 }, 0.5), 0.454936423119572, 1e-10); // chi² with 1 df
    expectRelClose(quantile({ type: 'beta', alpha: 2, beta: 5, min: 0, max: 1 }, 0.5), 0.26444998329566, 1e-9);
    expectRelClose(quantile({ type: 'gamma', shape: 1, scale: 3 }, 0.9), 3 * Math.log(10), 1e-10); // exponential
    expect(quantile({ type: 'empirical', values: [4, 1, 3, 2] }, 0.5)).toBe(2.5);
    expect(() => quantile({ type: 'point', value: 1 }, 1.5)).toThrow('quantile: p must be between 0 and 1 (got 1.5)');
  });

  it.each(EVERY_TYPE.map((d) => [d.type, d] as const))('%s: quantiles lie in the support and are ordered; cdf(quantile(p)) = p', (_t, d) => {
    const [lo, hi] = support(d);
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }), (p, q) => {
        const [a, b] = p <= q ? [p, q] : [q, p];
        const qa = quantile(d, a);
        const qb = quantile(d, b);
        expect(qa).toBeGreaterThanOrEqual(lo);
        expect(qb).toBeLessThanOrEqual(hi);
        expect(qa).toBeLessThanOrEqual(qb);
        if (d.type !== 'point' && d.type !== 'empirical' && a > 1e-6 && a < 1 - 1e-6) {
          expect(Math.abs(cdf(d, qa) - a)).toBeLessThan(1e-8);
        }
      }),
      { numRuns: 60 },
    );
    expect(quantile(d, 0.1)).toBeLessThanOrEqual(quantile(d, 0.5));
    expect(quantile(d, 0.5)).toBeLessThanOrEqual(quantile(d, 0.9));
  });

  it.each(EVERY_TYPE.map((d) => [d.type, d] as const))('%s: cdf is non-decreasing within [0, 1]', (_t, d) => {
    fc.assert(
      fc.property(fc.double({ min: -50, max: 50, noNaN: true }), fc.double({ min: -50, max: 50, noNaN: true }), (x, y) => {
        const [a, b] = x <= y ? [x, y] : [y, x];
        const fa = cdf(d, a);
        const fb = cdf(d, b);
        expect(fa).toBeGreaterThanOrEqual(0);
        expect(fb).toBeLessThanOrEqual(1);
        expect(fa).toBeLessThanOrEqual(fb);
      }),
      { numRuns: 60 },
    );
  });
});

group('mean and describe', () => {
  it('means in closed form', () => {
    expect(mean({ type: 'pert', min: 1, mode: 2, max: 5, lambda: 4 })).toBeCloseTo(14 / 6, 12);
    expectRelClose(mean({ type: 'lognormal', mu: 0, sigma: 1 }), Math.exp(0.5), 1e-15);
    expect(mean({ type: 'beta', alpha: 1, beta: 3, min: 10, max: 20 })).toBe(12.5);
    expect(mean({ type: 'empirical', values: [1, 2, 6] })).toBe(3);
  });

  it('descriptions for the assumptions table', () => {
    const ln: Dist = { type: 'lognormal', mu: (Math.log(2.5) + Math.log(4)) / 2, sigma: (Math.log(4) - Math.log(2.5)) / (2 * 1.6448536269514722) };
    expect(describe(ln)).toBe('lognormal, 90 % CI 2.5 to 4');
    expect(describe({ type: 'pert', min: 1, mode: 2, max: 5, lambda: 4 })).toBe('PERT(min 1, mode 2, max 5)');
    expect(describe({ type: 'pert', min: 1, mode: 2, max: 5, lambda: 6 })).toBe('PERT(min 1, mode 2, max 5, lambda 6)');
    expect(describe({ type: 'point', value: 6000 })).toBe('6000');
    expect(describe({ type: 'normal', mean: 1, sd: 1.2159136638235384 })).toBe('normal, 90 % CI -1 to 3');
    expect(describe({ type: 'uniform', min: 0.1, max: 0.3 })).toBe('uniform(0.1 to 0.3)');
    expect(describe({ type: 'beta', alpha: 2, beta: 5, min: 0, max: 1 })).toBe('beta(alpha 2, beta 5)');
    expect(describe({ type: 'gamma', shape: 2, scale: 1234567 })).toBe('gamma(shape 2, scale 1235000)');
    expect(describe({ type: 'empirical', values: [3, 1, 2] })).toBe('empirical(3 values, 1 to 3)');
  });
});
