/**
 * The layering, as a test (STYLE 19). Reads every import under src/ and fails on:
 * - an import against the drawn order (a folder may import only folders below it);
 * - a cycle between folders (implied by the order) or between files;
 * - a cross-folder import that goes past the folder's index.ts (except the listed doors).
 *
 * The order is drawn once, here, and `src/sim/index.ts` and the README point to it.
 */
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const SRC = resolve(__dirname, '../src');

/**
 * Top to bottom. A folder imports only folders in later rows; folders in one row do not
 * import each other. Leaf modules (errors, defaults, version, util/) import nothing of the
 * project and may be imported from anywhere.
 */
export const LAYERS: readonly (readonly string[])[] = [
  ['cli'],
  ['report'],
  ['plan'],
  ['sim', 'calibration'],
  ['perf', 'traffic', 'cost'],
  ['config'],
  ['distributions'],
  ['stats'],
];
const LEAVES = new Set(['errors.ts', 'defaults.ts', 'version.ts', 'util']);

/** Cross-folder imports allowed past an index.ts, each with its reason. */
const DOORS: Record<string, string> = {
  'sim/result.ts': 'the result contract (types and schema version): reports and the CLI read it without loading the engine',
  'report/format.ts': 'number formatting, lazily imported by the CLI table without the chart renderer',
  'sim/threads.ts': 'the thread count and the trial helpers: the CLI starts helpers as soon as the workload is loaded, before it loads the engine (start-up)',
  'perf/messages.ts': 'the perf command\'s declaration reads its messages without loading the throughput model (start-up)',
};

function walk(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir)) {
    const p = join(dir, e);
    if (statSync(p).isDirectory()) out.push(...walk(p));
    else if (/\.(ts|mjs)$/.test(e)) out.push(p);
  }
  return out;
}

interface Edge {
  from: string;
  to: string;
  line: number;
}

function imports(): Edge[] {
  const edges: Edge[] = [];
  const re = /(?:import|export)\s[^'"]*?from\s+['"](\.[^'"]+)['"]|import\(\s*['"](\.[^'"]+)['"]\s*\)/g;
  for (const file of walk(SRC)) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(re)) {
      const spec = (m[1] ?? m[2])!;
      const target = resolve(dirname(file), spec).replace(/\.js$/, '.ts');
      const line = text.slice(0, m.index).split('\n').length;
      edges.push({ from: relative(SRC, file), to: relative(SRC, target), line });
    }
  }
  return edges;
}

const top = (p: string) => p.split('/')[0]!;
const rank = (folder: string): number => LAYERS.findIndex((row) => row.includes(folder));

describe('architecture', () => {
  const edges = imports();

  it('finds the imports it checks', () => {
    expect(edges.length).toBeGreaterThan(100);
    for (const e of edges) expect(e.to.startsWith('..'), `${e.from}:${e.line} imports outside src/`).toBe(false);
  });

  it('every folder under src/ is placed in a layer', () => {
    const folders = readdirSync(SRC).filter((e) => statSync(join(SRC, e)).isDirectory() && !LEAVES.has(e));
    for (const f of folders) expect(rank(f), `src/${f}/ is in no layer of test/architecture.test.ts`).toBeGreaterThanOrEqual(0);
  });

  it('imports run one way: down the layers, never up or sideways', () => {
    const bad: string[] = [];
    for (const e of edges) {
      const a = top(e.from);
      const b = top(e.to);
      if (a === b || LEAVES.has(b)) continue;
      if (LEAVES.has(a)) {
        bad.push(`${e.from}:${e.line} → ${e.to} (a leaf imports nothing of the project)`);
        continue;
      }
      if (!(rank(b) > rank(a))) bad.push(`${e.from}:${e.line} → ${e.to} (${a} may not import ${b})`);
    }
    expect(bad).toEqual([]);
  });

  it('other folders come in through index.ts (or a listed door)', () => {
    const bad: string[] = [];
    for (const e of edges) {
      const a = top(e.from);
      const b = top(e.to);
      if (a === b || LEAVES.has(b)) continue;
      if (e.to === `${b}/index.ts` || DOORS[e.to] !== undefined) continue;
      bad.push(`${e.from}:${e.line} → ${e.to}`);
    }
    expect(bad).toEqual([]);
  });

  it('no import cycle between files', () => {
    const graph = new Map<string, string[]>();
    for (const e of edges) graph.set(e.from, [...(graph.get(e.from) ?? []), e.to]);
    const state = new Map<string, 'open' | 'done'>();
    const cycles: string[] = [];
    const visit = (n: string, stack: string[]) => {
      if (state.get(n) === 'done') return;
      if (state.get(n) === 'open') {
        cycles.push([...stack.slice(stack.indexOf(n)), n].join(' → '));
        return;
      }
      state.set(n, 'open');
      for (const m of graph.get(n) ?? []) visit(m, [...stack, n]);
      state.set(n, 'done');
    };
    for (const n of graph.keys()) visit(n, []);
    expect(cycles).toEqual([]);
  });

  it('each folder face says what it offers (cli, the top, is entered by main.ts and imported by no one)', () => {
    for (const row of LAYERS.slice(1))
      for (const f of row) {
        const face = join(SRC, f, 'index.ts');
        let text = '';
        try {
          text = readFileSync(face, 'utf8');
        } catch {
          throw new Error(`src/${f}/index.ts is missing: each folder has a face`);
        }
        expect(text.trimStart().startsWith('/**'), `src/${f}/index.ts opens with a comment that draws what it offers`).toBe(true);
      }
  });
});
