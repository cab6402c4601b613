/**
 * The README's quick start shows what `npx breakeven` prints for the bundled default scenario.
 * That block is the first answer a new user compares with their own run, so it must be what
 * the tool prints today: this test runs the same scenario in-process (2,000 trials, seed 1, as
 * `npx breakeven` does) and compares every line except the "wrote …" lines (the run writes no
 * report here, to keep the suite fast: the report itself is checked elsewhere).
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from '../../src/cli/program.js';
import { memoryIO } from '../../src/cli/io.js';

/** The lines of the README's `$ npx breakeven` block, without the command line itself. */
function readmeBlock(): string[] {
  const readme = readFileSync(join(process.cwd(), 'README.md'), 'utf8');
  const start = readme.indexOf('$ npx breakeven\n');
  expect(start, 'README has a `$ npx breakeven` block').toBeGreaterThan(0);
  const body = readme.slice(start + '$ npx breakeven\n'.length, readme.indexOf('```', start));
  return body.split('\n');
}

const withoutWrote = (lines: string[]): string[] => lines.filter((l) => !l.startsWith('wrote '));

describe('README quick start', () => {
  it('shows what `npx breakeven` prints for the default scenario today (rerun `npx breakeven` and paste its output when an answer moves)', async () => {
    const out = mkdtempSync(join(tmpdir(), 'readme-run-'));
    try {
      const io = memoryIO({ cwd: process.cwd() });
      const code = await run(['simulate', 'workloads/default.yaml', '--no-report', '--workers', '1', '--out', out], io);
      expect(io.stderr).toBe('');
      expect(code).toBe(0);
      expect(withoutWrote(io.stdout.split('\n'))).toEqual(withoutWrote(readmeBlock()));
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
