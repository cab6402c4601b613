import { describe as group, expect, it } from 'vitest';
import fc from 'fast-check';
import { logHistogram } from '../../src/stats/index.js';
import { expectRelClose } from '../helpers.js';

group('logHistogram', () => {
  it('log-spaced edges from the data', () => {
    const h = logHistogram(Float64Array.of(1, 10, 100), 2);
    expect(h.edges[0]).toBe(1);
    expectRelClose(h.edges[1]!, 10, 1e-14);
    expect(h.edges[2]).toBe(100);
    expect(h.counts).toEqual([1, 2]);
    expect(h).toMatchObject({ ignored: 0, outside: 0 });
  });

  it('ignores non-finite and non-positive values and reports them', () => {
    const h = logHistogram(Float64Array.of(NaN, -1, 0, Infinity, 2, 4), 4);
    expect(h.ignored).toBe(4);
    expect(h.counts.reduce((a, b) => a + b, 0)).toBe(2);
  });

  it('fixed bounds count values outside them separately', () => {
    const h = logHistogram(Float64Array.of(0.5, 1, 5, 50, 500), 3, { min: 1, max: 100 });
    expect(h.outside).toBe(2);
    expect(h.counts).toEqual([1, 1, 1]);
    expect(() => logHistogram(Float64Array.of(1), 3, { min: 0 })).toThrow('logHistogram: need 0 < min <= max (got min 0, max 1)');
    expect(() => logHistogram(Float64Array.of(1), 0)).toThrow('logHistogram: bins must be a whole number >= 1 (got 0)');
  });

  it('a single value and an empty input', () => {
    const h = logHistogram(Float64Array.of(3, 3), 5);
    expect(h.counts.reduce((a, b) => a + b, 0)).toBe(2);
    expect(logHistogram(new Float64Array(0), 5)).toEqual({ edges: [], counts: [], ignored: 0, outside: 0 });
  });

  it('counts values one ulp apart (equal logarithms, zero bin width)', () => {
    // found by fast-check: [1.0000000000000002e-6, 1e-6] in one bin counted 0
    const h = logHistogram(Float64Array.from([0.0000010000000000000002, 0.000001]), 1);
    expect(h.counts).toEqual([2]);
    const h3 = logHistogram(Float64Array.from([0.0000010000000000000002, 0.000001]), 3);
    expect(h3.counts.reduce((a, b) => a + b, 0)).toBe(2);
  });

  it('values too close to split into distinct edges get bins around them (±10 %), edges strictly rising', () => {
    // found by the property below (FC_SEED=random): 1e-6 and 1e-6·(1 + 1.4e-15) have distinct
    // logarithms, but 8 log-spaced edges between them round to repeated doubles
    const h = logHistogram(Float64Array.from([0.000001, 0.0000010000000000000014]), 8);
    expect(h.edges[0]).toBeCloseTo(0.000001 / 1.1, 20);
    expect(h.edges[8]).toBeCloseTo(0.0000010000000000000014 * 1.1, 20);
    for (let i = 1; i < h.edges.length; i++) expect(h.edges[i]).toBeGreaterThan(h.edges[i - 1]!);
    expect(h.counts.reduce((a, b) => a + b, 0)).toBe(2);
  });

  it('every positive finite value lands in the bin whose edges hold it (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 1e-6, max: 1e12, noNaN: true }), { minLength: 1, maxLength: 300 }), fc.integer({ min: 1, max: 40 }), (vals, bins) => {
        const x = Float64Array.from(vals);
        const h = logHistogram(x, bins);
        expect(h.counts.reduce((a, b) => a + b, 0)).toBe(vals.length);
        for (let i = 1; i < h.edges.length; i++) expect(h.edges[i]).toBeGreaterThan(h.edges[i - 1]!);
        const recount = new Array<number>(bins).fill(0);
        for (const v of vals) {
          let k = 0;
          while (k < bins - 1 && v >= h.edges[k + 1]!) k++;
          recount[k]!++;
        }
        expect(h.counts).toEqual(recount);
      }),
    );
  });
});
