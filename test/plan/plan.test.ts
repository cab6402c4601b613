/**
 * `plan` end to end through its public face (cheap: few trials, filters where the test is
 * about something else):
 * - every bundled workload: the written options' results equal `simulate`'s (same trials),
 *   and the chosen best is never more expensive (median) than a written option meeting the SLO;
 * - accounting: simulated + pruned = enumerated; reasons for skipped formats;
 * - the generated fleets are the schema's defaults;
 * - byte-identical JSON for any number of workers;
 * - a model that fits no GPU: "no configuration fits" with the nearest miss.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import YAML from 'yaml';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadWorkload, loadWorkloadData } from '../../src/config/index.js';
import { simulate } from '../../src/sim/index.js';
import { defaultFleet, planWorkload, POLICIES, sloVerdict } from '../../src/plan/index.js';
import { planJson } from '../../src/report/index.js';

const WORKLOADS = readdirSync('workloads')
  .filter((f) => f.endsWith('.yaml'))
  .sort();
const TRIALS = 4;

describe('every bundled workload', () => {
  for (const f of WORKLOADS) {
    it(`${f}: written options as in simulate; best never dearer than a written option meeting the SLO`, async () => {
      const loaded = loadWorkload(join('workloads', f));
      const [plan, sim] = await Promise.all([planWorkload(loaded, {}, { trials: TRIALS, workers: 1 }), simulate(loaded, { trials: TRIALS, workers: 1 })]);
      const s = plan.search;
      expect(s.simulated + s.pruned).toBe(s.enumerated);
      const ctx = { attainmentTarget: plan.slo.attainment_target, hours: plan.scenario.horizon_months * 730 };
      const best = plan.candidates.find((c) => c.id === plan.best);
      for (const o of sim.result.options) {
        const c = plan.candidates.find((x) => x.id === o.id);
        if (!o.feasible) {
          // cannot run: pruned when the compiled plan already says so, else ranked as infeasible (it cannot run in any trial)
          if (c === undefined) expect(plan.pruned.some((p) => p.reason.startsWith(`${o.id}: `)), `${o.id} is pruned`).toBe(true);
          else expect([c.feasible, c.eligible]).toEqual([false, false]);
          continue;
        }
        expect(c, `${o.id} is a candidate`).toBeDefined();
        expect(c!.written).toBe(true);
        // same trials, same draws: the option's numbers are simulate's, exactly
        expect(c!.cost_per_month).toEqual(o.cost_per_month);
        expect(c!.p_cheaper).toBe(o.p_cheaper);
        if (sloVerdict(o, ctx).meets) {
          expect(best, `${o.id} meets the SLO, so there is a best`).toBeDefined();
          expect(best!.cost_per_month.p50).toBeLessThanOrEqual(o.cost_per_month.p50);
        }
      }
    });
  }
});

describe('the workload\'s own options', () => {
  it('one that cannot run is pruned, and the next ones still draw exactly as in simulate', async () => {
    // 70B in bf16 (141 GB) cannot fit one L4 (24 GB) at tp 1; its price input comes first in simulate
    const raw = rawDefault();
    const sh = raw['self_hosted'] as Record<string, unknown>;
    const loaded = loadWorkloadData({
      ...raw,
      self_hosted: {
        ...sh,
        options: [
          { id: 'l4-no-fit', gpu: 'l4', weights: 'bf16', tp: 1, fleet: { policy: 'fixed' } },
          { id: 'h100-fp8', gpu: 'h100-sxm', weights: 'fp8', kv_cache: 'fp8', fleet: { policy: 'fixed' } },
        ],
      },
    });
    const filters = { gpus: ['h100-sxm', 'l4'], weights: ['fp8', 'bf16'], policies: ['fixed'], pricing: ['on_demand'] };
    const [plan, sim] = await Promise.all([planWorkload(loaded, filters, { trials: 4, workers: 1 }), simulate(loaded, { trials: 4, workers: 1 })]);
    expect(plan.candidates.find((c) => c.id === 'l4-no-fit')).toBeUndefined();
    expect(plan.pruned.find((p) => p.reason.startsWith('l4-no-fit: '))).toMatchObject({ stage: 'after-compile', candidates: 1 });
    expect(plan.candidates.find((c) => c.id === 'h100-fp8')!.cost_per_month).toEqual(sim.result.options[1]!.cost_per_month);
    expect(plan.search.simulated + plan.search.pruned).toBe(plan.search.enumerated);
  });
});

describe('the search space', () => {
  it('generated fleets are exactly what the loader fills in for {policy: <p>}', () => {
    for (const p of POLICIES) {
      const raw = rawDefault();
      const sh = raw['self_hosted'] as Record<string, unknown>;
      const loaded = loadWorkloadData({ ...raw, self_hosted: { ...sh, options: [{ gpu: 'h100-sxm', weights: 'fp8', fleet: { policy: p } }] } });
      expect(loaded.options[0]!.option.fleet).toEqual(defaultFleet(p));
    }
  });

  it('says why a format is skipped (no FP8 on Ampere) and counts what it stands for', async () => {
    const loaded = loadWorkload('workloads/default.yaml');
    const r = await planWorkload(loaded, { gpus: ['a100-80gb'], policies: ['fixed'], pricing: ['on_demand'] }, { trials: 4, workers: 1 });
    const fp8 = r.pruned.find((p) => p.weights === 'fp8' && p.stage === 'unsupported');
    // fp8 weights on the A100 stand for 2 KV formats × 4 tps (1, 2, 4, 8) × 1 policy × 1 pricing = 8 candidates
    expect(fp8).toMatchObject({ gpu: 'a100-80gb', candidates: 8, reason: 'a100-80gb has no FP8 tensor cores (no fp8 peak in its profile): FP8 weights would run emulated, so it is not offered' });
    expect(r.candidates.every((c) => c.gpu === 'a100-80gb' || c.written)).toBe(true);
    // two paths, one number: the volume sweep at 1× (same trials, same draws) gives the main run's GPU counts
    expect(r.volumes.series.length).toBeGreaterThan(0);
    for (const s of r.volumes.series) {
      expect(s.points.find((p) => p.scale === 1)!.gpus).toEqual(r.candidates.find((c) => c.id === s.id)!.gpus);
    }
    expect(r.search.simulated + r.search.pruned).toBe(r.search.enumerated);
  });
});

describe('determinism', () => {
  it('byte-identical JSON for 1 and 2 workers', async () => {
    // 1,100 trials: more than one chunk (1,000), so 2 workers really split the run
    const loaded = loadWorkloadData({ ...rawDefault(), horizon_months: 1 });
    const filters = { gpus: ['h100-sxm', 'l40s'], weights: ['fp8'], policies: ['fixed'], pricing: ['on_demand'] };
    const a = await planWorkload(loaded, filters, { trials: 1100, workers: 1 });
    const b = await planWorkload(loaded, filters, { trials: 1100, workers: 2 });
    expect(a.candidates.length).toBeGreaterThan(2);
    expect(planJson(b)).toBe(planJson(a));
  }, 60_000);
});

describe('a model that fits no GPU', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'plan-nofit-'));
    writeFileSync(
      join(dir, 'models.yaml'),
      `kind: models
models:
  - id: giant-4t
    name: Giant 4T
    params_b: 4000
    embedding_params_b: 10
    layers: 200
    hidden: 40960
    heads: 320
    kv_heads: 16
    head_dim: 128
    max_context: 32768
    source: a made-up model for this test
`,
    );
    writeFileSync(
      join(dir, 'w.yaml'),
      `kind: workload
name: Giant
description: nothing fits
catalogs: { models: [models.yaml] }
model: giant-4t
api: gpt-4o
traffic: { requests_per_day: 1000, input_tokens: 500, output_tokens: 200 }
self_hosted:
  options:
    - { gpu: h100-sxm, weights: int4, fleet: { policy: fixed } }
`,
    );
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('answers "no configuration fits" with the nearest miss', async () => {
    const r = await planWorkload(loadWorkload(join(dir, 'w.yaml')), {}, { trials: 4, workers: 1 });
    expect(r.candidates).toEqual([]);
    expect(r.best).toBeNull();
    // int4 weights of 4,000 B parameters are about 2 TB: the 8×MI300X node (1.5 TB) is the closest
    expect(r.nearest_miss).toMatchObject({ gpu: 'mi300x', weights: 'int4', tp: 8, stage: 'does-not-fit' });
    // int4 ≈ 0.53 B/param × 4,000 B ≈ 2,140 GB against 8 × 192 GB × (1 − reserve) − workspace ≈ 1,373 GB usable: 1.56×
    expect(r.answer).toMatch(/^No configuration fits: the nearest miss is 8×AMD Instinct MI300X 192GB with int4 weights \(needs 1\.56× the memory there\): /);
    // the API baseline is still simulated: the context is real numbers, not a silent 0
    expect(r.api.cost_per_month.p50).toBeGreaterThan(0);
    expect(r.volume_tokens_per_month.p50).toBeGreaterThan(0);
    expect(r.volumes.series).toEqual([]);
  });
});

/** The default workload's raw data (as written), to vary a field and load it as data. */
function rawDefault(): Record<string, unknown> {
  return YAML.parse(readFileSync('workloads/default.yaml', 'utf8')) as Record<string, unknown>;
}
