/**
 * Every bundled example (as vega-lite's examples test): each hardware profile, measurement
 * file and catalog validates; each bundled workload, simulated once per test run through the
 * in-process CLI with a fixed seed (test/global-setup.ts, shared with the browser test), printed
 * a result JSON that is complete (one entry per option, API figures), finite (no NaN,
 * no Infinity, no null where a number is required), ordered (p10 <= p50 <= p90) and bounded
 * (probabilities and shares in [0, 1]); the same run through `simulate` on a deep-frozen
 * workload gives byte-identical JSON (deterministic, and the input is never mutated).
 *
 * The file lists come from the folders, so a newly bundled file is tested without editing this.
 */
import { describe, expect, inject, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { run } from '../../src/cli/program.js';
import { memoryIO } from '../../src/cli/io.js';
import { loadWorkload } from '../../src/config/index.js';
import type { LoadedWorkload } from '../../src/config/index.js';
import { simulate } from '../../src/sim/index.js';
import type { SimulationResult } from '../../src/sim/result.js';
import { resultJson } from '../../src/report/index.js';
import { deepFreeze } from '../helpers.js';
import { BUNDLED_SEED, bundledWorkloads, listBundled, trialsFor, waitForBundledRun, WAIT_MS } from '../bundled-runs.js';

const ROOT = process.cwd();
const HARDWARE = listBundled(ROOT, 'hardware', /\.(ya?ml|json)$/);
const CATALOGS = listBundled(ROOT, 'workloads/catalog', /\.ya?ml$/);
const WORKLOADS = bundledWorkloads(ROOT);
const RUNS = inject('bundledRunsDir');

/** The kind `validate` must report for each bundled non-workload file. */
function expectedKind(file: string): string {
  if (file.startsWith('hardware/')) return file.endsWith('.json') ? 'measurements' : 'hardware';
  if (file.endsWith('/models.yaml')) return 'models';
  if (file.endsWith('/apis.yaml')) return 'apis';
  return 'unknown';
}

/**
 * Warnings a bundled scenario legitimately raises at seed 7 (300 trials); any other warning,
 * or one of these going missing, fails the test. The share is matched loosely (see the
 * "warning percentages" test below for what it should say).
 */
const EXPECTED_WARNINGS: Record<string, RegExp[]> = {
};

const SEED = BUNDLED_SEED;

// ---------------------------------------------------------------- deep scans

/** Paths (array indices as []) where the result type allows null. */
const NULLABLE = new Set([
  '$.scenario.file',
  '$.inputs[].source',
  '$.options[].infeasible_reason',
  '$.options[].perf',
  '$.options[].perf.max_batch_tpot',
  '$.options[].perf.prefix_cache',
  '$.options[].breakeven_tokens_per_month',
  '$.options[].payback_month',
  '$.options[].slo_attainment',
  '$.options[].gpus',
  '$.options[].routing',
  '$.options[].batch_runs_missed_share',
  '$.options[].deferred_missed_share',
  '$.batch_jobs',
  '$.deferred_batch_share',
  '$.slo.ttft_ms',
  '$.slo.tpot_ms',
  '$.throughput_curves[].tpot_ms',
  '$.calibration[].held_out_median_abs_error',
  '$.calibration[].held_out_max_abs_error',
]);
const NULLABLE_PATTERNS = [/^\$\.throughput_curves\[\]\.max_batch_tpot\.[^.]+$/];

const generic = (path: string) => path.replace(/\[\d+\]/g, '[]');

/**
 * Every problem found under `obj`, by path: a number that is NaN or ±Infinity, a null where the
 * result type does not allow one, a value of a type JSON cannot hold. Returns [] when clean.
 */
export function scanFinite(obj: unknown, path = '$'): string[] {
  const problems: string[] = [];
  const walk = (v: unknown, p: string): void => {
    if (v === null) {
      const g = generic(p);
      if (!NULLABLE.has(g) && !NULLABLE_PATTERNS.some((re) => re.test(g))) problems.push(`${p}: null where a number is required`);
      return;
    }
    switch (typeof v) {
      case 'number':
        if (!Number.isFinite(v)) problems.push(`${p}: ${String(v)}`);
        return;
      case 'string':
      case 'boolean':
        return;
      case 'object':
        if (Array.isArray(v)) v.forEach((x, i) => walk(x, `${p}[${i}]`));
        else for (const [k, x] of Object.entries(v as Record<string, unknown>)) walk(x, `${p}.${k}`);
        return;
      default:
        problems.push(`${p}: ${typeof v} is not JSON`);
    }
  };
  walk(obj, path);
  return problems;
}

/**
 * Quantile objects anywhere in the result: `{p10, p50, p90}` of numbers (mean too where present)
 * must be numbers with p10 <= p50 <= p90; `{p10: [], p50: [], p90: []}` series must be arrays of
 * one length, ordered element by element.
 */
export function scanQuantiles(obj: unknown, path = '$'): string[] {
  const problems: string[] = [];
  const walk = (v: unknown, p: string): void => {
    if (v === null || typeof v !== 'object') return;
    if (Array.isArray(v)) {
      v.forEach((x, i) => walk(x, `${p}[${i}]`));
      return;
    }
    const o = v as Record<string, unknown>;
    if ('p10' in o && 'p50' in o && 'p90' in o) {
      const { p10, p50, p90 } = o;
      if (Array.isArray(p10) || Array.isArray(p50) || Array.isArray(p90)) {
        const [a, b, c] = [p10, p50, p90] as unknown[][];
        if (!Array.isArray(a) || !Array.isArray(b) || !Array.isArray(c) || a.length !== b.length || b.length !== c.length) {
          problems.push(`${p}: p10/p50/p90 series of different shapes`);
        } else {
          for (let i = 0; i < a.length; i++) {
            if (typeof a[i] !== 'number' || typeof b[i] !== 'number' || typeof c[i] !== 'number') problems.push(`${p}[${i}]: a quantile is not a number`);
            else if (!((a[i] as number) <= (b[i] as number) && (b[i] as number) <= (c[i] as number))) problems.push(`${p}[${i}]: p10 ${String(a[i])}, p50 ${String(b[i])}, p90 ${String(c[i])} out of order`);
          }
        }
      } else {
        for (const k of ['p10', 'p50', 'p90', ...('mean' in o ? ['mean'] : [])]) {
          if (typeof o[k] !== 'number' || !Number.isFinite(o[k])) problems.push(`${p}.${k}: ${String(o[k])} is not a finite number`);
        }
        if (typeof p10 === 'number' && typeof p50 === 'number' && typeof p90 === 'number' && !(p10 <= p50 && p50 <= p90)) {
          problems.push(`${p}: p10 ${p10}, p50 ${p50}, p90 ${p90} out of order`);
        }
      }
    }
    for (const [k, x] of Object.entries(o)) walk(x, `${p}.${k}`);
  };
  walk(obj, path);
  return problems;
}

/** Probabilities and shares: every number under these paths lies in [0, 1]. */
function scanProbabilities(r: SimulationResult): string[] {
  const problems: string[] = [];
  const unit = (x: unknown, p: string) => {
    if (typeof x !== 'number' || !(x >= 0 && x <= 1)) problems.push(`${p}: ${String(x)} is not in [0, 1]`);
  };
  const unitQ = (q: Record<string, unknown> | null, p: string) => {
    if (q) for (const k of ['p10', 'p50', 'p90', 'mean']) unit(q[k], `${p}.${k}`);
  };
  r.options.forEach((o, i) => {
    const p = `$.options[${i}]`;
    unit(o.p_cheaper, `${p}.p_cheaper`);
    unit(o.feasible_share, `${p}.feasible_share`);
    unit(o.never_breaks_even_share, `${p}.never_breaks_even_share`);
    unitQ(o.overflow_share as unknown as Record<string, unknown>, `${p}.overflow_share`);
    for (const s of o.sensitivity) {
      for (const k of ['breakeven_rank_correlation', 'savings_rank_correlation'] as const) {
        if (!(Math.abs(s[k]) <= 1)) problems.push(`${p}.sensitivity[${s.input}].${k}: ${s[k]} is not in [-1, 1]`);
      }
    }
  });
  r.api.mix.forEach((m, i) => unit(m.share, `$.api.mix[${i}].share`));
  for (const [id, ps] of Object.entries(r.curves.p_cheaper)) ps.forEach((x, i) => unit(x, `$.curves.p_cheaper.${id}[${i}]`));
  return problems;
}

describe('scan helpers catch what they are for', () => {
  it('scanFinite reports the path of NaN, Infinity and a null in a required number', () => {
    expect(scanFinite({ a: [1, Number.NaN], b: { c: -Infinity }, options: [{ p_cheaper: null, payback_month: null }] })).toEqual([
      '$.a[1]: NaN',
      '$.b.c: -Infinity',
      '$.options[0].p_cheaper: null where a number is required',
    ]);
    // what JSON.stringify makes of a NaN inside a quantile object
    const q = JSON.parse(JSON.stringify({ options: [{ cost_per_month: { p10: Number.NaN, p50: 1, p90: 2 } }] })) as unknown;
    expect(scanFinite(q)).toEqual(['$.options[0].cost_per_month.p10: null where a number is required']);
  });

  it('scanQuantiles reports disorder and non-numbers', () => {
    expect(scanQuantiles({ x: { p10: 2, p50: 1, p90: 3, mean: 2 }, y: { p10: [1, 5], p50: [2, 4], p90: [3, 6] }, z: { p10: 1, p50: null, p90: 3 } })).toEqual([
      '$.x: p10 2, p50 1, p90 3 out of order',
      '$.y[1]: p10 5, p50 4, p90 6 out of order',
      '$.z.p50: null is not a finite number',
    ]);
  });
});

// ---------------------------------------------------------------- validate

describe('every bundled hardware, measurement and catalog file validates', () => {
  it.each([...HARDWARE, ...CATALOGS])('%s', async (file) => {
    const io = memoryIO({ cwd: ROOT });
    const code = await run(['validate', file], io);
    expect(io.stderr).toBe('');
    expect(code).toBe(0);
    expect(io.stdout).toBe(`ok  ${file} (${expectedKind(file)})\n`);
  });

  it('there is something to test', () => {
    expect(HARDWARE.length).toBeGreaterThanOrEqual(7);
    expect(CATALOGS).toEqual(['workloads/catalog/apis.yaml', 'workloads/catalog/models.yaml']);
    expect(WORKLOADS.length).toBeGreaterThanOrEqual(9);
  });

  it('every bundled workload validates with its references', async () => {
    const io = memoryIO({ cwd: ROOT });
    const code = await run(['validate', ...WORKLOADS], io);
    expect(io.stderr).toBe('');
    expect(code).toBe(0);
    expect(io.stdout).toBe(WORKLOADS.map((f) => `ok  ${f} (workload)\n`).join(''));
  });
});

// ---------------------------------------------------------------- simulate

/** deepFreeze, also into Map values (the catalog's), which Object.values does not reach. */
function freezeLoaded(l: LoadedWorkload): LoadedWorkload {
  const seen = new Set<unknown>();
  const walk = (v: unknown): void => {
    if (v === null || typeof v !== 'object' || seen.has(v)) return;
    seen.add(v);
    if (v instanceof Map) for (const x of v.values()) walk(x);
    else for (const x of Object.values(v)) walk(x);
  };
  walk(l);
  for (const v of seen) if (!(v instanceof Map)) deepFreeze(v);
  return l;
}

describe('every bundled workload, run once (seed 7)', () => {
  it.each(WORKLOADS)(
    '%s',
    async (file) => {
      const trials = trialsFor(file);
      // the shared run: `simulate <file> --trials <n> --seed 7 --workers 1 --json --out <tmp>`
      const io = await waitForBundledRun(RUNS, file);
      expect(io.stderr).toBe('');
      expect(io.code).toBe(0);
      const r = JSON.parse(io.stdout) as SimulationResult;
      // the JSON report it wrote is the JSON it printed
      expect(readFileSync(io.jsonPath, 'utf8') === io.stdout, `${file}: written JSON differs from stdout`).toBe(true);

      // identity of the run
      expect(r.schema_version).toMatch(/^\d+\.\d+\.\d+$/);
      expect(r.tool.name).toBeTruthy();
      expect(r.scenario.trials).toBe(trials);
      expect(r.scenario.seed).toBe(SEED);
      // shareable: relative to the working directory, never an absolute path
      expect(r.scenario.file).toBe(file);

      // warnings: none, or exactly the known ones
      const want = EXPECTED_WARNINGS[file] ?? [];
      expect(r.warnings, `warnings of ${file}: ${JSON.stringify(r.warnings)}`).toHaveLength(want.length);
      want.forEach((re, i) => expect(r.warnings[i]).toMatch(re));

      // the whole JSON: finite, no stray null, quantiles ordered, probabilities in [0, 1]
      expect(scanFinite(r)).toEqual([]);
      expect(scanQuantiles(r)).toEqual([]);
      expect(scanProbabilities(r)).toEqual([]);

      // one entry per option, in the workload's order, with the required fields
      const loaded = freezeLoaded(loadWorkload(resolve(ROOT, file)));
      expect(r.options.map((o) => o.id)).toEqual(loaded.options.map((o) => o.id));
      for (const o of r.options) {
        const where = `${file} ${o.id}`;
        expect(typeof o.p_cheaper, where).toBe('number');
        if (o.breakeven_tokens_per_month === null) {
          expect(o.never_breaks_even_share, `${where}: no break-even quantiles, so it never breaks even`).toBe(1);
        } else {
          expect(o.never_breaks_even_share, where).toBeLessThan(1);
          expect(o.breakeven_tokens_per_month.p10, where).toBeGreaterThan(0);
        }
        if (o.feasible) {
          // an option infeasible in every trial has zeros here (docs/report.md)
          expect(o.cost_per_million_tokens.p10, where).toBeGreaterThan(0);
          expect(o.cost_per_month.p10, where).toBeGreaterThan(0);
          expect(o.infeasible_reason, where).toBeNull();
          expect(o.perf, where).not.toBeNull();
        } else {
          expect(o.infeasible_reason, where).toEqual(expect.any(String));
        }
        // a workload that defers its batch share says, per feasible option, how much missed the window
        if (loaded.workload.self_hosted.batch_share === 'deferred' && o.feasible) {
          expect(o.deferred_missed_share, where).not.toBeNull();
          expect(o.deferred_missed_share!.p90, where).toBeLessThanOrEqual(1);
        } else if (loaded.workload.self_hosted.batch_share !== 'deferred') expect(o.deferred_missed_share, where).toBeNull();
        expect(r.curves.p_cheaper[o.id], where).toHaveLength(r.curves.grid.tokens_per_month.length);
        expect(r.breakeven_histograms[o.id], where).toBeDefined();
      }

      expect(r.deferred_batch_share === null, file).toBe(loaded.workload.self_hosted.batch_share !== 'deferred');

      // the API baseline
      if (loaded.apis.length === 1) expect(r.api.id).toBe(loaded.apis[0]!.api.id);
      expect(r.api.label).toEqual(expect.any(String));
      expect(r.api.cost_per_million_tokens.p10).toBeGreaterThan(0);
      expect(r.api.cost_per_month.p10).toBeGreaterThan(0);
      expect(r.api.mix.reduce((s, m) => s + m.share, 0)).toBeCloseTo(1, 9);
      expect(r.api.mix.map((m) => m.api).sort()).toEqual(loaded.apis.map((a) => a.api.id).sort());
      expect(r.volume_tokens_per_month.p50).toBeGreaterThan(0);

      // the same run again, on a deep-frozen workload through the library: byte-identical, no
      // TypeError from writing to the input, and the input unchanged
      const before = structuredClone(loaded);
      const again = await simulate(loaded, { trials, seed: SEED, workers: 1 });
      expect(scanFinite(again.result), 'before JSON.stringify hides NaN').toEqual([]);
      expect(resultJson(again.result) === io.stdout, `${file}: second run differs from the first`).toBe(true);
      expect(loaded).toEqual(before);
    },
    // the shared run may still be simulating when this starts
    WAIT_MS + 60_000,
  );
});

describe('warning percentages', () => {
  // BUG (src/sim/summarise.ts): the share of infeasible trials is Math.round()ed to whole
  // percent, so 1 infeasible trial in 300 is reported as "infeasible in 0 % of trials".
  it('a warning about some infeasible trials never says "0 %"', async () => {
    // research-copilot with a TTFT target that h200 tp 1's ~10.2 s chunked prefill of a ~40 K
    // prompt meets in some trials and not in others (the bundled 8 s target is never met)
    const dir = mkdtempSync(join(tmpdir(), 'examples-'));
    const file = join(dir, 'research-copilot-ttft.yaml');
    writeFileSync(file, readFileSync(resolve(ROOT, 'workloads/research-copilot.yaml'), 'utf8').replace(/ttft_ms: 8000/, 'ttft_ms: 10150'));
    const io = memoryIO({ cwd: ROOT });
    const code = await run(['simulate', file, '--trials', '300', '--seed', String(SEED), '--workers', '1', '--json', '--no-report'], io);
    expect(code).toBe(0);
    const r = JSON.parse(io.stdout) as SimulationResult;
    const partly = r.options.filter((o) => o.feasible && o.feasible_share < 1);
    expect(partly.length).toBeGreaterThan(0);
    for (const o of partly) {
      const w = r.warnings.find((x) => x.startsWith(`${o.id}: infeasible in `));
      expect(w, `${o.id} (feasible_share ${o.feasible_share}) has a warning`).toBeDefined();
      expect(w).not.toMatch(/infeasible in 0 % of trials/);
    }
  }, 30_000);
});
