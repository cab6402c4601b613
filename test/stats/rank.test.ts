import { describe as group, expect, it } from 'vitest';
import fc from 'fast-check';
import { sampleRankCorrelation } from 'simple-statistics';
import { rankCorrelations, ranks, spearman } from '../../src/stats/index.js';
import { expectRelClose } from '../helpers.js';

const f = (...xs: number[]) => Float64Array.from(xs);

group('ranks', () => {
  it('gives ties the average rank', () => {
    expect(Array.from(ranks(f(10, 30, 20, 20)))).toEqual([0, 3, 1.5, 1.5]);
  });

  it('ranks NaNs last, tied with each other', () => {
    expect(Array.from(ranks(f(NaN, 2, NaN, 1)))).toEqual([2.5, 1, 2.5, 0]);
    expect(Array.from(ranks(f()))).toEqual([]);
  });

  it('matches the definition: (#smaller) + (#equal - 1) / 2 (property)', () => {
    const value = fc.oneof(fc.integer({ min: -3, max: 3 }), fc.double({ noDefaultInfinity: true }), fc.constant(NaN), fc.constant(-0));
    fc.assert(
      fc.property(fc.array(value, { maxLength: 80 }), (xs) => {
        const same = (a: number, b: number) => a === b || (Number.isNaN(a) && Number.isNaN(b));
        const less = (a: number, b: number) => (Number.isNaN(a) ? false : Number.isNaN(b) ? true : a < b);
        const want = xs.map((v) => xs.filter((u) => less(u, v)).length + (xs.filter((u) => same(u, v)).length - 1) / 2);
        expect(Array.from(ranks(Float64Array.from(xs)))).toEqual(want);
      }),
    );
  });
});

group('spearman', () => {
  it('is 1 for a monotone relation, -1 for a reversed one', () => {
    expect(spearman(f(1, 2, 3, 4), f(1, 4, 9, 16))).toBe(1);
    expect(spearman(f(1, 2, 3, 4), f(9, 5, 2, -7))).toBe(-1);
  });

  it('is 0 (not NaN) when either side is constant or too short', () => {
    expect(spearman(f(1, 1, 1), f(1, 2, 3))).toBe(0);
    expect(spearman(f(1, 2, 3), f(5, 5, 5))).toBe(0);
    expect(spearman(f(), f())).toBe(0);
    expect(spearman(f(1), f(2))).toBe(0);
  });

  it('rejects arrays of different length', () => {
    expect(() => spearman(f(1, 2), f(1))).toThrow('spearman: x and y must have the same length (2 vs 1)');
  });

  it('agrees with simple-statistics (midranks) on data with ties (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 5 }), fc.integer({ min: 0, max: 5 })), { minLength: 3, maxLength: 60 }), (pairs) => {
        const x = pairs.map((p) => p[0]);
        const y = pairs.map((p) => p[1]);
        const ours = spearman(Float64Array.from(x), Float64Array.from(y));
        const theirs = sampleRankCorrelation(x, y);
        if (Number.isNaN(theirs)) expect(ours).toBe(0);
        else expect(Math.abs(ours - theirs)).toBeLessThan(1e-12);
        expect(ours >= -1 && ours <= 1).toBe(true);
      }),
    );
  });

  it('does not depend on the order of the pairs and does not mutate inputs', () => {
    const x = f(3, 1, 2, 2, 5);
    const y = f(1, 0, 4, 4, 2);
    const before = [Array.from(x), Array.from(y)];
    const r1 = spearman(x, y);
    expect([Array.from(x), Array.from(y)]).toEqual(before);
    expect(spearman(f(5, 2, 2, 1, 3), f(2, 4, 4, 0, 1))).toBe(r1);
  });
});

group('rankCorrelations', () => {
  it('one rho per input, in input order', () => {
    const n = 2000;
    const a = new Float64Array(n);
    const b = new Float64Array(n);
    const c = new Float64Array(n);
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      a[i] = i;
      b[i] = (i * 7919) % n; // unrelated permutation
      c[i] = 1;
      out[i] = Math.exp(i / 500) - 0.5 * ((i * 7919) % n) / n;
    }
    const r = rankCorrelations(
      [
        { path: 'a', values: a },
        { path: 'b', values: b },
        { path: 'c', values: c },
      ],
      out,
    );
    expect(r.map((e) => e.input)).toEqual(['a', 'b', 'c']);
    expect(r[0]!.rho).toBeGreaterThan(0.99);
    expect(Math.abs(r[1]!.rho)).toBeLessThan(0.1);
    expect(r[2]!.rho).toBe(0);
    expectRelClose(r[0]!.rho, spearman(a, out), 1e-15);
  });
});
