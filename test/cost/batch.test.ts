/**
 * Deadline-driven batch work (src/cost/fleet/batch.ts), worked by hand: runs served from a
 * backlog in the capacity the interactive traffic leaves free; missed runs go to the API.
 */
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { exactFixed, batchRuns, serveBatch, type BatchWork } from '../../src/cost/index.js';
import { HPM, view, onDemand, trial } from './fixtures.js';


const flat = (d: number, months: number) => new Array<number>(HPM * months).fill(d);
const work = (o: Partial<BatchWork>): BatchWork => ({ items: 600, every: 24, start: 0, deadline: 12, Kb: 50, ...o });

describe('batch jobs on a fixed fleet', () => {
  it('a flat backlog: 2 replicas of 100/h serving 100/h leave 1 replica-hour = 50 items an hour free', () => {
    // 600 items take 12 hours: a 12-hour deadline is met; 10 hours leave 100 items × $0.02 = $2 per run
    // runs in 1,460 hours whose deadline fits: ⌊(1,460 − 12) / 24⌋ + 1 = 61; with 10 h: ⌊1,450 / 24⌋ + 1 = 61
    const { v } = view(flat(100, 2), 1);
    const t = trial(100, onDemand(), 1);
    const r = exactFixed(v, t, 2);
    const price = new Float64Array([0.02, 0.02]);
    const miss = new Float64Array(2);
    expect(batchRuns(work({}), v.hours)).toBe(61);
    expect(serveBatch(v, t, r, work({}), price, miss)).toEqual({ runs: 61, missedRuns: 0, missedItems: 0, missCost: 0 });
    const short = serveBatch(v, t, r, work({ deadline: 10 }), price, miss);
    expect(short.runs).toBe(61);
    expect(short.missedRuns).toBe(61);
    expect(short.missedItems).toBeCloseTo(6100, 6);
    expect(short.missCost).toBeCloseTo(122, 9);
    expect(miss[0]! + miss[1]!).toBeCloseTo(122, 9);
  });

  it('a deadline shorter than the work takes on the whole fleet misses every run: an answer, not an error', () => {
    // even idle, 2 replicas serve 100 items an hour: 1,000 items need 10 hours > a 4-hour deadline
    const { v } = view(flat(0, 1), 1);
    const t = trial(100, onDemand(), 1);
    const o = serveBatch(v, t, exactFixed(v, t, 2), work({ items: 1000, deadline: 4 }), new Float64Array([0.02]), new Float64Array(1));
    expect(o.missedRuns).toBe(o.runs);
    expect(o.missedItems).toBeCloseTo(o.runs * 600, 6);
  });

  it('fills the night-time valleys: a day/night fleet serves the batch overnight', () => {
    // 12 hours at 200/h (both replicas busy), 12 at 0: 100 items/h free at night only; a run at hour 12
    // of 1,000 items, deadline 12, finishes in 10 night hours
    const day = [...new Array<number>(12).fill(200), ...new Array<number>(12).fill(0)];
    const path = Array.from({ length: HPM }, (_, h) => day[h % 24]!);
    const { v } = view(path, 1);
    const t = trial(100, onDemand(), 1);
    const r = exactFixed(v, t, 2);
    const price = new Float64Array([0.02]);
    expect(serveBatch(v, t, r, work({ items: 1000, start: 12 }), price, new Float64Array(1)).missedRuns).toBe(0);
    // the same run at hour 0 meets only busy hours
    expect(serveBatch(v, t, r, work({ items: 1000, start: 0 }), price, new Float64Array(1)).missedItems).toBeGreaterThan(0);
  });

  it('property: a later deadline never costs more', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 300, noNaN: true }), { minLength: 24, maxLength: 24 }),
        fc.double({ min: 0, max: 3000, noNaN: true }),
        fc.integer({ min: 1, max: 60 }),
        fc.integer({ min: 0, max: 60 }),
        fc.constantFrom(24, 168),
        (day, items, d1, extra, every) => {
          const path = Array.from({ length: HPM * 2 }, (_, h) => day[h % 24]!);
          const { v } = view(path, 1);
          const t = trial(100, onDemand(), 1);
          const r = exactFixed(v, t, 3);
          const price = new Float64Array([0.02, 0.02]);
          const a = serveBatch(v, t, r, work({ items, every, deadline: d1 }), price, new Float64Array(2));
          const b = serveBatch(v, t, r, work({ items, every, deadline: d1 + extra }), price, new Float64Array(2));
          // per run scheduled: the later deadline schedules no more runs, and misses no larger a share of items
          expect(b.missedItems / Math.max(1, b.runs)).toBeLessThanOrEqual(a.missedItems / Math.max(1, a.runs) + 1e-6);
        },
      ),
      { numRuns: 80 },
    );
  });
});
