import { describe, it, expect } from 'vitest';
import { AleaStream, seededRng } from '../../src/distributions/index.js';

/** the engine's generator, seeded from a string */
const seedrandom = (seed: string) => new AleaStream(seed);
import { fillDemandPath, hourOfWeekFactors, peakNeed, poisson, normaliseMean1, type PathParams } from '../../src/traffic/index.js';

const flat = hourOfWeekFactors('flat', 'flat');
const params = (p: Partial<PathParams> = {}): PathParams => ({
  baseRequestsPerHour: 100,
  growthMonthly: 0,
  hourOfWeek: flat,
  noiseCv: 0,
  noiseAutocorrelation: 0,
  bursts: null,
  ...p,
});
const H = 8760;

function quantile(a: Float64Array, q: number): number {
  const s = Float64Array.from(a).sort();
  return s[Math.floor(q * (s.length - 1))]!;
}
function lag1(a: Float64Array): number {
  let m = 0;
  for (const v of a) m += v;
  m /= a.length;
  let num = 0;
  let den = 0;
  for (let i = 0; i < a.length; i++) {
    den += (a[i]! - m) ** 2;
    if (i > 0) num += (a[i]! - m) * (a[i - 1]! - m);
  }
  return num / den;
}

describe('shapes', () => {
  it('normalises presets to mean 1 over the week', () => {
    for (const d of ['flat', 'business-hours', 'consumer-evening', 'nightly-batch'] as const) {
      for (const w of ['flat', 'weekdays', 'weekend-heavy'] as const) {
        const f = hourOfWeekFactors(d, w);
        const mean = f.reduce((a, b) => a + b, 0) / 168;
        expect(Math.abs(mean - 1)).toBeLessThan(1e-12);
      }
    }
  });
  it('business hours peak in the day, not at night', () => {
    const f = hourOfWeekFactors('business-hours', 'flat');
    expect(f[10]!).toBeGreaterThan(3 * f[3]!);
  });
  it('does not mutate custom shapes', () => {
    const shape = Object.freeze([1, 2, 3, 4, 5, 6, 7]);
    expect(normaliseMean1(shape)).toHaveLength(7);
    expect(shape[0]).toBe(1);
  });
});

describe('fillDemandPath', () => {
  it('flat traffic with no noise is exactly the base rate', () => {
    const out = new Float64Array(H);
    const s = fillDemandPath(out, H, params(), seedrandom('1'));
    expect(s.min).toBe(100);
    expect(s.max).toBe(100);
    expect(Math.abs(s.sum - 100 * H)).toBeLessThan(1e-6);
  });
  it('compounds growth per month', () => {
    const out = new Float64Array(H);
    fillDemandPath(out, H, params({ growthMonthly: 0.1 }), seedrandom('1'));
    expect(Math.abs(out[730]! / out[0]! - 1.1) / 1.1).toBeLessThan(1e-9);
    expect(Math.abs(out[7300]! / out[0]! - 1.1 ** 10) / 1.1 ** 10).toBeLessThan(1e-9);
  });
  it('noise has mean 1 and the requested cv', () => {
    const out = new Float64Array(H * 4);
    fillDemandPath(out, H * 4, params({ noiseCv: 0.3 }), seedrandom('noise'));
    let m = 0;
    for (const v of out) m += v;
    m /= out.length;
    let v2 = 0;
    for (const v of out) v2 += (v - m) ** 2;
    const cv = Math.sqrt(v2 / out.length) / m;
    expect(Math.abs(m / 100 - 1)).toBeLessThan(0.02);
    expect(Math.abs(cv - 0.3) / 0.3).toBeLessThan(0.05);
  });
  it('autocorrelation shows up hour to hour', () => {
    const a = new Float64Array(H);
    const b = new Float64Array(H);
    fillDemandPath(a, H, params({ noiseCv: 0.3, noiseAutocorrelation: 0 }), seedrandom('x'));
    fillDemandPath(b, H, params({ noiseCv: 0.3, noiseAutocorrelation: 0.8 }), seedrandom('x'));
    expect(Math.abs(lag1(a))).toBeLessThan(0.05);
    expect(lag1(b)).toBeGreaterThan(0.7);
  });
  it('autocorrelation raises the peak quantile of monthly-scale peaks (daily means)', () => {
    // with AR(1) noise, hourly peaks cluster: the 99th percentile of daily means rises
    const daily = (rho: number) => {
      const a = new Float64Array(H);
      fillDemandPath(a, H, params({ noiseCv: 0.3, noiseAutocorrelation: rho }), seedrandom('peak'));
      const d = new Float64Array(365);
      for (let i = 0; i < 365; i++) for (let h = 0; h < 24; h++) d[i]! += a[i * 24 + h]! / 24;
      return quantile(d, 0.99);
    };
    expect(daily(0.9)).toBeGreaterThan(daily(0) * 1.1);
  });
  it('bursts raise the peak quantile', () => {
    const a = new Float64Array(H);
    const b = new Float64Array(H);
    fillDemandPath(a, H, params({ noiseCv: 0.1 }), seedrandom('b'));
    fillDemandPath(b, H, params({ noiseCv: 0.1, bursts: { ratePerMonth: 4, draw: () => ({ size: 3, hours: 6 }) } }), seedrandom('b'));
    expect(quantile(b, 0.99)).toBeGreaterThan(quantile(a, 0.99) * 1.5);
  });
  it('replays a trace, cycling it', () => {
    const trace = Float64Array.from({ length: 24 }, (_, i) => i);
    const out = new Float64Array(48);
    fillDemandPath(out, 48, params({ trace }), seedrandom('t'));
    expect(out[5]).toBe(5);
    expect(out[29]).toBe(5);
  });
  it('same seed, same path; different seed, different path', () => {
    const a = new Float64Array(100);
    const b = new Float64Array(100);
    const c = new Float64Array(100);
    fillDemandPath(a, 100, params({ noiseCv: 0.2 }), seedrandom('s1'));
    fillDemandPath(b, 100, params({ noiseCv: 0.2 }), seedrandom('s1'));
    fillDemandPath(c, 100, params({ noiseCv: 0.2 }), seedrandom('s2'));
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(Array.from(a)).not.toEqual(Array.from(c));
  });
});

describe('peak minute and poisson', () => {
  it('peak need from Poisson arrivals exceeds the mean by z·sqrt(60 d)', () => {
    expect(peakNeed(6000, null)).toBeCloseTo(6000 + 2.32 * 600, 6);
    expect(peakNeed(100, 1.5)).toBe(150);
    expect(peakNeed(0, null)).toBe(0);
  });
  it('poisson draws have the right mean', () => {
    const rng = seededRng('p');
    for (const mean of [0.5, 5, 200]) {
      let s = 0;
      for (let i = 0; i < 20000; i++) s += poisson(mean, rng);
      expect(Math.abs(s / 20000 - mean) / mean).toBeLessThan(0.03);
    }
  });
});
