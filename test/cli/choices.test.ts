/** The CLI's option choices are the config schema's enums (declared apart for start-up speed). */
import { describe, expect, it } from 'vitest';
import { KV_FORMATS, WEIGHT_FORMATS } from '../../src/cli/choices.js';
import { KvFormat, WeightFormat } from '../../src/config/schema.js';

describe('CLI option choices', () => {
  it('--weights offers exactly the schema\'s weight formats', () => {
    expect([...WEIGHT_FORMATS]).toEqual(WeightFormat.options);
  });
  it('--kv-cache offers exactly the schema\'s KV-cache formats', () => {
    expect([...KV_FORMATS]).toEqual(KvFormat.options);
  });
});
