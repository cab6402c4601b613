/**
 * Shareable, re-runnable runs, through the CLI in-process: no absolute local path in any
 * output, the workload and catalog entries embedded as written, and `simulate --from
 * result.json` reproducing the run byte for byte from another directory (another machine
 * has neither the workload file nor its path).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { run } from '../../src/cli/program.js';
import { memoryIO } from '../../src/cli/io.js';
import type { SimulationResult } from '../../src/sim/result.js';

const ROOT = resolve('.');
let tmp: string;

async function cli(argv: string[], cwd: string) {
  const io = memoryIO({ cwd });
  const code = await run(argv, io);
  return { code, stdout: io.stdout, stderr: io.stderr };
}

beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'breakeven-share-'));
  mkdirSync(join(tmp, 'team', 'scenarios'), { recursive: true });
  copyFileSync(join(ROOT, 'workloads', 'default.yaml'), join(tmp, 'team', 'scenarios', 'mine.yaml'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('shareable runs', () => {
  it('names the workload relative to the working directory, embeds it, and writes no absolute path', async () => {
    const r = await cli(['simulate', 'scenarios/mine.yaml', '--trials', '12', '--workers', '1', '--out', 'out'], join(tmp, 'team'));
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const json = readFileSync(join(tmp, 'team', 'out', 'mine.json'), 'utf8');
    const html = readFileSync(join(tmp, 'team', 'out', 'mine.html'), 'utf8');
    const j = JSON.parse(json) as SimulationResult;
    expect(j.scenario.file).toBe('scenarios/mine.yaml');
    for (const text of [json, html, r.stdout]) {
      expect(text).not.toContain(tmp);
      expect(text).not.toContain(ROOT);
    }
    expect((j.scenario.workload as { model: string }).model).toBe('llama-3.1-70b');
    // the catalog entries used, as written, with their dates
    expect((j.scenario.catalog.models as { id: string }[]).map((m) => m.id)).toEqual(['llama-3.1-70b']);
    expect((j.scenario.catalog.apis as { id: string; date?: string }[])[0]).toMatchObject({ id: 'gpt-4o', date: expect.any(String) });
    expect((j.scenario.catalog.hardware as { id: string }[]).map((h) => h.id)).toEqual(expect.arrayContaining(['a100-80gb', 'h100-sxm']));
    expect((j.scenario.catalog.engines as { id: string }[]).map((e) => e.id)).toContain('vllm');
    expect(html).toContain('breakeven simulate --from mine.json');
  });

  it('a file outside the working directory is named by its file name alone', async () => {
    const r = await cli(['simulate', join(tmp, 'team', 'scenarios', 'mine.yaml'), '--trials', '12', '--workers', '1', '--no-report', '--json'], join(tmp, 'elsewhere-does-not-matter'));
    expect(r.code).toBe(0);
    expect((JSON.parse(r.stdout) as SimulationResult).scenario.file).toBe('mine.yaml');
    expect(r.stdout).not.toContain(tmp);
  });

  it('simulate --from result.json reproduces the run byte for byte elsewhere, with any worker count', async () => {
    mkdirSync(join(tmp, 'other'), { recursive: true });
    copyFileSync(join(tmp, 'team', 'out', 'mine.json'), join(tmp, 'other', 'theirs.json'));
    const r = await cli(['simulate', '--from', 'theirs.json', '--workers', '2', '--out', 'again'], join(tmp, 'other'));
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(readFileSync(join(tmp, 'other', 'again', 'theirs.json'), 'utf8')).toBe(readFileSync(join(tmp, 'team', 'out', 'mine.json'), 'utf8'));
    expect(readFileSync(join(tmp, 'other', 'again', 'theirs.html'), 'utf8')).toBe(readFileSync(join(tmp, 'team', 'out', 'mine.html'), 'utf8'));
  });

  it('--from refuses a bad or old result with exit 2 and writes nothing', async () => {
    const j = JSON.parse(readFileSync(join(tmp, 'team', 'out', 'mine.json'), 'utf8')) as SimulationResult;
    const old = { ...j, scenario: { ...j.scenario, workload: undefined, catalog: undefined } };
    writeFileSync(join(tmp, 'other', 'old.json'), JSON.stringify(old));
    let r = await cli(['simulate', '--from', 'old.json', '--out', 'x'], join(tmp, 'other'));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--from old\.json: this result does not embed its workload/);
    const broken = { ...j, scenario: { ...j.scenario, workload: { ...(j.scenario.workload as object), horizon_months: -1 } } };
    writeFileSync(join(tmp, 'other', 'broken.json'), JSON.stringify(broken));
    r = await cli(['simulate', '--from', 'broken.json', '--out', 'x'], join(tmp, 'other'));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/broken\.json.*scenario\.workload\.horizon_months/s);
    r = await cli(['simulate', 'scenarios/mine.yaml', '--from', 'broken.json'], join(tmp, 'team'));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/either a workload file or --from/);
  });
});
