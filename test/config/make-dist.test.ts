import { describe as group, expect, it } from 'vitest';
import fc from 'fast-check';
import { quantile } from '../../src/distributions/index.js';
import { makeDist, type DistSpecInput, type MakeResult } from '../../src/config/index.js';
import { deepFreeze, expectRelClose } from '../helpers.js';

function ok(r: MakeResult) {
  if (!r.ok) throw new Error(`expected ok, got: ${r.message}`);
  return r.value;
}
function err(r: MakeResult): string {
  if (r.ok) throw new Error(`expected an error, got ${JSON.stringify(r.value)}`);
  return r.message;
}

group('makeDist forms', () => {
  it('a number is a point; open clamp bounds stop at the number rule (±1e15)', () => {
    expect(ok(makeDist(5, {}))).toEqual({ dist: { type: 'point', value: 5 }, min: -1e15, max: 1e15, written: '5' });
  });

  it('an expression string is a point and keeps how it was written', () => {
    const v = ok(makeDist('5000 * 1.2', { min: 0 }));
    expect(v.dist).toEqual({ type: 'point', value: 6000 });
    expect(v.written).toBe('5000 * 1.2');
    expect(v.min).toBe(0);
    expect(ok(makeDist('1_000_000', {})).dist).toEqual({ type: 'point', value: 1e6 });
  });

  it('"low to high" with low > 0 is a lognormal whose 5 % and 95 % quantiles are low and high', () => {
    const v = ok(makeDist('2.5 to 4.0', { gt: 0 }));
    expect(v.dist.type).toBe('lognormal');
    expect(v.written).toBe('2.5 to 4.0');
    expectRelClose(quantile(v.dist, 0.05), 2.5, 1e-9);
    expectRelClose(quantile(v.dist, 0.95), 4, 1e-9);
    expectRelClose(quantile(v.dist, 0.5), Math.sqrt(10), 1e-12);
  });

  it('"low to high" with low <= 0 is a normal', () => {
    const v = ok(makeDist('-1 to 3', {}));
    expect(v.dist.type).toBe('normal');
    expectRelClose(quantile(v.dist, 0.05), -1, 1e-9);
    expectRelClose(quantile(v.dist, 0.95), 3, 1e-9);
    expect(ok(makeDist('0 to 10', { min: 0 })).dist.type).toBe('normal');
  });

  it('interval ends may be expressions or use _ separators', () => {
    const v = ok(makeDist('1_000 to 2 * 1_000', {}));
    expectRelClose(quantile(v.dist, 0.95), 2000, 1e-9);
    const w = ok(makeDist('1e3 to 4e3', {}));
    expectRelClose(quantile(w.dist, 0.05), 1000, 1e-9);
  });

  it('objects of every type, with written and source', () => {
    const v = ok(makeDist({ type: 'pert', min: 1, mode: 2, max: 5, source: 'vendor sheet' }, {}));
    expect(v.dist).toEqual({ type: 'pert', min: 1, mode: 2, max: 5, lambda: 4 });
    expect(v.written).toBe('{type: pert, min: 1, mode: 2, max: 5}');
    expect(v.source).toBe('vendor sheet');
    expect('source' in ok(makeDist(3, {}))).toBe(false);
    expect(ok(makeDist({ type: 'point', value: 2 }, {})).dist).toEqual({ type: 'point', value: 2 });
    expect(ok(makeDist({ type: 'uniform', min: 1, max: 2 }, {})).dist).toEqual({ type: 'uniform', min: 1, max: 2 });
    expect(ok(makeDist({ type: 'normal', mean: 1, sd: 2 }, {})).dist).toEqual({ type: 'normal', mean: 1, sd: 2 });
    expect(ok(makeDist({ type: 'lognormal', mu: 1, sigma: 2 }, {})).dist).toEqual({ type: 'lognormal', mu: 1, sigma: 2 });
    expect(ok(makeDist({ type: 'triangular', min: 1, mode: 1, max: 2 }, {})).dist.type).toBe('triangular');
    expect(ok(makeDist({ type: 'beta', alpha: 2, beta: 3 }, {})).dist).toEqual({ type: 'beta', alpha: 2, beta: 3, min: 0, max: 1 });
    expect(ok(makeDist({ type: 'gamma', shape: 2, scale: 3 }, {})).dist).toEqual({ type: 'gamma', shape: 2, scale: 3 });
    expect(ok(makeDist({ type: 'empirical', values: [3, 1, 2] }, {})).dist).toEqual({ type: 'empirical', values: [3, 1, 2] });
    expect(ok(makeDist({ type: 'pert', min: 0, mode: 1, max: 2, lambda: 6 }, {})).dist).toMatchObject({ lambda: 6 });
  });

  it('normal and lognormal objects take a 90 % interval too (normal even when low > 0)', () => {
    const n = ok(makeDist({ type: 'normal', low: 2, high: 4 }, {}));
    expect(n.dist.type).toBe('normal');
    expectRelClose(quantile(n.dist, 0.05), 2, 1e-9);
    const l = ok(makeDist({ type: 'lognormal', low: 2, high: 8 }, {}));
    expect(l.dist.type).toBe('lognormal');
    expectRelClose(quantile(l.dist, 0.95), 8, 1e-9);
  });

  it('object parameters may still be expressions when called outside the schema', () => {
    expect(ok(makeDist({ type: 'uniform', min: '1 + 1', max: '2 * 3' }, {})).dist).toEqual({ type: 'uniform', min: 2, max: 6 });
  });

  it('a long empirical list is shortened in `written`', () => {
    const values = Array.from({ length: 20 }, (_, i) => i + 1);
    expect(ok(makeDist({ type: 'empirical', values }, {})).written).toBe('{type: empirical, values: [1, 2, 3, 4, 5, 6, 7, 8, … (20 values)]}');
  });
});

