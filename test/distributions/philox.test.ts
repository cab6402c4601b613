import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { KeyedStream, philox4x32, streamKey } from '../../src/distributions/index.js';

const hex = (w: Uint32Array) => Array.from(w, (x) => x.toString(16).padStart(8, '0')).join(' ');

describe('Philox4x32-10', () => {
  it("gives Random123's known-answer vectors (its kat_vectors file: zeros, ones, the digits of pi)", () => {
    const out = new Uint32Array(4);
    philox4x32(0, 0, 0, 0, 0, 0, out);
    expect(hex(out)).toBe('6627e8d5 e169c58d bc57ac4c 9b00dbd8');
    philox4x32(0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff, out);
    expect(hex(out)).toBe('408f276d 41c83b0e a20bc7c6 6d5451fd');
    philox4x32(0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344, 0xa4093822, 0x299f31d0, out);
    expect(hex(out)).toBe('d16cfe09 94fdcceb 5001e420 24126ea1');
  });

  it('equals the specification computed with BigInt products, for any counter and key (its high words are exact)', () => {
    // Salmon et al. 2011: per round, (c0, c1, c2, c3) -> (hi(M1·c2) ^ c1 ^ k0, lo(M1·c2), hi(M0·c0) ^ c3 ^ k1, lo(M0·c0)),
    // the key bumped by the Weyl constants between rounds
    const reference = (c: bigint[], k: bigint[]) => {
      const m = 0xffffffffn;
      let [x0, x1, x2, x3] = c as [bigint, bigint, bigint, bigint];
      let [k0, k1] = k as [bigint, bigint];
      for (let r = 0; r < 10; r++) {
        if (r > 0) {
          k0 = (k0 + 0x9e3779b9n) & m;
          k1 = (k1 + 0xbb67ae85n) & m;
        }
        const p0 = 0xd2511f53n * x0;
        const p1 = 0xcd9e8d57n * x2;
        [x0, x1, x2, x3] = [((p1 >> 32n) ^ x1 ^ k0) & m, p1 & m, ((p0 >> 32n) ^ x3 ^ k1) & m, p0 & m];
      }
      return [x0, x1, x2, x3].map((w) => w.toString(16).padStart(8, '0')).join(' ');
    };
    const word = fc.integer({ min: 0, max: 0xffffffff });
    const out = new Uint32Array(4);
    fc.assert(
      fc.property(fc.array(word, { minLength: 6, maxLength: 6 }), (w) => {
        philox4x32(w[0]!, w[1]!, w[2]!, w[3]!, w[4]!, w[5]!, out);
        expect(hex(out)).toBe(reference(w.slice(0, 4).map(BigInt), w.slice(4).map(BigInt)));
      }),
      { numRuns: 300 },
    );
  });
});

describe('keyed streams', () => {
  it('give doubles in [0, 1) with 53 random bits, the same for the same (seed, trial, key), in any order', () => {
    const s = new KeyedStream();
    const draw = (seed: number, trial: number, key: string, n: number) => {
      s.reset(seed, trial, streamKey(key));
      return Array.from({ length: n }, () => s.next());
    };
    const a = draw(1, 7, 'traffic.requests_per_day', 9);
    draw(2, 0, 'other', 3);
    expect(draw(1, 7, 'traffic.requests_per_day', 9)).toEqual(a);
    for (const u of a) {
      expect(u).toBeGreaterThanOrEqual(0);
      expect(u).toBeLessThan(1);
      expect(Number.isInteger(u * 2 ** 53)).toBe(true);
    }
    expect(new Set(a).size).toBe(9);
    // another key, trial or seed: another stream
    expect(draw(1, 7, 'traffic.input_tokens', 9)).not.toEqual(a);
    expect(draw(1, 8, 'traffic.requests_per_day', 9)).not.toEqual(a);
    expect(draw(2, 7, 'traffic.requests_per_day', 9)).not.toEqual(a);
  });

  it('are uniform and uncorrelated across keys and trials (100,000 draws: mean, variance, lag and cross correlation)', () => {
    const s = new KeyedStream();
    const n = 50000;
    const x = new Float64Array(n);
    const y = new Float64Array(n);
    const kx = streamKey('traffic.noise.cv');
    const ky = streamKey('traffic.noise.autocorrelation');
    for (let t = 0; t < n; t++) {
      s.reset(1, t, kx);
      x[t] = s.next();
      s.reset(1, t, ky);
      y[t] = s.next();
    }
    const mean = (v: Float64Array) => v.reduce((p, q) => p + q, 0) / v.length;
    const cov = (v: Float64Array, w: Float64Array, lag = 0) => {
      const mv = mean(v);
      const mw = mean(w);
      let c = 0;
      for (let i = lag; i < v.length; i++) c += (v[i]! - mv) * (w[i - lag]! - mw);
      return c / (v.length - lag);
    };
    // standard errors: mean 1/sqrt(12 n) ≈ 0.0013, correlation 1/sqrt(n) ≈ 0.0045; 5 of them
    expect(Math.abs(mean(x) - 0.5)).toBeLessThan(0.0065);
    expect(Math.abs(cov(x, x) - 1 / 12)).toBeLessThan(0.0025);
    expect(Math.abs(cov(x, y) * 12)).toBeLessThan(0.0225);
    expect(Math.abs(cov(x, x, 1) * 12)).toBeLessThan(0.0225);
  });

  it('hash distinct keys apart, in both words', () => {
    const keys = ['traffic.requests_per_day', 'traffic.input_tokens', 'traffic.output_tokens', 'hardware.h100-sxm.price_per_gpu_hour.on_demand', 'hardware.h100-sxm.price_per_gpu_hour.spot', 'a', 'b', ''];
    const h = keys.map(streamKey);
    expect(new Set(h.map((k) => k.h1)).size).toBe(keys.length);
    expect(new Set(h.map((k) => k.h2)).size).toBe(keys.length);
  });
});
