/**
 * Property tests run with a fixed seed so CI is reproducible; set FC_SEED=random to explore
 * (the failing seed is printed), or FC_SEED=<n> to replay one.
 */
import fc from 'fast-check';

const env = process.env['FC_SEED'];
if (env !== 'random') fc.configureGlobal({ seed: env ? Number(env) : 20261123 });

// The config loader requires its schemas on first use (src/config/load.ts); vitest runs the
// TypeScript sources, which require cannot load, so the tests give it the module.
import { provideSchemas } from '../src/config/load.js';
import * as schemaModule from '../src/config/schema.js';
provideSchemas(schemaModule);
