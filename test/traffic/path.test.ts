import { describe, it, expect } from 'vitest';
import { AleaStream, seededRng, normalCdf } from '../../src/distributions/index.js';

/** the engine's generator, seeded from a string */
const seedrandom = (seed: string) => new AleaStream(seed);
import { fillDemandPath, fastNormal, hourOfWeekFactors, peakNeed, poisson, normaliseMean1, PEAK_MINUTE_Z, type PathParams } from '../../src/traffic/index.js';
import { needOf } from '../../src/cost/index.js';

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

/**
 * The path written the plain way: one `rng.next()` and one `fastNormal` per hour, bursts
 * tested every hour, the month sums and the need as separate passes. fillDemandPath steps the
 * generator in locals and fuses the passes: it must give these numbers bit for bit.
 */
function referencePath(hours: number, p: PathParams, rng: AleaStream, ptm: number | null, zr: number) {
  const out = new Float64Array(hours);
  const cv = p.noiseCv;
  const rho = p.noiseAutocorrelation;
  const innov = Math.sqrt(1 - rho * rho);
  const b = cv / 3;
  const a = 1 - b * b;
  const norm = cv > 0 ? 1 / truncatedCubeMeanOf(a, b) : 1;
  const growthPerHour = Math.pow(1 + p.growthMonthly, 1 / 730);
  const events: { start: number; end: number; size: number }[] = [];
  if (p.bursts && p.bursts.ratePerMonth > 0) {
    const uniform = () => rng.next();
    const n = poisson((p.bursts.ratePerMonth * hours) / 730, uniform);
    for (let i = 0; i < n; i++) {
      const start = Math.floor(rng.next() * hours);
      const { size, hours: dur } = p.bursts.draw(uniform);
      events.push({ start, end: Math.min(hours, start + Math.max(1, Math.round(dur))), size });
    }
  }
  const starts = [...events].sort((x, y) => x.start - y.start);
  const ends = [...events].sort((x, y) => x.end - y.end);
  let z = cv > 0 ? fastNormal(rng) : 0;
  let g = p.baseRequestsPerHour;
  let burst = 1;
  let si = 0;
  let ei = 0;
  for (let h = 0; h < hours; h++) {
    while (si < starts.length && starts[si]!.start === h) burst *= starts[si++]!.size;
    if (ei < ends.length && ends[ei]!.end === h) {
      while (ei < ends.length && ends[ei]!.end === h) burst /= ends[ei++]!.size;
      if (si === ei) burst = 1;
    }
    let noise = 1;
    if (cv > 0) {
      z = rho * z + innov * fastNormal(rng);
      const x = a + b * z;
      noise = x > 0 ? x * x * x * norm : 0;
    }
    out[h] = g * p.hourOfWeek[h % p.hourOfWeek.length]! * noise * burst;
    g *= growthPerHour;
  }
  const need = out.map((d) => needOf(d, ptm, zr));
  return { out, need, state: [rng.s0, rng.s1, rng.s2, rng.c] };
}
/** E[max(a + bZ, 0)^3] by the same closed form as path.ts (its own test covers the form). */
function truncatedCubeMeanOf(a: number, b: number): number {
  const t = a / b;
  if (!(t <= 8)) return a * a * a + 3 * a * b * b;
  const phi = Math.exp(-0.5 * t * t) / Math.sqrt(2 * Math.PI);
  return b * b * b * (normalCdf(t) * (t * t * t + 3 * t) + phi * (t * t + 2));
}

