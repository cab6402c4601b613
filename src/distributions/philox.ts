/**
 * Keyed random streams for a trial's scalar inputs: each input draws from a stream of its own,
 * named by the input's key (its config path), so that what one input draws never depends on
 * which other inputs the workload has or in what order they come. Adding an option that brings
 * inputs of its own (a spot price, a routed share) leaves every other input's draws, and so
 * every other option's results, exactly as they were: `compare` of the two runs shows only
 * what changed (common random numbers across scenario variants, not just across options).
 *
 * The generator is Philox4x32-10 (Salmon, Moraes, Dror & Shaw, "Parallel random numbers: as
 * easy as 1, 2, 3", SC 2011; the Random123 library), a counter-based generator: block n of a
 * stream is a 10-round bijection of the counter under the key, so any stream starts anywhere
 * at no cost (no seeding pass: seedrandom's Alea hashed a string per stream). Its output
 * passes BigCrush (ibid.). A stream is
 *
 *   key = (h1(input key), seed),   counter = (trial, block, h2(input key), 0)
 *
 * with (h1, h2) a 64-bit hash of the input's key (`streamKey`), and each block's four 32-bit
 * words make two doubles with 53 random bits each, in [0, 1). test/distributions/philox.test.ts
 * checks Random123's known-answer vectors.
 */
import type { PRNG } from './types.js';

const M0 = 0xd2511f53;
const M1 = 0xcd9e8d57;
const W0 = 0x9e3779b9;
const W1 = 0xbb67ae85;

/**
 * The high 32 bits of a·b for 32-bit unsigned a and b, given the low 32 bits `lo` (exact, from
 * Math.imul). The double product a·b is within 2^10 of the true one (53-bit rounding below
 * 2^64) and subtracting lo rounds by at most 2^11 more, so (a·b − lo)/2^32 is within 2^-20 of
 * the integer hi and rounding it gives hi exactly (test/distributions/philox.test.ts checks it
 * against BigInt products). O(1), no `%` on doubles (V8 compiles it to a call).
 */
function mulhi(a: number, b: number, lo: number): number {
  return Math.round((a * b - lo) * 2.3283064365386963e-10);
}

/**
 * Philox4x32 with 10 rounds: the block of counter (c0, c1, c2, c3) under key (k0, k1), all
 * 32-bit unsigned, written into `out[0..4)`. O(1).
 */
export function philox4x32(c0: number, c1: number, c2: number, c3: number, k0: number, k1: number, out: Uint32Array): void {
  let x0 = c0 >>> 0;
  let x1 = c1 >>> 0;
  let x2 = c2 >>> 0;
  let x3 = c3 >>> 0;
  let key0 = k0 >>> 0;
  let key1 = k1 >>> 0;
  for (let r = 0; r < 10; r++) {
    if (r > 0) {
      key0 = (key0 + W0) >>> 0;
      key1 = (key1 + W1) >>> 0;
    }
    const lo0 = Math.imul(x0, M0) >>> 0;
    const hi0 = mulhi(x0, M0, lo0);
    const lo1 = Math.imul(x2, M1) >>> 0;
    const hi1 = mulhi(x2, M1, lo1);
    x0 = (hi1 ^ x1 ^ key0) >>> 0;
    x1 = lo1;
    x2 = (hi0 ^ x3 ^ key1) >>> 0;
    x3 = lo0;
  }
  out[0] = x0;
  out[1] = x1;
  out[2] = x2;
  out[3] = x3;
}

/** An input's stream name as two 32-bit words (see `streamKey`). */
export interface StreamKey {
  h1: number;
  h2: number;
}

/**
 * A 64-bit hash of a stream's name (cyrb53's mixing, by bryc, public domain, keeping both
 * 32-bit halves): distinct input keys give distinct streams (the plan checks its keys' hashes
 * are distinct). O(length).
 */
export function streamKey(name: string): StreamKey {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < name.length; i++) {
    const ch = name.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507);
  h1 ^= Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507);
  h2 ^= Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return { h1: h1 >>> 0, h2: h2 >>> 0 };
}

/**
 * One stream at a time: `reset(seed, trial, key)` starts the stream of that input in that
 * trial (nothing is computed until the first draw), `next()` gives its next uniform in
 * [0, 1). One object serves a whole run (no allocation per trial or input); `uniform` is the
 * same stream as a `PRNG` for the samplers.
 * @example const s = new KeyedStream(); s.reset(1, 7, streamKey('traffic.requests_per_day')); s.next()
 */
export class KeyedStream {
  private seed = 0;
  private trial = 0;
  private h1 = 0;
  private h2 = 0;
  private block = 0;
  /** whether the current block's second double is still to come */
  private left = 0;
  private readonly words = new Uint32Array(4);
  /** this stream as a function, for `sample(spec, rng)` */
  readonly uniform: PRNG = () => this.next();

  reset(seed: number, trial: number, key: StreamKey): void {
    this.seed = seed >>> 0;
    this.trial = trial >>> 0;
    this.h1 = key.h1;
    this.h2 = key.h2;
    this.block = 0;
    this.left = 0;
  }

  next(): number {
    const w = this.words;
    if (this.left === 0) {
      philox4x32(this.trial, this.block++, this.h2, 0, this.h1, this.seed, w);
      this.left = 1;
      return ((w[0]! >>> 5) * 67108864 + (w[1]! >>> 6)) / 9007199254740992;
    }
    this.left = 0;
    return ((w[2]! >>> 5) * 67108864 + (w[3]! >>> 6)) / 9007199254740992;
  }
}
