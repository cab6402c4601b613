/**
 * Probability distributions of uncertain inputs (below config; imports only stats):
 *
 *   types (Dist, DistSpec) → sample (seeded draws) · rng (streams per trial) · quantile (cdf, describe)
 *
 * Building a distribution from what a user wrote ("2.5 to 4", expressions) is config's job
 * (config/make-dist.ts). Other folders import from here, not from the files behind it.
 */
export type { Dist, DistType, DistSpec, PRNG, UncertainInput } from './types.js';
export { isDistType } from './types.js';
export { sample, sampleClamped, boxMuller, standardNormal, standardGamma, NormalSource } from './sample.js';
export { trialRng, seededRng, trialStream, AleaStream } from './rng.js';
export { KeyedStream, streamKey, philox4x32, type StreamKey } from './philox.js';
export type { RandomStream } from './rng.js';
export { quantile, cdf, mean, describe, fmt } from './quantile.js';
export { probit, normalCdf, Z95, gammaP, logGamma } from './special.js';
