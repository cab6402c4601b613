/**
 * Reading one config file from disk: YAML or JSON by extension, syntax errors with line and
 * column, and a scan for values no schema should see (NaN, ±Infinity, numbers beyond
 * ±1e15). Never throws: returns the parsed data or the problems.
 */
import { extname } from 'node:path';
import { createRequire } from 'node:module';
import type { Document } from 'yaml';
import { cachedCheck, cachedYaml, type CheckedEntry } from './yaml-cache.js';
import type { Problem } from './problems.js';
import { formatPath } from './problems.js';
import { m } from './messages.js';
import { checkNumber } from './range.js';
import { describeReadFailure, MAX_INPUT_BYTES, readInputFile } from '../util/read-input.js';

/**
 * A file's parsed data, or its problems. `checked`: a bundled file's exact text, checked at
 * build time by the schema code running now (config/yaml-cache.ts `cachedCheck`): its kind
 * and checked data, so the caller need not run the schema check again.
 */
export type ReadResult = { ok: true; data: unknown; checked?: CheckedEntry } | { ok: false; problems: Problem[] };

let yamlModule: typeof import('yaml') | undefined;
/** The YAML parser, loaded on first use: a run whose files are all in the build's cache never loads it. */
function yaml(): typeof import('yaml') {
  return (yamlModule ??= createRequire(import.meta.url)('yaml') as typeof import('yaml'));
}

const EXTENSIONS = new Set(['.yaml', '.yml', '.json']);

/** Largest config file accepted, bytes (a scenario is a few KB; this guards against mistakes). */
export const MAX_FILE_BYTES = MAX_INPUT_BYTES;

/**
 * Read and parse `abs`; problems are reported against `shown` (the name the user knows).
 */
export function readConfigFile(abs: string, shown: string): ReadResult {
  const fail = (message: string, path = ''): ReadResult => ({ ok: false, problems: [{ file: shown, path, message }] });
  const ext = extname(abs).toLowerCase();
  const read = readInputFile(abs, MAX_FILE_BYTES);
  if (!read.ok) return fail(describeReadFailure(read));
  if (!EXTENSIONS.has(ext)) return fail(m.badExtension(ext || '(none)'));
  const text = read.text;
  if (text.replace(/^\uFEFF/, '').trim() === '') return fail(m.empty());
  // a bundled YAML file's exact text: the data the build parsed from it (config/yaml-cache.ts)
  let parsed: ReadResult;
  if (ext === '.json') parsed = parseJson(text);
  else {
    const hit = cachedYaml(text);
    parsed = hit ? { ok: true, data: hit.data } : parseYaml(text);
  }
  if (!parsed.ok) return { ok: false, problems: parsed.problems.map((p) => ({ ...p, file: shown })) };
  if (parsed.data === null || parsed.data === undefined) return fail(m.empty());
  if (typeof parsed.data !== 'object' || Array.isArray(parsed.data)) return fail(m.notMapping(parsed.data));
  const checked = cachedCheck(text);
  return checked ? { ok: true, data: parsed.data, checked } : parsed;
}

function parseJson(text: string): ReadResult {
  let data: unknown;
  try {
    data = JSON.parse(text.replace(/^\uFEFF/, '')) as unknown;
  } catch (e) {
    return { ok: false, problems: [{ file: '', path: '', message: m.jsonSyntax((e as Error).message) }] };
  }
  // JSON.parse keeps the last of two equal keys without a word; YAML refuses them, and so
  // does this (a linear scan: the YAML parser would take minutes on megabytes of JSON)
  const dup = findDuplicateJsonKey(text);
  if (dup) return { ok: false, problems: [{ file: '', path: '', message: m.jsonDuplicateKey(dup.line, dup.col) }] };
  return { ok: true, data };
}

/**
 * The first key that repeats within one JSON object, with its 1-based line and column; null
 * when none. `text` must already be valid JSON (JSON.parse accepted it). O(length): one pass,
 * a stack of key sets, strings decoded only when they are keys.
 */
export function findDuplicateJsonKey(text: string): { key: string; line: number; col: number } | null {
  const stack: (Set<string> | null)[] = [];
  let expectKey = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22 /* " */) {
      let j = i + 1;
      while (j < text.length && text.charCodeAt(j) !== 0x22) j += text.charCodeAt(j) === 0x5c /* \ */ ? 2 : 1;
      const top = stack[stack.length - 1];
      if (expectKey && top) {
        const key = JSON.parse(text.slice(i, j + 1)) as string;
        if (top.has(key)) {
          const before = text.slice(0, i);
          const line = before.split('\n').length;
          return { key, line, col: i - before.lastIndexOf('\n') };
        }
        top.add(key);
      }
      expectKey = false;
      i = j;
    } else if (c === 0x7b /* { */) {
      stack.push(new Set());
      expectKey = true;
    } else if (c === 0x5b /* [ */) {
      stack.push(null);
      expectKey = false;
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
      stack.pop();
      expectKey = false;
    } else if (c === 0x2c /* , */) {
      expectKey = stack[stack.length - 1] !== null && stack.length > 0;
    }
  }
  return null;
}

