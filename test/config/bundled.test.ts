/** Every bundled config file validates (references resolved) and names an existing JSON Schema. */
import { describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parse } from 'yaml';
import { BUNDLED_ROOT, loadFile, loadWorkload } from '../../src/config/index.js';

// a missing folder fails here (readdirSync throws, naming it) instead of skipping the checks
const list = (dir: string) =>
  readdirSync(join(BUNDLED_ROOT, dir))
    .filter((f) => /\.(ya?ml|json)$/.test(f))
    .map((f) => join(dir, f));
const files = [...list('hardware'), ...list('workloads/catalog'), ...list('workloads')];

describe('bundled config files', () => {
  it('there are some', () => {
    expect(files.length).toBeGreaterThan(10);
  });

  it.each(files)('%s validates', (f) => {
    const abs = join(BUNDLED_ROOT, f);
    const { kind } = loadFile(abs);
    if (kind === 'workload') expect(loadWorkload(abs).options.length).toBeGreaterThan(0);
    const raw = (f.endsWith('.json') ? JSON.parse(readFileSync(abs, 'utf8')) : parse(readFileSync(abs, 'utf8'))) as { $schema?: string };
    expect(raw.$schema, `${f} names its JSON Schema in $schema`).toBeDefined();
    expect(existsSync(resolve(dirname(abs), raw.$schema!))).toBe(true);
  });
});
