/**
 * Reading one config file from disk: YAML or JSON by extension, syntax errors with line and
 * column, and a scan for values no schema should see (NaN, ±Infinity, numbers beyond
 * ±1e15). Never throws: returns the parsed data or the problems.
 */
import { readFileSync, statSync } from 'node:fs';
import { extname } from 'node:path';
import { LineCounter, parseDocument } from 'yaml';
import type { Problem } from './problems.js';
import { formatPath } from './problems.js';
import { m, MAX_ABS_NUMBER } from './messages.js';

export type ReadResult = { ok: true; data: unknown } | { ok: false; problems: Problem[] };

const EXTENSIONS = new Set(['.yaml', '.yml', '.json']);

/** Largest config file accepted, bytes (a scenario is a few KB; this guards against mistakes). */
export const MAX_FILE_BYTES = 10 * 1024 * 1024;

/**
 * Read and parse `abs`; problems are reported against `shown` (the name the user knows).
 */
export function readConfigFile(abs: string, shown: string): ReadResult {
  const fail = (message: string, path = ''): ReadResult => ({ ok: false, problems: [{ file: shown, path, message }] });
  let size: number;
  try {
    const st = statSync(abs);
    if (st.isDirectory()) return fail(m.isDirectory());
    size = st.size;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return fail(code === 'ENOENT' || code === 'ENOTDIR' ? m.notFound() : m.unreadable(code ?? (e as Error).message));
  }
  const ext = extname(abs).toLowerCase();
  if (!EXTENSIONS.has(ext)) return fail(m.badExtension(ext || '(none)'));
  if (size > MAX_FILE_BYTES) return fail(m.unreadable(`larger than ${MAX_FILE_BYTES / 1024 / 1024} MB`));
  let text: string;
  try {
    text = readFileSync(abs, 'utf8');
  } catch (e) {
    return fail(m.unreadable((e as NodeJS.ErrnoException).code ?? (e as Error).message));
  }
  if (text.replace(/^\uFEFF/, '').trim() === '') return fail(m.empty());
  const parsed = ext === '.json' ? parseJson(text) : parseYaml(text);
  if (!parsed.ok) return { ok: false, problems: parsed.problems.map((p) => ({ ...p, file: shown })) };
  if (parsed.data === null || parsed.data === undefined) return fail(m.empty());
  if (typeof parsed.data !== 'object' || Array.isArray(parsed.data)) return fail(m.notMapping(parsed.data));
  return parsed;
}

function parseJson(text: string): ReadResult {
  try {
    return { ok: true, data: JSON.parse(text.replace(/^\uFEFF/, '')) as unknown };
  } catch (e) {
    return { ok: false, problems: [{ file: '', path: '', message: m.jsonSyntax((e as Error).message) }] };
  }
}

function parseYaml(text: string): ReadResult {
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
    return { ok: true, data: doc.toJS({ maxAliasCount: 100 }) as unknown };
  } catch (e) {
    // toJS throws on alias bombs ("Excessive alias count") and similar abuse
    return { ok: false, problems: [{ file: '', path: '', message: m.unreadable((e as Error).message) }] };
  }
}

/** Problems for non-finite or absurdly large numbers anywhere in the data. O(size). */
export function scanNumbers(file: string, data: unknown): Problem[] {
  const out: Problem[] = [];
  const walk = (v: unknown, path: (string | number)[], depth: number) => {
    if (depth > 64) return;
    if (typeof v === 'number') {
      if (!Number.isFinite(v)) out.push({ file, path: formatPath(path), message: m.notFinite(v) });
      else if (Math.abs(v) > MAX_ABS_NUMBER) out.push({ file, path: formatPath(path), message: m.tooLarge(v) });
    } else if (Array.isArray(v)) v.forEach((x, i) => walk(x, [...path, i], depth + 1));
    else if (v !== null && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, [...path, k], depth + 1);
  };
  walk(data, [], 0);
  return out;
}
