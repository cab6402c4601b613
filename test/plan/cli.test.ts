/**
 * `breakeven plan` and `breakeven list` in-process: exit codes, did-you-mean for unknown ids,
 * pure JSON on --json, the files written (atomically, nothing on error), exact text where a
 * user reads it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from '../../src/cli/program.js';
import { memoryIO } from '../../src/cli/io.js';
import type { PlanResult } from '../../src/plan/index.js';
import { PLAN_SCHEMA_VERSION } from '../../src/plan/index.js';

let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'plan-cli-'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

async function cli(argv: string[]) {
  const io = memoryIO();
  const code = await run(argv, io);
  return { code, stdout: io.stdout, stderr: io.stderr };
}

// a small search: one GPU type, one policy, on-demand only
const SMALL = ['--gpus', 'h100-sxm', '--policies', 'fixed', '--pricing', 'on_demand', '--trials', '5', '--workers', '1'];

describe('breakeven plan', () => {
  it('an unknown GPU id: did-you-mean, exit 2, nothing written', async () => {
    const out = join(tmp, 'bad');
    const r = await cli(['plan', 'workloads/default.yaml', '--gpus', 'h100', '--out', out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('error: --gpus: unknown GPU "h100". Did you mean h200 or h100-sxm or a10g? (known: a100-80gb, a10g, h100-sxm, h200, l4, l40s, mi300x)\n');
    expect(existsSync(out)).toBe(false);
  });

  it('an unknown weight format and policy: did-you-mean, exit 2', async () => {
    expect((await cli(['plan', '--weights', 'fp9', '--no-report'])).stderr).toContain('--weights: unknown weight format "fp9". Did you mean fp8');
    expect((await cli(['plan', '--policies', 'autoscaling', '--no-report'])).stderr).toContain('Did you mean autoscale?');
    expect((await cli(['plan', '--pricing', 'ondemand', '--no-report'])).code).toBe(2);
  });

  it('--json prints the plan JSON only; the files hold the same JSON', async () => {
    const out = join(tmp, 'json');
    const r = await cli(['plan', 'workloads/default.yaml', ...SMALL, '--json', '--out', out]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const j = JSON.parse(r.stdout) as PlanResult;
    expect(j.schema_version).toBe(PLAN_SCHEMA_VERSION);
    expect(j.best).toBe(j.candidates.find((c) => c.eligible)?.id ?? null);
    expect(j.candidates.map((c) => c.rank)).toEqual(j.candidates.map((_, i) => i + 1));
    for (const c of j.candidates) expect(Object.keys(c)).toEqual(expect.arrayContaining(['id', 'gpu', 'weights', 'kv_cache', 'tp', 'policy', 'pricing', 'feasible', 'cost_per_month', 'p_cheaper', 'breakeven_tokens_per_month', 'violation_hours', 'gpus', 'rank']));
    expect(readdirSync(out).sort()).toEqual(['default.plan.html', 'default.plan.json']);
    expect(readFileSync(join(out, 'default.plan.json'), 'utf8')).toBe(r.stdout);
  });

  it('text: the answer first, then the table, frontiers, volumes and pruning', async () => {
    const r = await cli(['plan', 'workloads/default.yaml', ...SMALL, '--no-report', '--top', '3']);
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toMatch(/^Cheapest configuration meeting the SLO: .+, \d+ GPUs? \(p90 \d+\), \$[\d.]+ K\/month \(median\), cheaper than the API while meeting the SLO in \d+ % of trials, break-even .+\.$/);
    expect(r.stdout).toMatch(/\n# +candidate +GPUs p50\/p90 +\$\/month p50/);
    expect(r.stdout).toContain('Pareto frontier, median $/month vs TPOT at the chosen batch: ');
    expect(r.stdout).toContain('GPUs needed across volumes (p50/p90, 5 trials):');
    expect(r.stdout).toMatch(/\nPruned \(candidates, why\):\n +\d+ {2}dominated: e\.g\. tp \d serves /);
    expect(r.stdout).not.toContain('wrote ');
  });
});

describe('breakeven list', () => {
  it('gpus: ids with memory, bandwidth, formats and prices', async () => {
    const r = await cli(['list', 'gpus']);
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^id\s+name\s+memory GB\s+TB\/s\s+formats\s+\$\/GPU-h on demand \(90 %\)\s+pricing$/);
    expect(lines.slice(1).map((l) => l.split(/\s+/)[0])).toEqual(['a100-80gb', 'a10g', 'h100-sxm', 'h200', 'l4', 'l40s', 'mi300x']);
    expect(lines.find((l) => l.startsWith('h100-sxm'))).toMatch(/ 80 +3\.35 +bf16,fp16,fp8,int8 /);
  });

  it('models and apis as JSON', async () => {
    const m = JSON.parse((await cli(['list', 'models', '--json'])).stdout) as { id: string; layers: number; kv_heads: number }[];
    expect(m.find((x) => x.id === 'llama-3.1-70b')).toMatchObject({ layers: 80, kv_heads: 8 });
    const a = JSON.parse((await cli(['list', 'apis', '--json'])).stdout) as { id: string; date: string }[];
    expect(a.length).toBeGreaterThan(0);
    for (const x of a) expect(x.date).toMatch(/^\d{4}-\d{2}/);
  });

  it('engines: the serving presets with their caps and dates', async () => {
    const e = JSON.parse((await cli(['list', 'engines', '--json'])).stdout) as { id: string; date: string; max_num_seqs: number }[];
    expect(e.map((x) => x.id)).toEqual(expect.arrayContaining(['sglang', 'trtllm', 'vllm']));
    for (const x of e) expect(x.max_num_seqs).toBeGreaterThan(0);
  });

  it('an unknown kind: did-you-mean, exit 2', async () => {
    const r = await cli(['list', 'gpu']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('error: list: unknown kind "gpu". Did you mean gpus? (one of: gpus, models, apis, engines)\n');
  });
});
