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
    expect(io.stdout).toContain('apis.gpt-4o.output_per_million: 10 → 8');
    expect(io.stdout).toContain('P(cheaper): 77 % → 85 % (+8.0 pp)');
    expect(io.stdout).toContain('break-even p10/p50/p90: 679 M / 1.3 B / 2.49 B → 500 M / 1 B / 2 B tokens/month (median -23 %)');
    expect(io.stdout).toContain('cost per million tokens (p50): $2.71 → $2.50 (-7.9 %)');
    expect(io.stdout).toMatch(/Only in a\.json:\n {2}h100-sxm-fp8-hybrid/);
    expect(io.stdout).toMatch(/Only in b\.json:\n {2}h200-fp8-fixed/);
    expect(io.stdout).not.toContain('traffic.tokens_per_month:'); // unchanged input not listed
    const html = readFileSync(join(dir, 'diff.html'), 'utf8');
    expect(html).not.toContain(XSS);
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html.replace(/xmlns(:xlink)?="http:\/\/www\.w3\.org\/[^"]+"/g, '')).not.toMatch(/<script|https?:\/\//i);
    // side-by-side charts: both runs' curves on one plot, cost per option
    expect(html).toMatch(/data-chart="compare-curves"><svg/);
    expect(html).toMatch(/data-chart="compare-cost"><svg/);
    expect(io.stderr).toBe('wrote diff.html\n');
  });

  it('leads with each run\'s answer and $/month per option; no runaway percentages', async () => {
    const a = loadFixture();
    const b = loadFixture();
    b.options[0]!.cost_per_month.p50 = 5427.4 * 927; // a 926-fold rise reads as a factor, not "+92600 %"
    b.options[1]!.cost_per_month.p50 = 5130;
    write('a.json', a);
    write('b.json', b);
    const io = await run(['a.json', 'b.json']);
    expect(io.stdout).toMatch(/^Answers:\n {2}a\.json: Self-host on 2 × 2×H100 SXM FP8 \(fixed fleet, owned\): \$5\.43 K\/month vs GPT-4o \$8\.8 K;/);
    // $5,700 → $5,130: -$570, -10 %
    expect(io.stdout).toContain('$/month (p50): $5.7 K → $5.13 K (-$570/month, -10 %)');
    expect(io.stdout).toContain('(+$5.03 M/month, ×927)');
    expect(io.stdout).not.toMatch(/\d{4,} %/);
  });

  it('flags a different model, API or horizon loudly, and does not list sampling noise as a change', async () => {
    const a = loadFixture();
    const b = loadFixture();
    b.scenario.model = 'llama-3.1-8b';
    b.api = { ...b.api, id: 'gpt-4o-mini', label: 'GPT-4o mini' };
    b.scenario.horizon_months = 12;
    b.scenario.seed = 43;
    // same definition, another seed: different sampled percentiles, not a change
    b.inputs[0] = { ...b.inputs[0]!, p10: 1.61e9, p50: 2.02e9, p90: 2.49e9 };
    write('a.json', a);
    write('b.json', b);
    const io = await run(['a.json', 'b.json']);
    expect(io.stdout).toMatch(/^Read first:\n {2}MODEL DIFFERS: llama-3\.1-70b → llama-3\.1-8b; the runs answer different questions\n {2}API DIFFERS: GPT-4o → GPT-4o mini; the baseline price changed\n {2}HORIZON DIFFERS: 24 → 12 months/);
    // 2,000 trials: 100/√2000 = 2.2 → "±2 pp"
    expect(io.stdout).toContain('shifts in shares smaller than about ±2 pp may be sampling noise');
    expect(io.stdout).toMatch(/Inputs that differ \(as written\):\n {2}none/);
  });

  it('reads a result from before keyed streams (no scenario.random_streams) against one after as sampling noise at the same seed', async () => {
    const a = loadFixture();
    delete (a.scenario as { random_streams?: string }).random_streams;
    const b = loadFixture();
    b.scenario.random_streams = 'philox-per-input';
    write('a.json', a);
    write('b.json', b);
    const io = await run(['a.json', 'b.json']);
    expect(io.stdout).toContain('different random streams (alea-sequential → philox-per-input: the same seed draws other numbers): shifts in shares smaller than about ±2 pp may be sampling noise');
    // two results drawn the same way: no such line
    write('a.json', b);
    const same = await run(['a.json', 'b.json']);
    expect(same.stdout).not.toContain('random streams');
    expect(same.stdout).not.toContain('sampling noise');
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
