/**
 * Parsed bundled YAML, made once at build time (`npm run build`, which `npm ci` runs):
 * dist/yaml-cache.bin maps the exact text of each bundled YAML file (hardware/, engines/,
 * workloads/, its catalog) to the data the YAML parser made of it, serialised with
 * v8.serialize. `readConfigFile` looks a file's text up before parsing: a hit is the same
 * data (a fresh copy each time; v8 serialisation keeps -0, key order and shared anchors) and
 * skips the YAML parser, which is most of a bundled scenario's load time (measured: `validate
 * workloads/default.yaml` 0.42 s → 0.25 s, and the `yaml` package is not even imported).
 *
 * The build also runs each bundled file's schema check (YAML and JSON) and keeps what it
 * made (`cachedCheck`): a hit skips the check too, which cost more than the parse (zod's
 * first calls run cold: loading the default scenario's 15 files took 45-70 ms, 11-14 ms now).
 * Those entries hold only for the code that made them: the cache records a fingerprint of the
 * schema module and everything it imports (`schemaFingerprint`), and a run whose code differs
 * (a `tsc` without the cache step, the sources run by tsx or vitest) checks every file itself.
 *
 * The key is the whole text, not a file name or a time stamp, so an edited file, a user's
 * file or a file of another version simply misses and is parsed and checked as always. A
 * missing or unreadable cache file (sources run without a build, a partial copy) means no
 * cache. test/config/yaml-cache.test.ts pins every cached entry to a fresh parse and check.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deserialize, serialize } from 'node:v8';
import { packageRoot } from '../util/package-root.js';

/** Where the build writes the cache: dist/ at the package root. */
export const YAML_CACHE_FILE = join(packageRoot(import.meta.url).dir, 'dist', 'yaml-cache.bin');

/** What a bundled file's schema check gave at build time: its kind and the checked data. */
export interface CheckedEntry {
  kind: string;
  data: unknown;
}

/**
 * The cache: file text → parsed data (YAML files), and file text → schema-checked data (every
 * bundled config file that passed its check, YAML or JSON), the latter valid only for the code
 * it was made with (`fingerprint`: see `schemaFingerprint`).
 */
export interface Cache {
  parsed: Map<string, unknown>;
  checked: Map<string, CheckedEntry>;
  fingerprint: string;
}

let loaded: Cache | null | undefined;

/** The cache in `bytes`, or null when they are not one. O(size). */
export function yamlCacheFrom(bytes: Uint8Array): Cache | null {
  try {
    const c = deserialize(bytes) as Partial<Cache> | null;
    if (c === null || typeof c !== 'object' || !(c.parsed instanceof Map) || !(c.checked instanceof Map) || typeof c.fingerprint !== 'string') return null;
    return c as Cache;
  } catch {
    return null;
  }
}

/** Serialise parsed documents (text → data), and checked ones made by code of `fingerprint`, as a cache file's bytes. O(size). */
export function yamlCacheBytes(parsed: Iterable<[string, unknown]>, checked: Iterable<[string, CheckedEntry]> = [], fingerprint = ''): Uint8Array {
  return serialize({ parsed: new Map(parsed), checked: new Map(checked), fingerprint } satisfies Cache);
}

/**
 * The data parsed from `text` at build time, as a fresh copy, or undefined when `text` is
 * not a bundled file's exact text (or there is no cache). The first call reads the cache
 * file. O(size of the hit).
 */
export function cachedYaml(text: string, cache: Cache | null = defaultCache()): { data: unknown } | undefined {
  if (cache === null || !cache.parsed.has(text)) return undefined;
  return { data: structuredClone(cache.parsed.get(text)) };
}

/**
 * What the schema check made of `text` at build time (a fresh copy), or undefined when `text`
 * is not a bundled file's exact text, did not pass, or the cache was made by other schema code
 * than the code running now (`fingerprint`, by default this code's `schemaFingerprint`): a
 * build whose `tsc` ran without the cache step, or the sources run by tsx, never get a stale
 * check. O(size of the hit).
 */
export function cachedCheck(text: string, cache: Cache | null = defaultCache(), fingerprint: string = schemaFingerprint()): CheckedEntry | undefined {
  if (cache === null || cache.fingerprint === '' || cache.fingerprint !== fingerprint) return undefined;
  const hit = cache.checked.get(text);
  return hit === undefined ? undefined : { kind: hit.kind, data: structuredClone(hit.data) };
}

let fingerprintMemo: string | undefined;

/**
 * A hash of the code a schema check runs: schema.js (or .ts) and every module it imports
 * statically, by relative path, read from disk, and the zod and mathjs versions (expressions).
 * Computed once, ~1 ms.
 */
export function schemaFingerprint(): string {
  if (fingerprintMemo !== undefined) return fingerprintMemo;
  const here = fileURLToPath(import.meta.url);
  const ext = here.endsWith('.ts') ? '.ts' : '.js';
  const root = packageRoot(import.meta.url).dir;
  const versions = ['zod', 'mathjs'].map((p) => join(root, 'node_modules', p, 'package.json'));
  return (fingerprintMemo = codeFingerprint(join(dirname(here), `schema${ext}`), versions));
}

/**
 * sha256 of `entry` and every module it reaches through static value imports with relative
 * specifiers (`import type` is erased; './x.js' read as './x.ts' beside a .ts entry), each with
 * its path relative to the entry's folder, then the `extra` files. A file that cannot be read
 * counts as missing, so a change that removes one changes the hash too. O(files read).
 */
export function codeFingerprint(entry: string, extra: readonly string[] = []): string {
  const ext = entry.endsWith('.ts') ? '.ts' : '.js';
  const base = dirname(entry);
  const hash = createHash('sha256');
  const seen = new Set<string>();
  const add = (file: string): string | null => {
    let text: string | null;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      text = null;
    }
    hash.update(`${relative(base, file)}\n${text ?? '(missing)'}\n`);
    return text;
  };
  const visit = (file: string): void => {
    if (seen.has(file)) return;
    seen.add(file);
    const text = add(file);
    if (text === null) return;
    for (const m of text.matchAll(/^\s*(?:import|export)\s+(?!type\s)([^'";]*?)\s*from\s+['"](\.[^'"]+)['"]/gm)) {
      const what = m[1]!;
      // `import { type A, type B } from` is erased too
      if (/^\{[^}]*\}$/.test(what) && what.slice(1, -1).split(',').every((x) => x.trim() === '' || /^type\s/.test(x.trim()))) continue;
      visit(resolve(dirname(file), m[2]!.replace(/\.js$/, ext)));
    }
  };
  visit(entry);
  for (const f of extra) add(f);
  return hash.digest('hex');
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
