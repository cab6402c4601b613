/**
 * The fleet you already have (src/cost/fleet/existing.ts), worked by hand: only power, ops and
 * what the sunk fleet cannot serve are paid; pinned to a hybrid of the same replicas when the
 * sunk hour costs what renting does.
 */
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { exactExisting, existingCostAt, exactHybrid, type ExistingFleet } from '../../src/cost/index.js';
import { HPM, view, onDemand, trial, rel } from './fixtures.js';


const monthly = (...d: number[]) => d.flatMap((x) => new Array<number>(HPM).fill(x));
const fleet = (replicas: number, o: Partial<ExistingFleet> = {}): ExistingFleet => ({ replicas, untilHours: Infinity, sunkPerReplicaHour: 0, overflow: 'api', ...o });

describe('existing fleet', () => {
  it('a sunk reservation that serves everything costs only operations; owned pays its power', () => {
    // 100 req/h flat for 2 months, 2 replicas of 100 req/h (peak_to_mean 1): no overflow
    // reserved: $0 + $1,000 ops; owned at $0.5/replica-hour: 2 × 1,460 h × $0.5 = $1,460 + ops
    const { v } = view(monthly(100, 100), 1);
    const t = trial(100, onDemand(), 1, 1000);
    const r = exactExisting(v, t, fleet(2));
    expect(r.cost).toBe(1000);
    expect(r.violations).toBe(0);
    expect(r.overflow).toBe(0);
    expect(r.utilisation).toBe(0.5);
    expect(exactExisting(v, t, fleet(2, { sunkPerReplicaHour: 0.5 })).cost).toBe(2460);
    expect(Array.from(v.monthCost)).toEqual([730 + 500, 730 + 500]);
  });

  it('overflow to the API pays for what the fleet cannot serve; to rented GPUs pays the extra replicas', () => {
    // 300 req/h, 2 replicas serve 200: 100 req/h × 1,460 h = 146,000 calls × $0.01 = $1,460
    // rented: ⌈300/100⌉ − 2 = 1 replica × 1,460 h × $2 = $2,920; 3 GPUs at the peak
    const { v } = view(monthly(300, 300), 1);
    const t = trial(100, onDemand(), 1, 0);
    const api = exactExisting(v, t, fleet(2));
    expect(api.cost).toBeCloseTo(1460, 9);
    expect(api.overflow).toBe(146000);
    const rented = exactExisting(v, t, fleet(2, { overflow: 'rented' }));
    expect(rented.cost).toBe(2920);
    expect(rented.peak).toBe(3);
    expect(rented.meanReplicas).toBe(3);
  });

  it('after until_month everything overflows', () => {
    // the fleet lasts month 0: 100 × 730 × $0.01 = $730 overflow, then all 300 × 730 × $0.01 = $2,190
    const { v } = view(monthly(300, 300), 1);
    const r = exactExisting(v, trial(100, onDemand(), 1, 0), fleet(2, { untilHours: HPM }));
    expect(r.cost).toBeCloseTo(2920, 9);
    expect(v.monthCost[0]).toBeCloseTo(730, 9);
    expect(v.monthCost[1]).toBeCloseTo(2190, 9);
  });

  it('C(s) at s = 1 is the exact pass; at s = 2 the overflow grows to 400 req/h', () => {
    const { v, bins } = view(monthly(300, 300), 1);
    const t = trial(100, onDemand(), 1, 0);
    const c = existingCostAt(v, t, fleet(2), bins, null);
    expect(c(1)).toBe(exactExisting(v, t, fleet(2)).cost);
    // 600 − 200 = 400 req/h × 1,460 h × $0.01 = $5,840
    expect(c(2)).toBeCloseTo(5840, 9);
  });

  it('C(s) on binned demand equals the exact pass where the bins hold the demand exactly (a fleet that ends after month 0)', () => {
    // months at 100 and 300 req/h, the fleet (2 replicas) lasts month 0; bins before and after the end
    // api: month 0 serves all; month 1 sends 300 × 730 × $0.01 = $2,190
    // rented: month 0 none; month 1 ⌈300/100⌉ = 3 replicas × 730 h × $2 = $4,380 (3 replicas at the peak)
    const path = monthly(100, 300);
    const { v } = view(path, 1);
    const t = trial(100, onDemand(), 1, 0);
    const before = view(path.slice(0, HPM), 1).bins;
    const after = view(path.slice(HPM), 1).bins;
    for (const [overflow, want] of [['api', 2190], ['rented', 4380]] as const) {
      const f = fleet(2, { untilHours: HPM, overflow });
      const exact = exactExisting(v, t, f).cost;
      expect(exact).toBeCloseTo(want, 9);
      expect(existingCostAt(v, t, f, before, after)(1)).toBeCloseTo(want, 9);
    }
    expect(exactExisting(v, t, fleet(2, { untilHours: HPM, overflow: 'rented' })).peak).toBe(3);
  });

  it('pinned to a hybrid: a "sunk" hour priced at the rent is a rented base of the same replicas', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0, max: 5000, noNaN: true }), { minLength: 20, maxLength: 200 }), fc.integer({ min: 1, max: 6 }), (path, B) => {
        const { v } = view(path, null);
        const t = trial(800, onDemand(2), null, 300);
        const hybrid = exactHybrid(v, t, B).cost;
        expect(rel(exactExisting(v, t, fleet(B, { sunkPerReplicaHour: 2 })).cost, hybrid)).toBeLessThan(1e-9);
      }),
      { numRuns: 60 },
    );
  });

  it('property: sunk capacity never costs more than renting it, and C(s) never falls as s grows', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 5000, noNaN: true }), { minLength: 20, maxLength: 200 }),
        fc.integer({ min: 1, max: 6 }),
        fc.double({ min: 0, max: 2, noNaN: true }),
        fc.constantFrom<'api' | 'rented'>('api', 'rented'),
        fc.double({ min: 0.1, max: 5, noNaN: true }),
        (path, B, power, overflow, s) => {
          const { v, bins } = view(path, null);
          const t = trial(800, onDemand(2), null, 300);
          const sunk = exactExisting(v, t, fleet(B, { sunkPerReplicaHour: power, overflow })).cost;
          expect(sunk).toBeLessThanOrEqual(exactHybrid(v, t, B).cost * (1 + 1e-12) + (overflow === 'rented' ? Infinity : 0));
          if (overflow === 'rented') {
            // renting the same B replicas too: B × hours × $2 more, never less
            expect(sunk).toBeLessThanOrEqual(exactExisting(v, t, fleet(B, { sunkPerReplicaHour: 2, overflow })).cost * (1 + 1e-12));
          }
          const c = existingCostAt(v, t, fleet(B, { sunkPerReplicaHour: power, overflow }), bins, null);
          expect(c(s * 1.5)).toBeGreaterThanOrEqual(c(s));
        },
      ),
      { numRuns: 60 },
    );
  });
});
