/**
 * Distributions of uncertain inputs: build (`makeDist`), sample, seed, and describe.
 * Other folders import from here, not from the files behind it.
 */
export type { Dist, DistType, PRNG, UncertainInput } from './types.js';
export { isDistType } from './types.js';
export { makeDist, clampBounds, type DistSpec, type DistSpecInput, type MakeResult } from './make.js';
export { sample, sampleClamped, standardNormal, standardGamma, NormalSource } from './sample.js';
export { trialRng, seededRng, trialStream, AleaStream } from './rng.js';
export type { RandomStream } from './rng.js';
export { quantile, cdf, mean, describe } from './quantile.js';
export { probit } from './special.js';
