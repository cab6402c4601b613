/**
 * Start-up stays cheap: what `breakeven --help` loads is program.ts and the files it imports
 * statically (value imports; `import type` is erased and `import()` waits for a command to run).
 * Declaring the commands must not pull in the config loader (zod, yaml), the model, the
 * engine or the chart renderer: those cost 0.2-1 s and are imported by each command's action.
 * The timing itself is a target in `npm run bench`; this test holds the structure behind it.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const SRC = resolve('src');

/** Files (relative to src/) and packages reached from `entry` through static value imports. */
function staticClosure(entry: string): { files: string[]; packages: string[] } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const re = /^\s*(?:import|export)\s+(?!type\s)([^'";]*?)\s*from\s+['"]([^'"]+)['"]|^\s*import\s+['"]([^'"]+)['"]/gm;
  const visit = (abs: string): void => {
    const rel = relative(SRC, abs);
    if (files.has(rel)) return;
    files.add(rel);
    const text = readFileSync(abs, 'utf8');
    for (const m of text.matchAll(re)) {
      const what = m[1] ?? '';
      const spec = m[2] ?? m[3]!;
      // `import { type A, type B } from` is erased too
      if (/^\{[^}]*\}$/.test(what) && what.slice(1, -1).split(',').every((s) => s.trim() === '' || /^type\s/.test(s.trim()))) continue;
      if (spec.startsWith('.')) visit(join(dirname(abs), spec).replace(/\.js$/, '.ts'));
      else if (!spec.startsWith('node:')) packages.add(spec);
    }
  };
  visit(join(SRC, entry));
  return { files: [...files].sort(), packages: [...packages].sort() };
}

describe('start-up imports', () => {
  const { files, packages } = staticClosure('cli/program.ts');

  it('declaring the commands loads commander and nothing heavier', () => {
    expect(packages).toEqual(['commander']);
  });

  it('no command implementation, config loader, engine or renderer loads before a command runs', () => {
    const heavy = files.filter((f) => /^(config|calibration|sim|report|traffic|cost|distributions|stats)\//.test(f) || /-run\.ts$/.test(f));
    expect(heavy).toEqual([]);
  });

  it('the scan sees the command files (so an empty closure cannot pass)', () => {
    expect(files).toEqual(expect.arrayContaining(['cli/program.ts', 'cli/simulate.ts', 'cli/validate.ts', 'cli/perf.ts', 'cli/calibrate.ts', 'cli/compare.ts']));
  });
});