group('makeDist consistency errors state the rule', () => {
  const cases: [DistSpecInput, string][] = [
    ['5 to 2', 'low (5) must be less than high (2)'],
    ['3 to 3', 'low (3) must be less than high (3)'],
    ['1 to x', 'high: unknown name "x" in expression (only numbers, + - * / ^, sqrt, exp, log, log10, log2, min, max, round, floor, ceil, abs, and pi, e)'],
    ['1 to 2 to 3', '"1 to 2 to 3" is not a number, an expression or an interval "low to high"'],
    [{ type: 'uniform', min: 5, max: 2 }, 'min (5) must be less than max (2)'],
    [{ type: 'triangular', min: 1, mode: 9, max: 5 }, 'mode (9) must be within [min, max] = [1, 5]'],
    [{ type: 'pert', min: 1, mode: 0, max: 5 }, 'mode (0) must be within [min, max] = [1, 5]'],
    [{ type: 'pert', min: 1, mode: 2, max: 5, lambda: 0 }, 'lambda must be > 0 (got 0)'],
    [{ type: 'normal', mean: 1, sd: 0 }, 'sd must be > 0 (got 0)'],
    [{ type: 'lognormal', mu: 1, sigma: -1 }, 'sigma must be > 0 (got -1)'],
    [{ type: 'lognormal', low: 0, high: 3 }, 'low must be > 0 for a lognormal (got 0); use a normal for an interval that reaches 0 or below'],
    [{ type: 'normal', low: 3, high: 1 }, 'low (3) must be less than high (1)'],
    [{ type: 'normal', mean: 1, low: 0, high: 2 }, 'a normal distribution takes either mean and sd, or low and high (a 90 % interval), not both'],
    [{ type: 'normal', mean: 1 }, 'a normal distribution needs mean, sd'],
    [{ type: 'normal' }, 'a normal distribution needs mean and sd, or low and high (a 90 % interval)'],
    [{ type: 'beta', alpha: 0, beta: 1 }, 'alpha must be > 0 (got 0)'],
    [{ type: 'beta', alpha: 1, beta: 1, min: 2, max: 1 }, 'min (2) must be less than max (1)'],
    [{ type: 'gamma', shape: 2, scale: 0 }, 'scale must be > 0 (got 0)'],
    [{ type: 'empirical', values: [] }, 'an empirical distribution needs a non-empty list of values'],
    [{ type: 'weibull', k: 1 }, 'unknown distribution type "weibull" (expected point, uniform, normal, lognormal, triangular, pert, beta, gamma or empirical)'],
    [{ type: 'uniform', min: 1, max: 2, mean: 3 }, 'unknown key "mean" for a uniform distribution (allowed: min, max, type, source, note)'],
    [Infinity, 'value must be a finite number (got Infinity)'],
  ];
  it.each(cases)('%j → %s', (input, message) => {
    expect(err(makeDist(input, {}))).toBe(message);
  });

  it('rejects low > high for any pair (property)', () => {
    fc.assert(
      fc.property(fc.double({ min: -1e6, max: 1e6, noNaN: true }), fc.double({ min: -1e6, max: 1e6, noNaN: true }), (a, b) => {
        fc.pre(a >= b);
        return !makeDist(`${a} to ${b}`, {}).ok;
      }),
    );
  });
});

