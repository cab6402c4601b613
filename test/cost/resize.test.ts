/**
 * Fixed fleets that follow growth (src/cost/fleet/resize.ts), worked by hand: each period
 * runs the replicas its own demand quantile needs; the exact pass and C(s) share one cost rule.
 */
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import {
  periodLevels,
  resizePeriods,
  resizedCost,
  exactResized,
  exactFixed,
  fixedReplicas,
  ownedReplicaHour,
  type FleetPrice,
  type HourlyView,
} from '../../src/cost/index.js';
import { HPM, view, onDemand, trial, rel } from './fixtures.js';


const levelsOf = (v: HourlyView, q: number, pm: number) => {
  const out = new Float64Array(resizePeriods(v.months, pm));
  periodLevels(v, q, pm, new Float64Array(pm * HPM), out);
  return out;
};
const monthly = (...d: number[]) => d.flatMap((x) => new Array<number>(HPM).fill(x));
const sumOf = (a: Float64Array) => a.reduce((x, y) => x + y, 0);

describe('fixed fleet with resize', () => {
  it('monthly: each month pays its own fleet; a horizon-sized fleet pays the peak all year (hand-worked)', () => {
    // months at 100, 300 req/h; peak_to_mean 1, K = 100 req/h: 1 then 3 replicas
    // monthly: (1 + 3) × 730 h × $2 = $5,840; + $1,000 ops = $6,840
    // one size (the p99 of both months, 300): 3 × 1,460 h × $2 = $8,760; + ops = $9,760
    const { v, bins } = view(monthly(100, 300), 1);
    const t = trial(100, onDemand(), 1, 1000);
    const lv = levelsOf(v, 0.99, 1);
    expect(Array.from(lv)).toEqual([100, 300]);
    const r = exactResized(v, t, lv, 1);
    expect(r.cost).toBe(6840);
    expect(r.peak).toBe(3);
    expect(r.meanReplicas).toBe(2);
    expect(r.violations).toBe(0);
    expect(sumOf(v.monthCost)).toBe(6840);
    expect(Array.from(v.monthCost)).toEqual([1 * 730 * 2 + 500, 3 * 730 * 2 + 500]);
    expect(v.provPath[0]).toBe(1);
    expect(v.provPath[730]).toBe(3);
    const f = exactFixed(v, t, fixedReplicas(t, bins.quantileUpper(0.99)));
    expect(f.cost).toBe(9760);
    // quarterly over two months is one period: the same as one size
    expect(exactResized(v, t, levelsOf(v, 0.99, 3), 3).cost).toBe(9760);
  });

  it('C(s) at scale 2 doubles each period’s level: (2 + 6) × 730 × $2 = $11,680', () => {
    const { v } = view(monthly(100, 300), 1);
    const t = trial(100, onDemand());
    const lv = levelsOf(v, 0.99, 1);
    expect(resizedCost(t, v, lv, 1, 2)).toBe(11680);
    expect(resizedCost(t, v, lv, 1, 1)).toBe(exactResized(v, t, lv, 1).cost);
  });

  it('the level is the period’s order statistic: 5 busy hours of 730 are under 1 %, 10 are not', () => {
    // p99 of 730 hours: rank ⌈0.99 × 730⌉ = 723; 5 hours at 500 sit at ranks 726-730 → level 100,
    // 1 replica, 5 violation hours; 10 hours at 500 reach rank 721 → level 500, 5 replicas
    const five = monthly(100);
    for (let h = 0; h < 5; h++) five[h * 100] = 500;
    const a = view(five, 1).v;
    const ra = exactResized(a, trial(100, onDemand()), levelsOf(a, 0.99, 1), 1);
    expect(ra.peak).toBe(1);
    expect(ra.violations).toBe(5);
    const ten = monthly(100);
    for (let h = 0; h < 10; h++) ten[h * 50] = 500;
    const b = view(ten, 1).v;
    const rb = exactResized(b, trial(100, onDemand()), levelsOf(b, 0.99, 1), 1);
    expect(rb.peak).toBe(5);
    expect(rb.violations).toBe(0);
  });

  it('follows the GPU price decline per month; reserved commits to the peak; owned buys the peak and powers what runs', () => {
    // factors 1, 0.5: (1 × 730 × 1 + 3 × 730 × 0.5) × $2 = $3,650
    const { v } = view(monthly(100, 300), 1, [1, 0.5]);
    const lv = levelsOf(v, 0.99, 1);
    expect(exactResized(v, trial(100, onDemand()), lv, 1).cost).toBe(3650);
    // reserved $1.5: peak 3 × 1,460 h × $1.5 = $6,570 (no saving from resizing)
    const reserved: FleetPrice = { pricing: 'reserved', perReplicaHour: 1.5, powerPerReplicaHour: 0, capexPerReplica: 0, commitMult: 1 };
    expect(exactResized(v, trial(100, reserved), lv, 1).cost).toBe(6570);
    // owned: capex $100,000, no residual, 36 months: 100,000 / 26,280 $/h depreciation of the peak 3
    // over 1,460 h, + $1/h power over (1 + 3) × 730 replica-hours
    const perHour = ownedReplicaHour(100000, 0, 36 * HPM, 1);
    const owned: FleetPrice = { pricing: 'owned', perReplicaHour: perHour, powerPerReplicaHour: 1, capexPerReplica: 100000, commitMult: 1 };
    const want = 3 * (100000 / 26280) * 1460 + 4 * 730;
    expect(rel(exactResized(v, trial(100, owned), lv, 1).cost, want)).toBeLessThan(1e-12);
  });

  it('the last period may be short: 4 months quarterly = one 3-month period and one 1-month period', () => {
    // 100, 100, 200, 400: quarter 1 level 200 → 2 replicas × 2,190 h; month 4 level 400 → 4 × 730
    // ($1/h): 4,380 + 2,920 = $7,300
    const { v } = view(monthly(100, 100, 200, 400), 1);
    const r = exactResized(v, trial(100, onDemand(1)), levelsOf(v, 0.99, 3), 3);
    expect(r.cost).toBe(7300);
    expect(sumOf(v.monthCost)).toBe(7300);
  });

  it('property: the exact pass costs C(1); C(s) never falls as s grows; a monthly fleet never has more replica-hours than its peak all the time', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 5000, noNaN: true }), { minLength: 3, maxLength: 3 }),
        fc.double({ min: 0.5, max: 1, noNaN: true }),
        fc.constantFrom(1, 3),
        fc.double({ min: 0.01, max: 10, noNaN: true }),
        (levels, q, pm, s) => {
          const path = levels.flatMap((d, m) => new Array<number>(HPM).fill(0).map((_, h) => d * (0.5 + ((h * 7919 + m) % 97) / 97)));
          const { v } = view(path, null);
          const t = trial(800, onDemand(), null);
          const lv = levelsOf(v, q, pm);
          const r = exactResized(v, t, lv, pm);
          expect(rel(r.cost, resizedCost(t, v, lv, pm, 1))).toBeLessThan(1e-12);
          expect(resizedCost(t, v, lv, pm, s * 1.5)).toBeGreaterThanOrEqual(resizedCost(t, v, lv, pm, s));
          expect(r.meanReplicas).toBeLessThanOrEqual(r.peak);
        },
      ),
      { numRuns: 60 },
    );
  });
});
