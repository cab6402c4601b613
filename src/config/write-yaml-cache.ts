/**
 * Build step (`npm run build`): parse every bundled YAML file (hardware/, engines/,
 * workloads/ and its catalog), check every bundled config file (YAML and JSON) against the
 * schema of its kind, and write both to dist/yaml-cache.bin, atomically (see yaml-cache.ts),
 * with the fingerprint of the schema code that checked them. A file that does not parse or
 * pass is left out: it is parsed and checked, and its problems reported, at run time as always.
 * Prints nothing on success.
 *   node dist/config/write-yaml-cache.js
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { BUNDLED_ROOT, checkAny } from './load.js';
import { parseYaml, readConfigFile } from './read.js';
import { YAML_CACHE_FILE, schemaFingerprint, yamlCacheBytes, type CheckedEntry } from './yaml-cache.js';
import { writeFileAtomic } from '../util/atomic.js';

/** Bundled YAML files under `root`, sorted (so the cache's bytes do not depend on directory order). */
export function bundledYamlFiles(root: string = BUNDLED_ROOT): string[] {
  return bundledConfigFiles(root).filter((f) => /\.ya?ml$/i.test(f));
}

/** Bundled config files (YAML and JSON) under `root`, sorted. */
export function bundledConfigFiles(root: string = BUNDLED_ROOT): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      return;
    }
    for (const name of names.sort()) {
      const p = join(dir, name);
      if (/\.(ya?ml|json)$/i.test(name)) out.push(p);
      else if (!name.includes('.')) walk(p);
    }
  };
  for (const top of ['engines', 'hardware', 'workloads']) walk(join(root, top));
  return out;
}

/** text → parsed data for each file that parses. */
export function parsedEntries(files: readonly string[]): [string, unknown][] {
  const out: [string, unknown][] = [];
  for (const f of files) {
    const text = readFileSync(f, 'utf8');
    const r = parseYaml(text);
    if (r.ok) out.push([text, r.data]);
  }
  return out;
}

/**
 * text → schema-checked data for each file that parses and passes its check (read as a run
 * reads it, YAML cache or not: the check sees the same data either way).
 */
export function checkedEntries(files: readonly string[]): [string, CheckedEntry][] {
  const out: [string, CheckedEntry][] = [];
  for (const f of files) {
    const read = readConfigFile(f, f);
    if (!read.ok) continue;
    const r = checkAny(f, read.data);
    if (r.ok) out.push([readFileSync(f, 'utf8'), { kind: r.value.kind, data: r.value.data }]);
  }
  return out;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const files = bundledConfigFiles();
  // silent on success, as tsc before it
  writeFileAtomic(YAML_CACHE_FILE, yamlCacheBytes(parsedEntries(files.filter((f) => /\.ya?ml$/i.test(f))), checkedEntries(files), schemaFingerprint()));
}