/**
 * Most values (separators: commas and line breaks) a YAML file may hold. The YAML parser
 * costs ~10-30 µs per value and more on long flow sequences (a 9 MB file of 4.5 M numbers
 * took over 100 s and 3.8 GB before any alias was expanded); no config comes near this, and
 * bulk data (long empirical lists, measurements) parses in linear time as JSON.
 */
export const MAX_YAML_VALUES = 200_000;

/** Commas plus line breaks of `text`: an upper bound on its YAML values, for MAX_YAML_VALUES. O(length). */
function yamlValueBound(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x2c || c === 0x0a) n++;
  }
  return n;
}

/**
 * Most nodes a YAML document may stand for once its aliases are expanded. The parsed data
 * shares one object per anchor, but everything after (the schema, the number scan) walks it
 * once per alias, so this counts the work aliases cause, not the aliases: one 4.5 M-number
 * anchor used 99 times is 445 M nodes of work (it took 96 s and 4.4 GB).
 */
export const MAX_EXPANDED_NODES = 5_000_000;

/** Nodes of `doc` with every alias counted as the size of what it stands for. O(nodes), memoised per anchor. */
function expandedSize(doc: Document): number {
  const { isAlias, isMap, isPair, isSeq } = yaml();
  const memo = new Map<unknown, number>();
  const size = (node: unknown, depth: number): number => {
    if (node === null || node === undefined || depth > 10_000) return 1;
    const known = memo.get(node);
    if (known !== undefined) return known;
    let n = 1;
    if (isAlias(node)) {
      memo.set(node, 1); // a cycle counts once
      n = size(node.resolve(doc), depth + 1);
    } else if (isMap(node) || isSeq(node)) {
      for (const item of node.items) {
        n += size(item, depth + 1);
        if (n > MAX_EXPANDED_NODES) break;
      }
    } else if (isPair(node)) {
      n = size(node.key, depth + 1) + size(node.value, depth + 1);
    }
    memo.set(node, n);
    return n;
  };
  return size(doc.contents, 0);
}

/** Parse YAML text (syntax, size and alias-work limits); problems carry no file name yet. */
export function parseYaml(text: string): ReadResult {
  const { LineCounter, parseDocument } = yaml();
  const values = yamlValueBound(text);
  if (values > MAX_YAML_VALUES) return { ok: false, problems: [{ file: '', path: '', message: m.yamlTooManyValues(values, MAX_YAML_VALUES) }] };
  const lineCounter = new LineCounter();
  try {
    const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
    if (doc.errors.length > 0) {
      return {
        ok: false,
        problems: doc.errors.map((e) => {
          const { line, col } = lineCounter.linePos(e.pos[0]);
          return { file: '', path: '', message: m.yamlSyntax(line, col, e.message.split('\n')[0]!.replace(/ at line \d+, column \d+.*$/, '')) };
        }),
      };
    }
    const work = expandedSize(doc);
    if (work > MAX_EXPANDED_NODES) return { ok: false, problems: [{ file: '', path: '', message: m.aliasWork(work, MAX_EXPANDED_NODES) }] };
    return { ok: true, data: doc.toJS({ maxAliasCount: 100 }) as unknown };
  } catch (e) {
    // toJS throws on alias bombs ("Excessive alias count") and similar abuse
    return { ok: false, problems: [{ file: '', path: '', message: m.unreadable((e as Error).message) }] };
  }
}

/** Longest string a config file may hold, characters (ids and descriptions are far shorter). */
export const MAX_STRING_LENGTH = 100_000;

/**
 * Problems for non-finite or absurdly large numbers (the number rule, `checkNumber`) and
 * over-long strings anywhere in the data. O(size).
 */
export function scanNumbers(file: string, data: unknown): Problem[] {
  const out: Problem[] = [];
  const walk = (v: unknown, path: (string | number)[], depth: number) => {
    if (depth > 64) return;
    if (typeof v === 'string') {
      if (v.length > MAX_STRING_LENGTH) out.push({ file, path: formatPath(path), message: m.stringTooLong(v.length, MAX_STRING_LENGTH) });
    } else if (typeof v === 'number') {
      // YAML's .nan/.inf arrive as numbers; both spellings get describe()'s wording
      if (!Number.isFinite(v)) out.push({ file, path: formatPath(path), message: m.notFinite(v) });
      else if (checkNumber(v) !== undefined) out.push({ file, path: formatPath(path), message: m.tooLarge(v) });
    } else if (Array.isArray(v)) v.forEach((x, i) => walk(x, [...path, i], depth + 1));
    else if (v !== null && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, [...path, k], depth + 1);
  };
  walk(data, [], 0);
  return out;
}