group('makeDist range checks', () => {
  it('a point outside the range is an error', () => {
    expect(err(makeDist(3, { min: 0, max: 1 }))).toBe('must be >= 0 and <= 1 (got 3)');
    expect(err(makeDist(0, { gt: 0 }))).toBe('must be > 0 (got 0)');
    expect(err(makeDist(1.5, { min: 1, int: true }))).toBe('must be >= 1 and a whole number (got 1.5)');
  });

  it('bounded distributions must lie within the range', () => {
    expect(err(makeDist({ type: 'uniform', min: -1, max: 1 }, { min: 0 }))).toBe("a uniform from -1 to 1 must lie within the field's range (>= 0)");
    expect(err(makeDist({ type: 'pert', min: 0.5, mode: 0.9, max: 1.2 }, { min: 0, max: 1 }))).toBe(
      "PERT from 0.5 to 1.2 must lie within the field's range (>= 0 and <= 1)",
    );
    expect(err(makeDist({ type: 'beta', alpha: 2, beta: 2, min: 0, max: 2 }, { max: 1 }))).toMatch(/must lie within/);
    expect(err(makeDist({ type: 'empirical', values: [1, -2] }, { min: 0 }))).toBe('every value must be >= 0 (got -2)');
    // an endpoint at an exclusive bound has probability 0: allowed, and clamped above it
    const u = ok(makeDist({ type: 'uniform', min: 0, max: 1 }, { gt: 0 }));
    expect(u.min).toBe(Number.MIN_VALUE);
  });

  it('unbounded distributions need their 90 % interval inside the range', () => {
    expect(err(makeDist('-1 to 10', { min: 0 }))).toBe(
      "the 90 % interval of the distribution (-1 to 10) must lie within the field's range (>= 0); samples are clamped to the range, but the bulk of the distribution must be inside it",
    );
    expect(err(makeDist({ type: 'normal', mean: 1, sd: 5 }, { min: 0 }))).toBe(
      "the 90 % interval of normal(mean 1, sd 5) (-7.224 to 9.224) must lie within the field's range (>= 0); samples are clamped to the range, but the bulk of the distribution must be inside it",
    );
    expect(err(makeDist({ type: 'gamma', shape: 2, scale: 1 }, { max: 4 }))).toMatch(/^the 90 % interval of gamma\(shape 2, scale 1\) \(0\.3554 to 4\.744\)/);
    expect(ok(makeDist('0 to 10', { min: 0 })).min).toBe(0);
    expect(ok(makeDist('0.1 to 0.9', { min: 0, max: 1 })).max).toBe(1);
  });

  it('clamp bounds follow the range; whole-number fields are flagged and get whole bounds', () => {
    const v = ok(makeDist('2 to 5', { gt: 0.5, max: 9.5, int: true }));
    expect(v).toMatchObject({ min: 1, max: 9, int: true });
    expect(ok(makeDist('2 to 5', { gt: 1 })).min).toBeGreaterThan(1);
    expect(ok(makeDist('2 to 5', { gt: 1 })).min).toBeLessThan(1 + 1e-15);
    expect(ok(makeDist('-5 to -2', { gt: -10 })).min).toBeGreaterThan(-10);
  });
});

group('makeDist does not mutate its input', () => {
  it('frozen objects are accepted and left as they were', () => {
    const input = deepFreeze({ type: 'empirical', values: [3, 1, 2], source: 's' });
    const copy = structuredClone(input);
    ok(makeDist(input, { min: 0 }));
    expect(input).toEqual(copy);
  });
});

group('"a to b" round trip (property)', () => {
  it('5 % and 95 % quantiles equal a and b for any a < b', () => {
    fc.assert(
      fc.property(fc.double({ min: -1e6, max: 1e6, noNaN: true }), fc.double({ min: 1e-3, max: 1e6, noNaN: true }), (a, width) => {
        const b = a + width;
        fc.pre(b > a && (a <= 0 || b / a > 1 + 1e-9));
        const v = ok(makeDist(`${a} to ${b}`, {}));
        expect(v.dist.type).toBe(a > 0 ? 'lognormal' : 'normal');
        const scale = Math.max(Math.abs(a), Math.abs(b));
        expect(Math.abs(quantile(v.dist, 0.05) - a)).toBeLessThanOrEqual(1e-9 * scale);
        expect(Math.abs(quantile(v.dist, 0.95) - b)).toBeLessThanOrEqual(1e-9 * scale);
      }),
    );
  });
});
