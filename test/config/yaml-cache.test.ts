/**
 * The build's cache (src/config/yaml-cache.ts): a parsed hit must be exactly what the YAML
 * parser makes of the same text, a checked hit exactly what the schema check makes of it, a
 * fresh copy each time, and the checked part only for the schema code that made it; anything
 * else must miss.
 */
import { describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isDeepStrictEqual } from 'node:util';
import { join } from 'node:path';
import { serialize } from 'node:v8';
import { YAML_CACHE_FILE, cachedCheck, codeFingerprint, cachedYaml, schemaFingerprint, yamlCacheBytes, yamlCacheFrom } from '../../src/config/yaml-cache.js';
import { bundledConfigFiles, bundledYamlFiles, checkedEntries, parsedEntries } from '../../src/config/write-yaml-cache.js';
import { parseYaml, readConfigFile } from '../../src/config/read.js';
import { BUNDLED_ROOT } from '../../src/config/index.js';
import { checkAny } from '../../src/config/load.js';

const parsed = (text: string): unknown => {
  const r = parseYaml(text);
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.data;
};

describe('the parsed-YAML cache', () => {
  const files = bundledYamlFiles();
  const cache = yamlCacheFrom(yamlCacheBytes(parsedEntries(files)));

  it('covers every bundled YAML file: hardware, engines, the catalog and each scenario', () => {
    const rel = files.map((f) => f.slice(BUNDLED_ROOT.length + 1));
    for (const want of ['hardware/h100-sxm.yaml', 'engines/vllm.yaml', 'workloads/catalog/apis.yaml', 'workloads/catalog/models.yaml', 'workloads/default.yaml']) expect(rel).toContain(want);
    expect(rel).toEqual([...rel].sort());
    expect(cache?.parsed.size).toBe(new Set(files.map((f) => readFileSync(f, 'utf8'))).size);
  });

  it('gives, for each bundled file, exactly the data a fresh parse gives (-0, key order and all)', () => {
    for (const f of files) {
      const text = readFileSync(f, 'utf8');
      const hit = cachedYaml(text, cache);
      expect(hit, f).toBeDefined();
      expect(isDeepStrictEqual(hit!.data, parsed(text)), f).toBe(true);
      expect(Object.keys(hit!.data as object)).toEqual(Object.keys(parsed(text) as object));
    }
  });

  it('keeps -0, key order and anchors shared through serialisation', () => {
    const text = 'b: -0\na: &x { k: [1, 2] }\nc: *x\n';
    const c = yamlCacheFrom(yamlCacheBytes([[text, parsed(text)]]));
    const data = cachedYaml(text, c)!.data as { a: unknown; b: number; c: unknown };
    expect(Object.is(data.b, -0)).toBe(true);
    expect(Object.keys(data)).toEqual(['b', 'a', 'c']);
    expect(data.c).toBe(data.a);
    expect(isDeepStrictEqual(data, parsed(text))).toBe(true);
  });

  it('hands out a fresh copy each time: a caller that changes it cannot change the next hit', () => {
    const text = readFileSync(join(BUNDLED_ROOT, 'workloads', 'default.yaml'), 'utf8');
    const first = cachedYaml(text, cache)!.data as Record<string, unknown>;
    first['name'] = 'changed';
    expect((cachedYaml(text, cache)!.data as Record<string, unknown>)['name']).not.toBe('changed');
  });

  it('misses on any other text: an edited file, a user file, one more space', () => {
    const text = readFileSync(join(BUNDLED_ROOT, 'workloads', 'default.yaml'), 'utf8');
    expect(cachedYaml(text + ' ', cache)).toBeUndefined();
    expect(cachedYaml(text.replace('trials: 2000', 'trials: 2001'), cache)).toBeUndefined();
    expect(cachedYaml('kind: workload\n', cache)).toBeUndefined();
  });

  it('is no cache when the file is not one (corrupt, truncated, another format)', () => {
    const bytes = yamlCacheBytes([['a: 1\n', { a: 1 }]]);
    expect(yamlCacheFrom(bytes.subarray(0, bytes.length - 3))).toBeNull();
    expect(yamlCacheFrom(Buffer.from('not a cache'))).toBeNull();
    expect(yamlCacheFrom(yamlCacheBytes([]))?.parsed.size).toBe(0);
    expect(yamlCacheFrom(serialize(new Map([['a: 1\n', { a: 1 }]])))).toBeNull(); // the format before checked entries
    expect(cachedYaml('a: 1\n', null)).toBeUndefined();
    expect(cachedCheck('a: 1\n', null)).toBeUndefined();
  });
});

