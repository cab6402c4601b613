/**
 * The build's parsed-YAML cache (src/config/yaml-cache.ts): a hit must be exactly what the
 * YAML parser makes of the same text, a fresh copy each time; anything else must miss.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import { join } from 'node:path';
import { cachedYaml, yamlCacheBytes, yamlCacheFrom } from '../../src/config/yaml-cache.js';
import { bundledYamlFiles, parsedEntries } from '../../src/config/write-yaml-cache.js';
import { parseYaml } from '../../src/config/read.js';
import { BUNDLED_ROOT } from '../../src/config/index.js';

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
    expect(cache?.size).toBe(new Set(files.map((f) => readFileSync(f, 'utf8'))).size);
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
    expect(yamlCacheFrom(yamlCacheBytes([]))?.size).toBe(0);
    expect(cachedYaml('a: 1\n', null)).toBeUndefined();
  });
});
