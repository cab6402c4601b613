import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FileKinds } from '../../src/config/schema.js';
import type { FileKind } from '../../src/config/schema.js';
import { schemaText, SCHEMA_DIR } from '../../src/config/write-schemas.js';

describe('JSON Schemas under schemas/', () => {
  it.each(Object.keys(FileKinds) as FileKind[])('%s.schema.json is up to date with the zod schema (run `npm run schemas`)', (kind) => {
    const file = join(SCHEMA_DIR, `${kind}.schema.json`);
    expect(existsSync(file)).toBe(true);
    expect(readFileSync(file, 'utf8')).toBe(schemaText(kind));
  });

  it('forbids unknown keys and lists the workload fields', () => {
    const s = JSON.parse(schemaText('workload')) as { additionalProperties: boolean; required: string[] };
    expect(s.additionalProperties).toBe(false);
    expect(s.required).toEqual(expect.arrayContaining(['kind', 'model', 'api', 'traffic', 'self_hosted']));
  });
});

describe('the loader\'s list of kinds', () => {
  it('is the schema\'s kinds, in order (the loader keeps its own copy so that it need not load zod)', async () => {
    const { KINDS } = await import('../../src/config/load.js');
    expect([...KINDS]).toEqual(Object.keys(FileKinds));
  });
});
