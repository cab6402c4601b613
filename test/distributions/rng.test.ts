import { describe as group, expect, it } from 'vitest';
import { seededRng, trialRng, type PRNG } from '../../src/distributions/index.js';

const take = (rng: PRNG, n = 5) => Array.from({ length: n }, () => rng());

group('trialRng', () => {
  it('same seed and trial give the same sequence', () => {
    expect(take(trialRng(42, 7))).toEqual(take(trialRng(42, 7)));
    expect(take(trialRng(42, 7, 1))).toEqual(take(trialRng(42, 7, 1)));
  });

  it('a different seed, trial or stream gives a different sequence', () => {
    const base = take(trialRng(42, 7));
    expect(take(trialRng(43, 7))).not.toEqual(base);
    expect(take(trialRng(42, 8))).not.toEqual(base);
    expect(take(trialRng(42, 7, 1))).not.toEqual(base);
    // (seed 1, trial 23) must not collide with (seed 12, trial 3)
    expect(take(trialRng(1, 23))).not.toEqual(take(trialRng(12, 3)));
  });

  it('trial i does not depend on which trials were drawn before it (any thread split)', () => {
    const direct = take(trialRng(1, 500));
    for (let t = 0; t < 500; t++) take(trialRng(1, t), 3);
    expect(take(trialRng(1, 500))).toEqual(direct);
  });

  it('gives uniforms in [0, 1) and a pinned value (changing the seeding scheme is deliberate)', () => {
    const xs = take(trialRng(0, 0), 1000);
    for (const x of xs) expect(x >= 0 && x < 1).toBe(true);
    expect(take(seededRng('0:0:0'), 3)).toEqual(take(trialRng(0, 0), 3));
    expect(trialRng(1, 2, 0)()).toBe(seededRng('1:2:0')());
  });
});
