/**
 * Inputs the loader accepts but no fleet can serve: a model that fits no GPU even at tp 8,
 * an SLO no batch can meet, zero traffic. The engine answers them (not the loader): the
 * simulate command must exit with the code on the file's `# exit:` line (0 where the option
 * is reported infeasible in the result, 2 for a user error) and print the `# expect:`
 * substring, without a stack trace. Runs once the CLI (src/cli/program.ts) is in place.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { memoryIO } from '../../src/cli/io.js';
import { loadWorkload } from '../../src/config/index.js';

const DIR = 'test/corpus/infeasible';
const files = readdirSync(DIR).filter((f) => f.endsWith('.yaml')).sort();

function expectation(file: string): { message: string; exit: number } {
  const [first, second] = readFileSync(file, 'utf8').split('\n');
  const m = /^# expect: (.+)$/.exec(first ?? '');
  const x = /^# exit: (\d+)/.exec(second ?? '');
  if (!m || !x) throw new Error(`${file}: first lines must be "# expect: <message substring>" and "# exit: <code>"`);
  return { message: m[1]!, exit: Number(x[1]) };
}

describe('infeasible corpus: valid files', () => {
  it.each(files)('%s passes the loader (the engine, not the loader, refuses it)', (name) => {
    expect(() => loadWorkload(join(DIR, name))).not.toThrow();
  });
});

describe('infeasible corpus: simulate', () => {
  it.each(files)('%s is answered as infeasible', async (name) => {
    const { run } = await import('../../src/cli/program.js');
    const file = join(DIR, name);
    const out = mkdtempSync(join(tmpdir(), 'breakeven-infeasible-'));
    try {
      const io = memoryIO();
      const want = expectation(file);
      const code = await run(['simulate', file, '--out', out, '--workers', '1'], io);
      expect(io.stderr + io.stdout).toContain(want.message);
      expect(code).toBe(want.exit);
      expect(io.stderr).not.toContain('    at ');
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  }, 60_000);
});
