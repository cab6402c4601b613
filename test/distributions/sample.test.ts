import { describe as group, expect, it } from 'vitest';
import { makeDist } from '../../src/config/index.js';
import { cdf, mean, NormalSource, quantile, sample, sampleClamped, standardNormal, trialRng, type Dist, type DistSpec } from '../../src/distributions/index.js';
import { expectRelClose } from '../helpers.js';
import { EVERY_TYPE } from './fixtures.js';

const N = 20_000;

function draws(d: Dist, seed = 1): Float64Array {
  const rng = trialRng(seed, 0);
  const out = new Float64Array(N);
  for (let i = 0; i < N; i++) out[i] = sample(d, rng);
  return out;
}

group('sample', () => {
  it.each(EVERY_TYPE.map((d) => [d.type, d] as const))('%s: sample mean converges to the analytic mean (5 standard errors)', (_t, d) => {
    const x = draws(d);
    let m = 0;
    for (const v of x) m += v;
    m /= N;
    let s2 = 0;
    for (const v of x) s2 += (v - m) ** 2;
    const se = Math.sqrt(s2 / (N - 1) / N);
    const mu = mean(d);
    expectRelClose(m, mu, Math.max(5 * se / Math.abs(mu), 1e-15));
  });

  it.each(EVERY_TYPE.filter((d) => d.type !== 'point').map((d) => [d.type, d] as const))(
    '%s: sample shares below the analytic 10/50/90 % quantiles match (sampler agrees with quantile)',
    (_t, d) => {
      const x = draws(d, 2);
      for (const p of [0.1, 0.5, 0.9]) {
        const q = quantile(d, p);
        let below = 0;
        for (const v of x) if (v <= q) below++;
        // empirical: compare with its own (step) CDF; continuous: with p. SE <= 0.0036.
        const expected = d.type === 'empirical' ? cdf(d, q) : p;
        expect(Math.abs(below / N - expected)).toBeLessThan(0.015);
      }
    },
  );

  it('bounded samples stay in their support; empirical draws only its values', () => {
    const tri = draws({ type: 'triangular', min: 1, mode: 2, max: 6 });
    const beta = draws({ type: 'beta', alpha: 0.5, beta: 0.5, min: 10, max: 20 });
    expect(tri.filter((v) => !(v >= 1 && v <= 6)).length).toBe(0);
    expect(beta.filter((v) => !(v >= 10 && v <= 20)).length).toBe(0);
    const emp = draws({ type: 'empirical', values: [3, 1, 4] });
    expect(new Set(emp)).toEqual(new Set([1, 3, 4]));
  });

  it('sampleClamped clamps to the spec bounds and rounds whole-number fields', () => {
    const spec: DistSpec = { dist: { type: 'normal', mean: 0, sd: 10 }, min: -1, max: 2, written: 'x' };
    const rng = trialRng(3, 0);
    let atMin = 0;
    for (let i = 0; i < 1000; i++) {
      const v = sampleClamped(spec, rng);
      expect(v >= -1 && v <= 2).toBe(true);
      if (v === -1) atMin++;
    }
    expect(atMin).toBeGreaterThan(300);
    const r = makeDist('2 to 20', { min: 1, int: true });
    if (!r.ok) throw new Error(r.message);
    for (let i = 0; i < 200; i++) {
      const v = sampleClamped(r.value, rng);
      expect(Number.isInteger(v) && v >= 1).toBe(true);
    }
  });

  it('standardNormal and NormalSource have mean 0 and variance 1', () => {
    for (const next of [(() => { const r = trialRng(5, 0); return () => standardNormal(r); })(), (() => { const s = new NormalSource(trialRng(5, 1)); return () => s.next(); })()]) {
      let m = 0;
      let m2 = 0;
      for (let i = 0; i < N; i++) {
        const z = next();
        m += z;
        m2 += z * z;
      }
      expect(Math.abs(m / N)).toBeLessThan(5 / Math.sqrt(N));
      expectRelClose(m2 / N, 1, 5 * Math.sqrt(2 / N));
    }
  });

  it('NormalSource pairs are uncorrelated (the cached second value is independent)', () => {
    const s = new NormalSource(trialRng(6, 0));
    let sxy = 0;
    for (let i = 0; i < N; i++) sxy += s.next() * s.next();
    expect(Math.abs(sxy / N)).toBeLessThan(5 / Math.sqrt(N));
  });

  it('sampling uses only the rng it is given', () => {
    const a = draws({ type: 'gamma', shape: 0.7, scale: 2 }, 9);
    const b = draws({ type: 'gamma', shape: 0.7, scale: 2 }, 9);
    expect(a).toEqual(b);
    const c = draws({ type: 'gamma', shape: 0.7, scale: 2 }, 10);
    expect(c).not.toEqual(a);
  });
});