describe('fillDemandPath, fused loop against the plain one', () => {
  const ZR = PEAK_MINUTE_Z * Math.sqrt(60);
  const shape = hourOfWeekFactors('business-hours', 'weekdays');
  const cases: [string, PathParams, number | null][] = [
    ['noise, growth, bursts, Poisson need', params({ baseRequestsPerHour: 1400, growthMonthly: 0.03, hourOfWeek: shape, noiseCv: 0.25, noiseAutocorrelation: 0.6, bursts: { ratePerMonth: 2, draw: () => ({ size: 2.5, hours: 7 }) } }), null],
    ['heavy noise, peak-to-mean need', params({ baseRequestsPerHour: 90, growthMonthly: -0.01, hourOfWeek: shape, noiseCv: 1.5, noiseAutocorrelation: 0.9 }), 1.7],
    ['no noise', params({ baseRequestsPerHour: 500, growthMonthly: 0.05, hourOfWeek: shape }), null],
  ];
  for (const [name, p, ptm] of cases) {
    it(`gives the same path, need, month sums and generator state bit for bit: ${name}`, () => {
      for (let seed = 0; seed < 12; seed++) {
        const hours = seed === 0 ? 8760 * 3 : 8760 - seed * 37;
        const ref = referencePath(hours, p, seedrandom(`ref:${seed}`), ptm, ZR);
        const out = new Float64Array(hours + 5); // longer than the horizon: only the prefix is written
        const need = new Float64Array(hours);
        const months = new Float64Array(Math.ceil(hours / 730));
        const rng = seedrandom(`ref:${seed}`);
        const st = fillDemandPath(out, hours, p, rng, months, { need, peakToMean: ptm, zRoot: ZR });
        expect(Array.from(out.subarray(0, hours))).toEqual(Array.from(ref.out));
        expect(Array.from(need)).toEqual(Array.from(ref.need));
        expect([rng.s0, rng.s1, rng.s2, rng.c]).toEqual(ref.state);
        expect(st.min).toBe(Math.min(...ref.out));
        expect(st.max).toBe(Math.max(...ref.out));
        for (let m = 0; m < months.length; m++) {
          const month = ref.out.subarray(m * 730, (m + 1) * 730);
          expect(Math.abs(months[m]! - month.reduce((x, y) => x + y, 0))).toBeLessThan(1e-9 * months[m]!);
        }
      }
    });
  }
  it("steps Alea's carry exactly where the carry c·2^-32 lifts t over an integer (⌊2091639·s0⌋ one short of ⌊t⌋)", () => {
    // the path's first hour is the generator's second step (its first starts z): give that step
    // an s0 just below an integer over 2091639, and a carry c·2^-32 that lifts t over it
    const set = (r: AleaStream) => {
      r.s0 = 2000000.5 / 2091639; // the first step leaves c = 2,000,000
      r.s1 = (1000000 - 1e-7) / 2091639;
      r.c = 1;
      return r;
    };
    const probe = set(new AleaStream('carry'));
    const lifted: boolean[] = [];
    for (let k = 0; k < 3; k++) {
      const u = 2091639 * probe.s0;
      lifted.push(Math.floor(u + probe.c * 2.3283064365386963e-10) > Math.floor(u));
      probe.next();
    }
    expect(lifted).toEqual([false, true, false]);
    const p = params({ noiseCv: 0.3 });
    const ref = referencePath(24, p, set(new AleaStream('carry')), null, ZR);
    const b = set(new AleaStream('carry'));
    const out = new Float64Array(24);
    fillDemandPath(out, 24, p, b, undefined, { need: new Float64Array(24), peakToMean: null, zRoot: ZR });
    expect(Array.from(out)).toEqual(Array.from(ref.out));
    expect([b.s0, b.s1, b.s2, b.c]).toEqual(ref.state);
  });
  it('takes the exact probit in the two outer cells of the table, as the reference does', () => {
    // the loop's first hour is the generator's second step: with s0 = c = 0 the first step
    // leaves the carry 0, so the second gives s2 = frac(2091639·s1); put it 1e-6 from 0 and 1
    for (const frac of [1e-6, 1 - 1e-6]) {
      const set = (r: AleaStream) => {
        r.s0 = 0;
        r.c = 0;
        r.s1 = (1000000 + frac) / 2091639;
        return r;
      };
      const probe = set(new AleaStream('outer'));
      probe.next();
      const u = probe.next();
      expect(u * 16384 - 0.5 < 0 || u * 16384 - 0.5 >= 16383).toBe(true);
      const p = params({ noiseCv: 0.3 });
      const ref = referencePath(24, p, set(new AleaStream('outer')), null, ZR);
      const b = set(new AleaStream('outer'));
      const out = new Float64Array(24);
      fillDemandPath(out, 24, p, b, undefined, { need: new Float64Array(24), peakToMean: null, zRoot: ZR });
      expect(Array.from(out)).toEqual(Array.from(ref.out));
      expect([b.s0, b.s1, b.s2, b.c]).toEqual(ref.state);
    }
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
