import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import {
  BUNDLED_ROOT,
  ConfigError,
  defaultWorkloadPath,
  formatProblems,
  loadCatalog,
  loadFile,
  loadWorkload,
  loadWorkloadData,
  optionId,
} from '../../src/config/index.js';
import { UserError } from '../../src/cli/io.js';
import { suggestSimilar, editDistance } from '../../src/config/suggest.js';

const ROOT = 'test/config/fixtures/root';
const OK = join(ROOT, 'workloads/ok.yaml');
const okData = (): Record<string, unknown> => parse(readFileSync(OK, 'utf8')) as Record<string, unknown>;

function deepFreeze<T>(o: T): T {
  if (o && typeof o === 'object') {
    for (const v of Object.values(o)) deepFreeze(v);
    Object.freeze(o);
  }
  return o;
}

/** The ConfigError thrown by f (fails the test when f does not throw one). */
function configError(f: () => unknown): ConfigError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    expect(e).toBeInstanceOf(UserError);
    return e as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

let tmp = '';
function tmpFile(name: string, text: string): string {
  if (!tmp) tmp = mkdtempSync(join(tmpdir(), 'breakeven-config-'));
  const f = join(tmp, name);
  writeFileSync(f, text);
  return f;
}

describe('loadWorkload', () => {
  it('resolves a valid workload: model, API mix, options with ids and labels', () => {
    const w = loadWorkload(OK, { root: ROOT });
    expect(w.file).toBe(resolve(OK));
    expect(w.model.id).toBe('llama-3.1-70b');
    expect(w.apis.map((a) => [a.api.id, a.share])).toEqual([
      ['gpt-4o-mini', 0.7],
      ['together-llama-3.1-70b', 0.3],
    ]);
    expect(w.options.map((o) => [o.id, o.label, o.gpu.id])).toEqual([
      ['h100-sxm-fp8-fixed-tp2', 'Llama-3.1-70B FP8 on 2×H100 SXM, fixed fleet', 'h100-sxm'],
      ['h100-sxm-fp8-autoscale-spot', 'Llama-3.1-70B FP8 on H100 SXM, autoscaling, spot', 'h100-sxm'],
      ['l4-owned', 'Llama-3.1-70B INT4 on L4, hybrid with API overflow, owned', 'l4'],
    ]);
    // expressions evaluated, defaults applied
    expect(w.workload.traffic.output_tokens.dist).toEqual({ type: 'point', value: 360 });
    expect(w.workload.horizon_months).toBe(12);
    expect(w.catalog.hardware.size).toBe(2);
  });

  it('does not mutate its (frozen) input', () => {
    const data = deepFreeze(okData());
    const before = JSON.stringify(data);
    const w = loadWorkloadData(data, { root: ROOT, cwd: join(ROOT, 'workloads') });
    expect(w.file).toBeNull();
    expect(JSON.stringify(data)).toBe(before);
  });

  it('reports every problem at once, each with file, path and rule', () => {
    const data = okData();
    const traffic = data['traffic'] as Record<string, unknown>;
    data['traffic'] = { ...traffic, requests_pr_day: 5, input_tokens: true };
    data['model'] = 'llama-3.1-7b';
    const e = configError(() => loadWorkloadData(data, { root: ROOT, name: 'workloads/x.yaml' }));
    expect(e.problems).toEqual([
      { file: 'workloads/x.yaml', path: 'traffic.input_tokens', message: 'must be a number, an expression ("5000 * 1.2"), an interval ("2 to 5") or a distribution {type: ...} (got true)' },
      { file: 'workloads/x.yaml', path: 'traffic.requests_pr_day', message: 'unknown key', suggestion: 'did you mean "requests_per_day"?' },
    ]);
    expect(e.message).toBe(`2 problems:\n${formatProblems(e.problems)}`);
    expect(formatProblems(e.problems.slice(1))).toBe('workloads/x.yaml: traffic.requests_pr_day: unknown key (did you mean "requests_per_day"?)');
  });

  it('self_hosted.batch_share takes interactive or deferred, with the close match for a typo', () => {
    const data = okData();
    data['self_hosted'] = { ...(data['self_hosted'] as Record<string, unknown>), batch_share: 'defered' };
    expect(formatProblems(configError(() => loadWorkloadData(data, { root: ROOT, name: 'w.yaml' })).problems)).toBe(
      'w.yaml: self_hosted.batch_share: must be one of interactive, deferred (got "defered") (did you mean "deferred"?)',
    );
    // the share itself is api_pricing.batch_share (a distribution in [0, 1], checked there)
    data['self_hosted'] = { ...(data['self_hosted'] as Record<string, unknown>), batch_share: 0.3 };
    expect(formatProblems(configError(() => loadWorkloadData(data, { root: ROOT, name: 'w.yaml' })).problems)).toBe('w.yaml: self_hosted.batch_share: must be one of interactive, deferred (got 0.3)');
    data['self_hosted'] = { ...(data['self_hosted'] as Record<string, unknown>), batch_share: 'deferred' };
    data['api_pricing'] = { batch_share: 1.2 };
    expect(formatProblems(configError(() => loadWorkloadData(data, { root: ROOT, name: 'w.yaml' })).problems)).toMatch(/^w\.yaml: api_pricing\.batch_share: /);
  });

  it('reports unknown ids with close matches, or the known ids', () => {
    const data = okData();
    data['model'] = 'llama-3.1-7b';
    data['self_hosted'] = { options: [{ gpu: 'h100', weights: 'fp8', fleet: { policy: 'fixed' } }, { gpu: 'zzz', weights: 'fp8', fleet: { policy: 'fixed' } }] };
    const e = configError(() => loadWorkloadData(data, { root: ROOT, name: 'w.yaml' }));
    expect(formatProblems(e.problems)).toBe(
      [
        'w.yaml: model: unknown model "llama-3.1-7b" (did you mean "llama-3.1-70b" or "llama-3.1-8b"?)',
        'w.yaml: self_hosted.options[0].gpu: unknown GPU "h100" (did you mean "h100-sxm"?)',
        'w.yaml: self_hosted.options[1].gpu: unknown GPU "zzz" (known: h100-sxm, l4)',
      ].join('\n'),
    );
  });

  it('checks API mix shares, pricing needs and option ids', () => {
    const data = okData();
    data['api'] = [{ api: 'gpt-4o-mini', share: 0.5 }, { api: 'together-llama-3.1-70b', share: 0.4 }];
    data['self_hosted'] = {
      options: [
        { gpu: 'l4', weights: 'int4', pricing: 'spot', fleet: { policy: 'fixed' } },
        { gpu: 'h100-sxm', weights: 'fp8', pricing: 'owned', fleet: { policy: 'fixed' } },
        { gpu: 'h100-sxm', weights: 'fp8', pricing: 'owned', fleet: { policy: 'fixed' } },
      ],
    };
    const e = configError(() => loadWorkloadData(data, { root: ROOT, name: 'w.yaml' }));
    expect(e.problems.map((p) => `${p.path}: ${p.message}`)).toEqual([
      'api: API mix shares must sum to 1 (got 0.9)',
      'self_hosted.options[0].pricing: pricing "spot" needs price_per_gpu_hour.spot in the hardware profile of "l4"',
      'self_hosted.options[1].pricing: pricing "owned" needs capex_per_gpu_usd in the hardware profile of "h100-sxm"',
      'self_hosted.options[1].pricing: pricing "owned" needs power_w in the hardware profile of "h100-sxm"',
      'self_hosted.options[1].pricing: pricing "owned" needs self_hosted.power (usd_per_kwh, pue) in the workload',
      'self_hosted.options[2]: duplicate option id "h100-sxm-fp8-fixed-owned" (same as self_hosted.options[1]); give one of them an explicit id',
      'self_hosted.options[2].pricing: pricing "owned" needs capex_per_gpu_usd in the hardware profile of "h100-sxm"',
      'self_hosted.options[2].pricing: pricing "owned" needs power_w in the hardware profile of "h100-sxm"',
      'self_hosted.options[2].pricing: pricing "owned" needs self_hosted.power (usd_per_kwh, pue) in the workload',
    ]);
  });

  it('accepts shares that sum to 1 within 1e-9', () => {
    const data = okData();
    data['api'] = [{ api: 'gpt-4o-mini', share: '1/3' }, { api: 'together-llama-3.1-70b', share: '2/3' }];
    expect(loadWorkloadData(data, { root: ROOT }).apis.length).toBe(2);
  });

  it('resolves extra catalogs relative to the workload file; extras override bundled ids', () => {
    const dir = mkdtempSync(join(tmpdir(), 'breakeven-cat-'));
    try {
      const hw = readFileSync(join(ROOT, 'hardware/l4.yaml'), 'utf8').replace('name: L4', 'name: L4 (my prices)');
      mkdirSync(join(dir, 'cat'));
      writeFileSync(join(dir, 'cat/l4.yaml'), hw);
      const w = okData();
      w['catalogs'] = { hardware: ['cat/l4.yaml'] };
      writeFileSync(join(dir, 'w.json'), JSON.stringify(w));
      const loaded = loadWorkload(join(dir, 'w.json'), { root: ROOT });
      expect(loaded.catalog.hardware.get('l4')?.profile.name).toBe('L4 (my prices)');
      expect(loaded.options[2]?.label).toContain('on L4 (my prices)');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('names the file kind expected', () => {
    const e = configError(() => loadWorkload(join(ROOT, 'hardware/l4.yaml'), { root: ROOT }));
    expect(e.problems[0]?.message).toBe('expected a workload file, got a hardware profile (kind: hardware)');
  });
});

describe('loadFile', () => {
  it('detects kinds, including measurements without a kind', () => {
    expect(loadFile(join(ROOT, 'hardware/l4.yaml')).kind).toBe('hardware');
    expect(loadFile(join(ROOT, 'hardware/h100-sxm-measured.json')).kind).toBe('measurements');
    expect(loadFile(join(ROOT, 'workloads/catalog/models.yaml')).kind).toBe('models');
  });

  it('gives clear messages for missing, empty and directory paths, and YAML syntax errors with line and column', () => {
    expect(configError(() => loadFile('no/such/file.yaml')).message).toBe('no/such/file.yaml: file not found');
    expect(configError(() => loadFile(ROOT)).message).toBe(`${ROOT}: is a directory, not a file`);
    const empty = tmpFile('empty.yaml', '');
    expect(configError(() => loadFile(empty)).problems[0]?.message).toBe('the file is empty');
    const bad = tmpFile('bad.yaml', 'kind: workload\nname: [a, b\n');
    expect(configError(() => loadFile(bad)).problems[0]?.message).toMatch(/^YAML syntax error at line 3, column 1: /);
  });

  it('rejects non-finite numbers once, in plain words', () => {
    const y = tmpFile('inf.yaml', 'kind: workload\nname: x\ndescription: d\nmodel: m\napi: a\ntraffic: { requests_per_day: .nan, input_tokens: 1, output_tokens: 1 }\nself_hosted: { options: [{ gpu: g, weights: fp8, fleet: { policy: fixed } }] }\nsimulation: { trials: -.inf }\n');
    const e = configError(() => loadFile(y));
    // each non-finite number once; the unknown ids come in the same pass (issue #16)
    expect(e.problems.map((p) => `${p.path}: ${p.message}`)).toEqual([
      'traffic.requests_per_day: must be a finite number (got NaN)',
      'simulation.trials: must be a finite number (got -Infinity)',
      'model: unknown model "m"',
      'api: unknown API "a"',
      'self_hosted.options[0].gpu: unknown GPU "g"',
    ]);
  });
});

describe('loadCatalog and locations', () => {
  it('loads the fixture catalogs and reports duplicates across files', () => {
    const c = loadCatalog({ root: ROOT });
    expect([...c.hardware.keys()].sort()).toEqual(['h100-sxm', 'l4']);
    expect([...c.models.keys()].sort()).toEqual(['llama-3.1-70b', 'llama-3.1-8b']);
    expect([...c.apis.keys()].sort()).toEqual(['gpt-4o-mini', 'together-llama-3.1-70b']);
  });

  it('finds the package root from src/ and names the default workload', () => {
    expect(JSON.parse(readFileSync(join(BUNDLED_ROOT, 'package.json'), 'utf8')).name).toBe('gpu-breakeven');
    expect(defaultWorkloadPath()).toBe(join(BUNDLED_ROOT, 'workloads', 'default.yaml'));
  });

  it('generates option ids in the documented order', () => {
    expect(optionId({ gpu: 'a100', weights: 'int8', kv_cache: 'bf16', pricing: 'reserved', tp: 4, fleet: { policy: 'hybrid', base_replicas: 'auto' } })).toBe('a100-int8-hybrid-reserved-tp4');
  });
});

describe('suggestions', () => {
  it('uses Damerau-Levenshtein distance (a swap costs 1)', () => {
    expect(editDistance('fixed', 'fxied')).toBe(1);
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(suggestSimilar('requets_per_day', ['requests_per_day', 'input_tokens'])).toEqual(['requests_per_day']);
    expect(suggestSimilar('zzz', ['requests_per_day'])).toEqual([]);
  });
});

describe('option labels', () => {
  it('two existing fleets read differently: GPUs, what is sunk and until when', async () => {
    const { optionLabel } = await import('../../src/config/index.js');
    const { loadCatalog } = await import('../../src/config/index.js');
    const cat = loadCatalog();
    const gpu = cat.hardware.get('h100-sxm')!.profile;
    const model = cat.models.get('llama-3.1-70b')!.model;
    const base = { gpu: 'h100-sxm', weights: 'fp8', kv_cache: 'fp8', tp: 2, pricing: 'on_demand' } as const;
    const owned = optionLabel({ ...base, fleet: { policy: 'existing', gpus: 8, sunk: 'owned', overflow: 'api' } } as never, model, gpu);
    const reserved = optionLabel({ ...base, fleet: { policy: 'existing', gpus: 8, sunk: 'reserved', until_month: 6, overflow: 'api' } } as never, model, gpu);
    expect(owned).toBe('Llama 3.1 70B Instruct FP8 on 2×NVIDIA H100 SXM 80GB, the fleet you have (8 GPUs, owned)');
    expect(reserved).toBe('Llama 3.1 70B Instruct FP8 on 2×NVIDIA H100 SXM 80GB, the fleet you have (8 GPUs, reserved, until month 6)');
  });
});
