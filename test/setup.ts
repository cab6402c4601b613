/**
 * Property tests run with a fixed seed so CI is reproducible; set FC_SEED=random to explore
 * (the failing seed is printed), or FC_SEED=<n> to replay one.
 */
import fc from 'fast-check';

const env = process.env['FC_SEED'];
if (env !== 'random') fc.configureGlobal({ seed: env ? Number(env) : 20261123 });
