/**
 * The ranking rule, by hand: which candidates meet the SLO (from `p_meets_slo` when the result
 * has it, else from violation hours), their order, GPU counts, and the Pareto frontiers.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { gpusOf, paretoFront, rankCandidates, sloVerdict, MEETS_SLO_SHARE, type Rankable } from '../../src/plan/index.js';
import { deepFreeze } from '../helpers.js';

const q = (p50: number, p90 = p50, p10 = p50, mean = p50) => ({ p10, p50, p90, mean });
const cand = (id: string, over: Partial<Rankable>): Rankable => ({
  id,
  tp: 1,
  feasible: true,
  feasible_share: 1,
  cost_per_month: q(1000),
  violation_hours: q(0),
  replicas: q(1),
  ...over,
});
// one year: 12 × 730 = 8,760 hours; target 0.99 allows (1 − 0.99) × 8,760 = 87.6 hours over capacity
const CTX = { attainmentTarget: 0.99, hours: 8760 };

describe('meets the SLO, without the attainment fields (violation hours)', () => {
  it('p90 violation hours at most (1 − target) × hours meets it; above does not', () => {
    expect(sloVerdict(cand('a', { violation_hours: q(10, 87.6) }), CTX).meets).toBe(true);
    const v = sloVerdict(cand('b', { violation_hours: q(10, 88) }), CTX);
    expect(v.meets).toBe(false);
    expect(v.reason).toBe('p90 of 88 hours over capacity exceeds the 87.6 hours the attainment target allows');
  });
  it('an option that runs in under 90 % of trials does not', () => {
    expect(sloVerdict(cand('c', { feasible_share: 0.85 }), CTX)).toEqual({ meets: false, share: null, reason: 'can run in only 85 % of trials' });
  });
});

describe('meets the SLO, with the attainment fields (p_meets_slo)', () => {
  it(`p_meets_slo ≥ ${MEETS_SLO_SHARE} meets it, whatever the violation hours say`, () => {
    expect(sloVerdict(cand('a', { p_meets_slo: 0.9, violation_hours: q(500, 900) }), CTX).meets).toBe(true);
    const v = sloVerdict(cand('b', { p_meets_slo: 0.5 }), CTX);
    expect(v).toEqual({ meets: false, share: 0.5, reason: 'meets the 99 % SLO attainment target in only 50 % of trials' });
  });
});

describe('ranking by hand', () => {
  // E $900 meets (p_meets_slo 0.95); A $1,000 meets; C $1,200 meets; F $700 fails (p_meets_slo 0.5);
  // B $800 fails (p90 200 h > 87.6 h); D cannot run. Meeting ones first by median cost: E, A, C;
  // then the rest by median cost: F ($700), B ($800); the infeasible one last: D.
  const items = deepFreeze([
    cand('a', { cost_per_month: q(1000, 1500) }),
    cand('b', { cost_per_month: q(800, 900), violation_hours: q(100, 200) }),
    cand('c', { cost_per_month: q(1200, 1300) }),
    cand('d', { feasible: false, feasible_share: 0, cost_per_month: q(0) }),
    cand('e', { cost_per_month: q(900, 2000), p_meets_slo: 0.95 }),
    cand('f', { cost_per_month: q(700, 800), p_meets_slo: 0.5 }),
  ]);
  it('orders eligible by median cost, then the rest, infeasible last', () => {
    const r = rankCandidates(items, CTX);
    expect(r.map((x) => x.item.id)).toEqual(['e', 'a', 'c', 'f', 'b', 'd']);
    expect(r.map((x) => x.rank)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(r.map((x) => x.eligible)).toEqual([true, true, true, false, false, false]);
  });
  it('ties on the median go to the lower p90, then the id', () => {
    const r = rankCandidates([cand('z', { cost_per_month: q(1000, 1100) }), cand('y', { cost_per_month: q(1000, 1200) }), cand('x', { cost_per_month: q(1000, 1100) })], CTX);
    expect(r.map((x) => x.item.id)).toEqual(['x', 'z', 'y']);
  });
  it('--max-gpus: a fleet needing more GPUs at p90 cannot be chosen', () => {
    // a: 3 replicas at p90 × tp 2 = 6 GPUs > 4; c: 1 × 1 = 1
    const r = rankCandidates([cand('a', { tp: 2, replicas: q(2, 3), cost_per_month: q(500) }), cand('c', {})], CTX, 4);
    expect(r.map((x) => [x.item.id, x.eligible, x.why_not])).toEqual([
      ['c', true, null],
      ['a', false, 'needs 6 GPUs at p90, over --max-gpus 4'],
    ]);
  });
});

describe('GPUs', () => {
  it('replicas × tp without the field; the result field when present', () => {
    // replicas p10 1, p50 2, p90 3, mean 2.5 at tp 4 → 4, 8, 12, 10 GPUs
    expect(gpusOf(cand('a', { tp: 4, replicas: { p10: 1, p50: 2, p90: 3, mean: 2.5 } }))).toEqual({ p10: 4, p50: 8, p90: 12, mean: 10 });
    expect(gpusOf(cand('a', { tp: 4, gpus: q(5, 7) }))).toEqual(q(5, 7));
    expect(gpusOf(cand('a', { feasible: false }))).toBeNull();
  });
});

describe('Pareto frontier', () => {
  it('by hand', () => {
    // (x, y): a(1, 5) b(2, 3) c(3, 4) d(4, 1) e(2, 3): c is beaten by b on both; e ties b (first kept)
    const pts = [
      { id: 'a', x: 1, y: 5 },
      { id: 'b', x: 2, y: 3 },
      { id: 'c', x: 3, y: 4 },
      { id: 'd', x: 4, y: 1 },
      { id: 'e', x: 2, y: 3 },
    ];
    expect(paretoFront(pts, (p) => p.x, (p) => p.y).map((p) => p.id)).toEqual(['a', 'b', 'd']);
  });
  it('property: nothing on the frontier is dominated; everything off it is weakly dominated by a frontier point', () => {
    const pt = fc.record({ x: fc.integer({ min: 0, max: 20 }), y: fc.integer({ min: 0, max: 20 }) });
    fc.assert(
      fc.property(fc.array(pt, { minLength: 1, maxLength: 30 }), (pts) => {
        const f = paretoFront(pts, (p) => p.x, (p) => p.y);
        for (const a of f) for (const b of pts) if (b.x <= a.x && b.y <= a.y && (b.x < a.x || b.y < a.y)) return false;
        for (const b of pts) if (!f.includes(b) && !f.some((a) => a.x <= b.x && a.y <= b.y)) return false;
        return true;
      }),
      { seed: 14, numRuns: 200 },
    );
  });
  it('property: ranking puts every eligible candidate first and in non-decreasing median cost', () => {
    const c = fc.record({ cost: fc.integer({ min: 0, max: 100 }), viol: fc.integer({ min: 0, max: 200 }), feasible: fc.boolean() });
    fc.assert(
      fc.property(fc.array(c, { minLength: 1, maxLength: 20 }), (cs) => {
        const r = rankCandidates(
          cs.map((x, i) => cand(`c${i}`, { feasible: x.feasible, cost_per_month: q(x.cost), violation_hours: q(x.viol) })),
          CTX,
        );
        const firstBad = r.findIndex((x) => !x.eligible);
        if (firstBad >= 0 && r.slice(firstBad).some((x) => x.eligible)) return false;
        const el = r.filter((x) => x.eligible);
        return el.every((x, i) => i === 0 || el[i - 1]!.item.cost_per_month.p50 <= x.item.cost_per_month.p50);
      }),
      { seed: 14, numRuns: 200 },
    );
  });
});

describe('tp dominance by hand', () => {
  it('a larger tp is kept only if it serves more requests/s per GPU than every smaller kept one', async () => {
    const { undominatedTps } = await import('../../src/plan/index.js');
    // tp 1: 2.0/GPU kept; tp 2: 1.9 ≤ 2.0 dropped (by tp 1); tp 4: 2.5 > 2.0 kept; tp 8: 2.5 ≤ 2.5 dropped (by tp 4)
    const r = undominatedTps([
      { tp: 1, perGpu: 2.0 },
      { tp: 2, perGpu: 1.9 },
      { tp: 4, perGpu: 2.5 },
      { tp: 8, perGpu: 2.5 },
    ]);
    expect(r.kept.map((k) => k.tp)).toEqual([1, 4]);
    expect(r.dropped.map((d) => [d.tp, d.by.tp])).toEqual([
      [2, 1],
      [8, 4],
    ]);
  });
});
