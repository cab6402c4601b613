/**
 * Every file under test/corpus/bad/ must be refused by `breakeven validate` with exit code 2
 * (a UserError), a message naming the file and containing the substring from the file's
 * first line (`# expect: ...`), and no stack trace. A directory case keeps its expectation
 * in `expect.txt` inside it. References resolve against the fixture catalogs.
 */
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Command } from 'commander';
import { memoryIO, UserError } from '../../src/cli/io.js';
import { registerValidate } from '../../src/cli/validate.js';

const CORPUS = 'test/corpus/bad';
const ROOT = 'test/config/fixtures/root';

function expectation(file: string): string {
  const isDir = statSync(file).isDirectory();
  const first = readFileSync(isDir ? join(file, 'expect.txt') : file, 'utf8').split('\n')[0]!;
  const m = /^# expect: (.+)$/.exec(first);
  if (!m) throw new Error(`${file}: first line must be "# expect: <message substring>"`);
  return m[1]!;
}

async function validate(args: string[]) {
  const io = memoryIO();
  const program = new Command().exitOverride();
  registerValidate(program, io);
  let error: unknown;
  try {
    await program.parseAsync(['node', 'breakeven', 'validate', '--catalog-root', ROOT, ...args]);
  } catch (e) {
    error = e;
  }
  return { io, error };
}

const files = readdirSync(CORPUS).sort();

describe('bad-input corpus', () => {
  it('holds at least 40 cases', () => {
    expect(files.length).toBeGreaterThanOrEqual(40);
  });

  it.each(files)('%s is refused with its expected message', async (name) => {
    const file = join(CORPUS, name);
    const want = expectation(file);
    const { io, error } = await validate([file]);
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).exitCode).toBe(2);
    expect(io.stdout).toBe('');
    expect(io.stderr).toContain(want);
    expect(io.stderr).toContain(file);
    expect(io.stderr).not.toContain('    at ');
  });

  it('reports every bad file in one run, and exits 2 once', async () => {
    const some = files.slice(0, 5).map((f) => join(CORPUS, f));
    const { io, error } = await validate([join(ROOT, 'workloads/ok.yaml'), ...some]);
    expect((error as UserError).message).toBe(`5 of 6 files are not valid`);
    expect(io.stdout).toBe(`ok  ${join(ROOT, 'workloads/ok.yaml')} (workload)\n`);
    for (const f of some) expect(io.stderr).toContain(f);
  });
});
