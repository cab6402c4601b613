/**
 * Seeded random streams. Trial i's stream derives from (seed, i) only, never from how trials
 * are split across worker threads, so a run is reproducible whatever the thread count. The
 * trial's hourly traffic path draws from Alea here (stream 1); its scalar inputs each draw from
 * a keyed Philox stream of their own (philox.ts).
 */
import seedrandom from 'seedrandom';
import type { PRNG } from './types.js';

/**
 * The PRNG of one trial: seedrandom's Alea (fast, period ~2^116) seeded with the string
 * `"<seed>:<trial>:<stream>"`. Use separate `stream`s for independent uses within a trial
 * (1 is the traffic path's) so that adding draws to one does not shift the other. O(1) to
 * create (a string hash, ~1 µs).
 * @example const rng = trialRng(42, 7); rng() // same number on every machine and thread count
 */
export function trialRng(seed: number, trial: number, stream = 0): PRNG {
  return seedrandom.alea(`${seed}:${trial}:${stream}`);
}

/** A PRNG from any seed string (tests, tools); Alea, like `trialRng`. */
export function seededRng(seed: string): PRNG {
  return seedrandom.alea(seed);
}

/** A stream of uniforms with a monomorphic `next()` (inlined by V8 in hot loops). */
export interface RandomStream {
  next(): number;
}

/**
 * Trial i's stream as a class instance: the same Alea generator and seeding as `trialRng`
 * (state taken from seedrandom after its Mash seeding, then the same recurrence), so the
 * numbers are identical, but `next()` is one method of one class. `trialRng` returns a new
 * closure per trial, which makes a hot loop's call site megamorphic (~6 ns per call).
 */
export class AleaStream implements RandomStream {
  // The state is public so that the demand path's loop can step the recurrence outside the
  // object and write it back (traffic/path.ts `DemandKernel` copies it into its WebAssembly
  // memory and back).
  s0: number;
  s1: number;
  s2: number;
  c: number;
  constructor(seed: string) {
    const st = (seedrandom.alea(seed, { state: true }) as unknown as { state(): { s0: number; s1: number; s2: number; c: number } }).state();
    this.s0 = st.s0;
    this.s1 = st.s1;
    this.s2 = st.s2;
    this.c = st.c;
  }
  /** Alea (Johannes Baagøe): t = 2091639·s0 + c·2^-32; shift; s2 = t - (c = ⌊t⌋). */
  next(): number {
    const t = 2091639 * this.s0 + this.c * 2.3283064365386963e-10;
    this.s0 = this.s1;
    this.s1 = this.s2;
    this.c = t | 0;
    this.s2 = t - this.c;
    return this.s2;
  }
}

/** Trial i's stream `stream` as an `AleaStream` (identical numbers to `trialRng`). */
export function trialStream(seed: number, trial: number, stream = 0): AleaStream {
  return new AleaStream(`${seed}:${trial}:${stream}`);
}
