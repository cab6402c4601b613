import { describe as group, expect, it } from 'vitest';
import fc from 'fast-check';
import { quantile as ssQuantile } from 'simple-statistics';
import { ecdfAt, quantileSorted, summarize, sum } from '../../src/stats/index.js';
import { deepFreeze, expectRelClose } from '../helpers.js';

group('quantileSorted', () => {
  it('interpolates linearly between order statistics (R type 7)', () => {
    const s = deepFreeze([1, 2, 3, 4]);
    expect(quantileSorted(s, 0.5)).toBe(2.5);
    expect(quantileSorted(s, 0)).toBe(1);
    expect(quantileSorted(s, 1)).toBe(4);
    expectRelClose(quantileSorted(s, 0.1), 1.3, 1e-14);
    expect(quantileSorted([7], 0.3)).toBe(7);
    expect(() => quantileSorted(s, -0.1)).toThrow('quantileSorted: p must be between 0 and 1 (got -0.1)');
    expect(() => quantileSorted([], 0.5)).toThrow('quantileSorted: needs at least one value');
  });
});

group('summarize', () => {
  it('p10, p50, p90 and mean of a small set', () => {
    expect(summarize([1, 2, 3, 4, 5])).toEqual({ p10: 1.4, p50: 3, p90: 4.6, mean: 3 });
  });

  it('does not mutate its input (frozen array, typed array keeps its order)', () => {
    const frozen = deepFreeze([5, 1, 4, 2, 3]);
    summarize(frozen);
    expect(frozen).toEqual([5, 1, 4, 2, 3]);
    const typed = Float64Array.of(5, 1, 4, 2, 3);
    summarize(typed);
    expect(Array.from(typed)).toEqual([5, 1, 4, 2, 3]);
  });

  it('ignores NaN, keeps infinities, refuses an empty set', () => {
    expect(summarize([NaN, 1, 2, 3, NaN]).p50).toBe(2);
    expect(summarize([1, 2, Infinity]).p90).toBe(Infinity);
    expect(() => summarize([NaN])).toThrow('summarize: needs at least one value that is not NaN');
  });

  it('handles 200k values quickly (no spread of the array)', () => {
    const x = new Float64Array(200_000);
    for (let i = 0; i < x.length; i++) x[i] = (i * 7919) % 200_000;
    const q = summarize(x);
    expectRelClose(q.p50, 99_999.5, 1e-12);
    expectRelClose(q.mean, 99_999.5, 1e-12);
  });

  it('ordered, within [min, max], and agrees with simple-statistics (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: -1e9, max: 1e9, noNaN: true }), { minLength: 1, maxLength: 200 }), (xs) => {
        const q = summarize(xs);
        let lo = Infinity;
        let hi = -Infinity;
        for (const v of xs) {
          lo = Math.min(lo, v);
          hi = Math.max(hi, v);
        }
        expect(q.p10).toBeGreaterThanOrEqual(lo);
        expect(q.p90).toBeLessThanOrEqual(hi);
        expect(q.p10).toBeLessThanOrEqual(q.p50);
        expect(q.p50).toBeLessThanOrEqual(q.p90);
        expect(q.mean).toBeGreaterThanOrEqual(lo - 1e-6);
        expect(q.mean).toBeLessThanOrEqual(hi + 1e-6);
        // the median of simple-statistics (which averages the middle pair) is type 7's p50
        expect(Math.abs(q.p50 - ssQuantile(xs, 0.5))).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(q.p50)));
      }),
    );
  });
});

group('sum', () => {
  it('compensates rounding (Neumaier)', () => {
    expect(sum([1, 1e100, 1, -1e100])).toBe(2);
  });
});

group('ecdfAt', () => {
  it('share of values <= x', () => {
    expect(ecdfAt(deepFreeze([1, 2, 2, 4]), [0, 1, 2, 3, 4, 5])).toEqual([0, 0.25, 0.75, 0.75, 1, 1]);
    expect(() => ecdfAt([], [1])).toThrow('ecdfAt: needs at least one value');
  });

  it('is non-decreasing in x (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -100, max: 100, noNaN: true }), { minLength: 1, maxLength: 50 }),
        fc.array(fc.double({ min: -120, max: 120, noNaN: true }), { minLength: 1, maxLength: 20 }),
        (vals, xs) => {
          const s = Float64Array.from(vals).sort();
          const sortedXs = [...xs].sort((a, b) => a - b);
          const f = ecdfAt(s, sortedXs);
          for (let i = 1; i < f.length; i++) expect(f[i]).toBeGreaterThanOrEqual(f[i - 1]!);
          for (const v of f) expect(v >= 0 && v <= 1).toBe(true);
        },
      ),
    );
  });
});
