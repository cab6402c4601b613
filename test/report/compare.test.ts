import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { registerCompare } from '../../src/cli/compare.js';
import { memoryIO, UserError } from '../../src/cli/io.js';
import { loadFixture, XSS } from './fixtures/variants.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'compare-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function run(args: string[]) {
  const io = memoryIO({ cwd: dir });
  const program = new Command('breakeven').exitOverride();
  registerCompare(program, io);
  await program.parseAsync(['compare', ...args], { from: 'user' });
  return io;
}

function write(name: string, value: unknown) {
  writeFileSync(join(dir, name), typeof value === 'string' ? value : JSON.stringify(value));
}

describe('breakeven compare', () => {
  it('prints changed inputs, option shifts and options only in one', async () => {
    const a = loadFixture();
    const b = loadFixture();
    b.inputs[5] = { ...b.inputs[5]!, written: '8', p50: 8, p10: 8, p90: 8 };
    b.options[0]!.p_cheaper = 0.85;
    b.options[0]!.breakeven_tokens_per_month = { p10: 5e8, p50: 1e9, p90: 2e9, mean: 1.1e9 };
    b.options[0]!.cost_per_million_tokens.p50 = 2.5;
    b.options.pop();
    b.options.push({ ...loadFixture().options[2]!, id: 'h200-fp8-fixed', label: `H200 ${XSS}` });
    write('a.json', a);
    write('b.json', b);
    const io = await run(['a.json', 'b.json', '--out', 'diff.html']);
    expect(io.stdout).toContain('apis.gpt-4o.output_per_million: 10 (p50 10) → 8 (p50 8)');
    expect(io.stdout).toContain('P(cheaper): 77 % → 85 % (+8.0 pp)');
    expect(io.stdout).toContain('break-even p10/p50/p90: 679 M / 1.3 B / 2.49 B → 500 M / 1 B / 2 B tokens/month (median -23 %)');
    expect(io.stdout).toContain('cost per million tokens (p50): $2.71 → $2.50 (-7.9 %)');
    expect(io.stdout).toMatch(/Only in a\.json:\n {2}h100-sxm-fp8-hybrid/);
    expect(io.stdout).toMatch(/Only in b\.json:\n {2}h200-fp8-fixed/);
    expect(io.stdout).not.toContain('traffic.tokens_per_month:'); // unchanged input not listed
    const html = readFileSync(join(dir, 'diff.html'), 'utf8');
    expect(html).not.toContain(XSS);
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html).not.toMatch(/<script|https?:\/\//i);
    expect(io.stderr).toBe('wrote diff.html\n');
  });

  it('rejects a file that is not a result JSON, naming it', async () => {
    write('a.json', loadFixture());
    write('w.json', { name: 'a workload' });
    write('bad.json', '{not json');
    await expect(run(['a.json', 'w.json'])).rejects.toThrow(/^w\.json: not a result JSON \(no schema_version/);
    await expect(run(['bad.json', 'a.json'])).rejects.toThrow(/^bad\.json: not a result JSON \(not valid JSON/);
    await expect(run(['a.json', 'missing.json'])).rejects.toThrow(UserError);
  });

  it('rejects a different major schema version', async () => {
    write('a.json', loadFixture());
    write('b.json', { ...loadFixture(), schema_version: '3.0.0' });
    const err = await run(['a.json', 'b.json']).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    expect((err as UserError).message).toBe('b.json: result schema_version 3.0.0 cannot be read by this version (reads 2.x); re-run the simulation with this version');
    expect((err as UserError).exitCode).toBe(2);
  });
});
