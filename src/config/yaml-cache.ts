/**
 * Parsed bundled YAML, made once at build time (`npm run build`, which `npm ci` runs):
 * dist/yaml-cache.bin maps the exact text of each bundled YAML file (hardware/, engines/,
 * workloads/, its catalog) to the data the YAML parser made of it, serialised with
 * v8.serialize. `readConfigFile` looks a file's text up before parsing: a hit is the same
 * data (a fresh copy each time; v8 serialisation keeps -0, key order and shared anchors) and
 * skips the YAML parser, which is most of a bundled scenario's load time (measured: `validate
 * workloads/default.yaml` 0.42 s → 0.25 s, and the `yaml` package is not even imported).
 *
 * The key is the whole text, not a file name or a time stamp, so an edited file, a user's
 * file or a file of another version simply misses and is parsed as always. A missing or
 * unreadable cache file (sources run without a build, a partial copy) means no cache. The
 * schema check runs on every file, cached or not. test/config/yaml-cache.test.ts pins every
 * cached entry to a fresh parse.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { deserialize, serialize } from 'node:v8';
import { packageRoot } from '../util/package-root.js';

/** Where the build writes the cache: dist/ at the package root. */
export const YAML_CACHE_FILE = join(packageRoot(import.meta.url).dir, 'dist', 'yaml-cache.bin');

/** One serialised Map: file text → parsed data. */
type Cache = Map<string, unknown>;

let loaded: Cache | null | undefined;

/** The cache in `bytes`, or null when they are not one. O(size). */
export function yamlCacheFrom(bytes: Uint8Array): Cache | null {
  try {
    const c = deserialize(bytes) as unknown;
    return c instanceof Map ? (c as Cache) : null;
  } catch {
    return null;
  }
}

/** Serialise parsed documents (text → data) as a cache file's bytes. O(size). */
export function yamlCacheBytes(entries: Iterable<[string, unknown]>): Uint8Array {
  return serialize(new Map(entries));
}

/**
 * The data parsed from `text` at build time, as a fresh copy, or undefined when `text` is
 * not a bundled file's exact text (or there is no cache). The first call reads the cache
 * file. O(size of the hit).
 */
export function cachedYaml(text: string, cache: Cache | null = defaultCache()): { data: unknown } | undefined {
  if (cache === null || !cache.has(text)) return undefined;
  return { data: structuredClone(cache.get(text)) };
}

function defaultCache(): Cache | null {
  if (loaded === undefined) {
    try {
      loaded = yamlCacheFrom(readFileSync(YAML_CACHE_FILE));
    } catch {
      loaded = null;
    }
  }
  return loaded;
}
