import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { FileKinds } from '../../src/config/schema.js';
import type { FileKind } from '../../src/config/schema.js';
import { fieldRows, withFieldReference } from '../../src/config/docs.js';
import { CONFIG_DOCS, configDocsText, schemaText } from '../../src/config/write-schemas.js';

const KINDS = Object.keys(FileKinds) as FileKind[];

describe('docs/config.md field reference, generated from the zod schema', () => {
  it('is current (run `npm run schemas`)', () => {
    const text = readFileSync(CONFIG_DOCS, 'utf8');
    expect(text).toBe(configDocsText(text));
  });
  it.each(KINDS)('every %s field has a description, the same text as in its JSON Schema', (kind) => {
    const schema = schemaText(kind);
    for (const r of fieldRows(kind)) {
      expect(r.description, r.path).not.toBe('');
      expect(schema, `${kind}: ${r.path}`).toContain(JSON.stringify(r.description));
    }
  });
  it('every workload field has an example; numbers have a range; defaults are stated', () => {
    const rows = new Map(fieldRows('workload').map((r) => [r.path, r]));
    for (const r of rows.values()) if (!/^object$/.test(r.type)) expect(r.example, r.path).not.toBe('');
    expect(rows.get('traffic.requests_per_day')).toMatchObject({ type: 'uncertain number', default: 'required', range: '>= 0 and <= 1000000000000' });
    expect(rows.get('traffic.requests_per_day')!.description).toMatch(/per calendar day/);
    // the fleet fields the issue found undocumented
    for (const f of ['min_replicas', 'max_replicas', 'scale_up_lag_hours', 'node_gpus']) {
      expect(rows.get(`self_hosted.options[].fleet (policy: autoscale).${f}`), f).toBeDefined();
    }
    expect(rows.get('self_hosted.options[].fleet (policy: autoscale).scale_up_lag_hours')).toMatchObject({ default: '`1`', range: '>= 0 and <= 24 and a whole number' });
    expect(rows.get('description')!.description).toMatch(/^Required/);
  });
  it('replaces only the generated section', () => {
    const once = withFieldReference('# Title\n\nhand-written\n');
    expect(once.startsWith('# Title\n\nhand-written\n\n<!-- BEGIN')).toBe(true);
    expect(withFieldReference(once)).toBe(once);
  });
});
