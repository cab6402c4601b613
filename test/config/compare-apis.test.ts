/**
 * `compare_apis` in a workload: resolved like `api` (ids or mixes), unknown ids with
 * did-you-mean in the same pass as other unknown ids, the primary repeated or a baseline
 * listed twice is a clear error; through the CLI: exit 2, nothing written; with valid extra
 * baselines `simulate` prints one line per baseline and the report a "vs other APIs" table.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { ConfigError, formatProblems, loadWorkloadData } from '../../src/config/index.js';
import { run } from '../../src/cli/program.js';
import { memoryIO } from '../../src/cli/io.js';
import type { SimulationResult } from '../../src/sim/result.js';

const ROOT = 'test/config/fixtures/root';
const okData = (): Record<string, unknown> => parse(readFileSync(join(ROOT, 'workloads/ok.yaml'), 'utf8')) as Record<string, unknown>;

function problemsOf(data: Record<string, unknown>): string {
  try {
    loadWorkloadData(data, { root: ROOT, name: 'w.yaml' });
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return formatProblems((e as ConfigError).problems);
  }
  throw new Error('expected a ConfigError');
}

describe('compare_apis in the loader', () => {
  it('resolves ids and mixes, in the order written', () => {
    const data = { ...okData(), compare_apis: ['gpt-4o-mini', [{ api: 'gpt-4o-mini', share: 0.5 }, { api: 'together-llama-3.1-70b', share: 0.5 }]] };
    const w = loadWorkloadData(data, { root: ROOT, name: 'w.yaml' });
    expect(w.compareApis!.map((mix) => mix.map((m) => [m.api.id, m.share]))).toEqual([
      [['gpt-4o-mini', 1]],
      [
        ['gpt-4o-mini', 0.5],
        ['together-llama-3.1-70b', 0.5],
      ],
    ]);
  });

  it('unknown ids get did-you-mean, reported with the other unknown ids', () => {
    const data = { ...okData(), model: 'llama-3.1-7b', compare_apis: ['gpt-4o-mni', [{ api: 'together-llama-3.1-7b', share: 1 }]] };
    expect(problemsOf(data)).toBe(
      [
        'w.yaml: model: unknown model "llama-3.1-7b" (did you mean "llama-3.1-70b" or "llama-3.1-8b"?)',
        'w.yaml: compare_apis[0]: unknown API "gpt-4o-mni" (did you mean "gpt-4o-mini"?)',
        'w.yaml: compare_apis[1][0].api: unknown API "together-llama-3.1-7b" (did you mean "together-llama-3.1-70b"?)',
      ].join('\n'),
    );
  });

  it('the primary repeated, a baseline listed twice, or a mix not summing to 1 is an error', () => {
    const data = { ...okData(), api: 'gpt-4o-mini', compare_apis: ['gpt-4o-mini', 'together-llama-3.1-70b', 'together-llama-3.1-70b', [{ api: 'gpt-4o-mini', share: 0.5 }, { api: 'together-llama-3.1-70b', share: 0.4 }]] };
    expect(problemsOf(data)).toBe(
      [
        'w.yaml: compare_apis[0]: "gpt-4o-mini" is already the primary baseline (api); compare_apis lists the other baselines to compare against',
        'w.yaml: compare_apis[2]: baseline "together-llama-3.1-70b" is listed twice (first at compare_apis[1])',
        'w.yaml: compare_apis[3]: API mix shares must sum to 1 (got 0.9)',
      ].join('\n'),
    );
    // a mix as the primary, written again in compare_apis
    const mix = okData();
    expect(problemsOf({ ...mix, compare_apis: [mix['api']] })).toContain('compare_apis[0]: "gpt-4o-mini:0.7+together-llama-3.1-70b:0.3" is already the primary baseline (api)');
  });
});

describe('compare_apis with a schema error elsewhere', () => {
  it('unknown ids in compare_apis are reported in the same pass as the schema error', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'breakeven-capis-pass-'));
    try {
      writeFileSync(
        join(dir, 'bad.yaml'),
        `kind: workload
name: one pass
description: ''
model: llama-3.1-70b
api: gpt-4o
compare_apis: [gpt-4o-mni, [{ api: claude-sonet-4, share: 1 }]]
traffic: { requests_per_day: -5, input_tokens: 1000, output_tokens: 200 }
self_hosted:
  options:
    - { gpu: h100-sxm, weights: fp8, fleet: { policy: fixed } }
`,
      );
      const io = memoryIO({ cwd: dir });
      expect(await run(['validate', 'bad.yaml'], io)).toBe(2);
      expect(io.stderr).toContain('bad.yaml: traffic.requests_per_day: must be >= 0');
      expect(io.stderr).toContain('bad.yaml: compare_apis[0]: unknown API "gpt-4o-mni" (did you mean "gpt-4o-mini"');
      expect(io.stderr).toContain('bad.yaml: compare_apis[1][0].api: unknown API "claude-sonet-4" (did you mean "claude-sonnet-4"');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('compare_apis through the CLI', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'breakeven-capis-'));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));
  const cli = async (argv: string[]) => {
    const io = memoryIO({ cwd: process.cwd() });
    const code = await run(argv, io);
    return { code, stdout: io.stdout, stderr: io.stderr };
  };
  const workload = (compare: unknown): string => {
    const w = parse(readFileSync('workloads/support-bot.yaml', 'utf8')) as Record<string, unknown>;
    w['compare_apis'] = compare;
    w['horizon_months'] = 2;
    const f = join(tmp, `w${Math.random().toString(36).slice(2)}.yaml`);
    writeFileSync(f, stringify(w));
    return f;
  };

  it('an unknown id: exit 2, did-you-mean, no stack trace, nothing written', async () => {
    const out = join(tmp, 'bad-out');
    const r = await cli(['simulate', workload(['gpt-4o-mni']), '--trials', '20', '--out', out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('compare_apis[0]: unknown API "gpt-4o-mni" (did you mean "gpt-4o-mini"');
    expect(r.stderr).not.toContain('    at ');
    expect(existsSync(out)).toBe(false);
  });

  it('simulate: one console line per baseline, a "vs other APIs" table in the report, fields in the JSON', async () => {
    const out = join(tmp, 'ok-out');
    const f = workload(['gpt-4o', 'claude-sonnet-4']);
    const r = await cli(['simulate', f, '--trials', '40', '--out', out, '--workers', '1']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    const at = lines.findIndex((l) => l.endsWith('against the other APIs (same trials):'));
    expect(at).toBeGreaterThan(0);
    expect(lines[at + 1]).toMatch(/^  vs GPT-4o \(2024-08-06 and later\) \(\$[\d.]+( K)?\/month\): cheaper and within the SLO in [^;]+ of trials; saves -?\$[\d.]+( K)?\/month \(p50\); /);
    expect(lines[at + 2]).toMatch(/^  vs Claude Sonnet 4 \(/);
    const written = readdirSync(out);
    const json = JSON.parse(readFileSync(join(out, written.find((n) => n.endsWith('.json'))!), 'utf8')) as SimulationResult;
    expect(json.compare_apis.map((a) => a.id)).toEqual(['gpt-4o', 'claude-sonnet-4']);
    for (const o of json.options) expect(Object.keys(o.vs_apis)).toEqual(['gpt-4o', 'claude-sonnet-4']);
    const html = readFileSync(join(out, written.find((n) => n.endsWith('.html'))!), 'utf8');
    expect(html).toContain('<h2>vs other APIs</h2>');
    expect(html).toContain('Claude Sonnet 4');
    // the extra baselines' catalog entries are embedded, so --from re-runs the result byte for byte
    expect((json.scenario.catalog.apis as { id: string }[]).map((a) => a.id)).toEqual(['claude-sonnet-4', 'gpt-4o', 'gpt-4o-mini']);
    const again = await cli(['simulate', '--from', join(out, written.find((n) => n.endsWith('.json'))!), '--json', '--no-report', '--workers', '1']);
    expect(again.code).toBe(0);
    expect(again.stdout).toBe(readFileSync(join(out, written.find((n) => n.endsWith('.json'))!), 'utf8'));
  }, 60_000);
});
