/**
 * `plan` with extra API baselines (workload compare_apis): the JSON lists them, every
 * candidate carries `vs_apis` (the written options' equal to simulate's, same trials), and the
 * answer adds one sentence per baseline for the best candidate.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import YAML from 'yaml';
import { loadWorkloadData } from '../../src/config/index.js';
import { simulate } from '../../src/sim/index.js';
import { planWorkload } from '../../src/plan/index.js';

describe('plan with compare_apis', () => {
  it('lists the baselines, carries vs_apis per candidate, and says the best against each', async () => {
    const raw = YAML.parse(readFileSync('workloads/default.yaml', 'utf8')) as Record<string, unknown>;
    const primary = raw['api'];
    const extra = primary === 'gpt-4o-mini' ? 'gpt-4o' : 'gpt-4o-mini';
    raw['compare_apis'] = [extra];
    const loaded = loadWorkloadData(raw, { name: 'default.yaml' });
    const filters = { gpus: ['h100-sxm'], policies: ['fixed'], pricing: ['on_demand'] };
    const [plan, sim] = await Promise.all([planWorkload(loaded, filters, { trials: 4, workers: 1 }), simulate(loaded, { trials: 4, workers: 1 })]);
    expect(plan.compare_apis.map((a) => a.id)).toEqual([extra]);
    expect(plan.compare_apis[0]!.cost_per_month).toEqual(sim.result.compare_apis[0]!.cost_per_month);
    for (const c of plan.candidates) expect(Object.keys(c.vs_apis)).toEqual([extra]);
    for (const o of sim.result.options) {
      const c = plan.candidates.find((x) => x.id === o.id);
      if (c && o.feasible) expect(c.vs_apis).toEqual(o.vs_apis);
    }
    const best = plan.candidates.find((c) => c.id === plan.best);
    expect(best, 'the default workload has a best H100 fleet').toBeDefined();
    const v = best!.vs_apis[extra]!;
    expect(plan.answer).toContain(`Against ${plan.compare_apis[0]!.label}: cheaper while meeting the SLO in `);
    expect(plan.answer.endsWith(' (median).')).toBe(true);
    expect(v.savings_per_month.p50).toBeTypeOf('number');
  }, 60_000);
});
