/**
 * Build step (`npm run build`): parse every bundled YAML file (hardware/, engines/,
 * workloads/ and its catalog) and write dist/yaml-cache.bin, atomically (see yaml-cache.ts).
 * A file that does not parse is left out: it is parsed, and its problems reported, at run
 * time as always. Prints nothing on success.
 *   node dist/config/write-yaml-cache.js
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { BUNDLED_ROOT } from './load.js';
import { parseYaml } from './read.js';
import { YAML_CACHE_FILE, yamlCacheBytes } from './yaml-cache.js';
import { writeFileAtomic } from '../util/atomic.js';

/** Bundled YAML files under `root`, sorted (so the cache's bytes do not depend on directory order). */
export function bundledYamlFiles(root: string = BUNDLED_ROOT): string[] {
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
      if (/\.ya?ml$/i.test(name)) out.push(p);
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

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const entries = parsedEntries(bundledYamlFiles());
  // silent on success, as tsc before it
  writeFileAtomic(YAML_CACHE_FILE, yamlCacheBytes(entries));
}