describe('the checked part of the cache', () => {
  const files = bundledConfigFiles();
  const fp = schemaFingerprint();
  const cache = yamlCacheFrom(yamlCacheBytes([], checkedEntries(files), fp));
  const check = (f: string) => {
    const read = readConfigFile(f, f);
    if (!read.ok) throw new Error(JSON.stringify(read.problems));
    return checkAny(f, read.data);
  };

  it('covers every bundled config file that passes its check, YAML and JSON (measured step times too)', () => {
    const rel = files.map((f) => f.slice(BUNDLED_ROOT.length + 1));
    expect(rel).toEqual(expect.arrayContaining(['hardware/h100-sxm-measured.json', 'workloads/default.yaml', 'workloads/catalog/apis.yaml', 'engines/vllm.yaml']));
    const passing = files.filter((f) => check(f).ok);
    expect(passing.length).toBeGreaterThanOrEqual(files.length - 2); // the published benchmark tables are data, not config
    expect(cache?.checked.size).toBe(new Set(passing.map((f) => readFileSync(f, 'utf8'))).size);
  });

  it('gives, for each file, exactly the kind and data the schema check gives (key order too)', () => {
    for (const f of files) {
      const r = check(f);
      const hit = cachedCheck(readFileSync(f, 'utf8'), cache, fp);
      if (!r.ok) {
        expect(hit, f).toBeUndefined();
        continue;
      }
      expect(hit?.kind, f).toBe(r.value.kind);
      expect(isDeepStrictEqual(hit!.data, r.value.data), f).toBe(true);
      expect(JSON.stringify(hit!.data), f).toBe(JSON.stringify(r.value.data));
    }
  });

  it('is used only by the schema code that made it: another fingerprint, or none, misses', () => {
    const text = readFileSync(join(BUNDLED_ROOT, 'workloads', 'default.yaml'), 'utf8');
    expect(cachedCheck(text, cache, fp)?.kind).toBe('workload');
    expect(cachedCheck(text, cache, fp.replace(/^./, (c) => (c === '0' ? '1' : '0')))).toBeUndefined();
    expect(cachedCheck(text, yamlCacheFrom(yamlCacheBytes([], checkedEntries(files), '')), '')).toBeUndefined();
    expect(cachedCheck(text + '\n', cache, fp)).toBeUndefined();
  });

  it('hands out a fresh copy each time', () => {
    const text = readFileSync(join(BUNDLED_ROOT, 'workloads', 'default.yaml'), 'utf8');
    (cachedCheck(text, cache, fp)!.data as Record<string, unknown>)['name'] = 'changed';
    expect((cachedCheck(text, cache, fp)!.data as Record<string, unknown>)['name']).not.toBe('changed');
  });

  it('the sources (run by vitest or tsx) never take the checks of a build: their fingerprint is not dist\'s', () => {
    let built: ReturnType<typeof yamlCacheFrom> = null;
    try {
      built = yamlCacheFrom(readFileSync(YAML_CACHE_FILE));
    } catch {
      built = null; // no build here: nothing to take either
    }
    if (built) expect(built.fingerprint).not.toBe(fp);
    expect(cachedCheck(readFileSync(join(BUNDLED_ROOT, 'workloads', 'default.yaml'), 'utf8'))).toBeUndefined();
  });

  it('the fingerprint is stable, and changes with any module the schema imports (not with type-only imports)', () => {
    expect(fp).toMatch(/^[0-9a-f]{64}$/);
    expect(schemaFingerprint()).toBe(fp);
    const dir = mkdtempSync(join(tmpdir(), 'fp-'));
    try {
      const w = (f: string, t: string) => writeFileSync(join(dir, f), t);
      w('schema.ts', "import { a } from './a.js';\nimport type { T } from './t.js';\nimport { type U } from './u.js';\nimport { z } from 'zod';\n");
      w('a.ts', "export { b } from './sub/b.js';\n");
      mkdirSync(join(dir, 'sub'));
      w('sub/b.ts', 'export const b = 1;\n');
      w('t.ts', 'export type T = 1;\n');
      w('u.ts', 'export type U = 1;\n');
      w('version.json', '{"version":"1"}');
      const at = () => codeFingerprint(join(dir, 'schema.ts'), [join(dir, 'version.json')]);
      const first = at();
      expect(at()).toBe(first);
      w('t.ts', 'export type T = 2;\n');
      w('u.ts', 'export type U = 2;\n');
      expect(at()).toBe(first); // type-only imports are not followed
      w('sub/b.ts', 'export const b = 2;\n');
      const second = at();
      expect(second).not.toBe(first); // two imports deep
      w('version.json', '{"version":"2"}');
      expect(at()).not.toBe(second); // a dependency's version
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
