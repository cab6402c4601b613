/**
 * The batch share served off-peak (src/cost/fleet/deferred.ts), worked by hand: deferred calls
 * wait in a first-in-first-out backlog for the capacity the interactive share leaves free,
 * within the batch window; what misses it goes to the API. And the rule every policy's C(s)
 * uses for its hours (`fleetHoursAt`) pinned to what its exact pass provisions.
 */
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import {
  DemandBins,
  exactFixed,
  exactResized,
  exactAutoscale,
  exactHybrid,
  exactExisting,
  hybridBase,
  fixedReplicas,
  fixedCostAt,
  periodLevels,
  deferredPass,
  fleetHoursAt,
  fleetHoursLazy,
  coldIndex,
  indexDemand,
  indexLag,
  deferredTrial,
  startDeferredTrial,
  deferredOption,
  type ScaledFleet,
  type ExactFleet,
  type HourlyView,
  type ReplicaTrial,
} from '../../src/cost/index.js';
import { HPM, ZR, view, onDemand, trial } from './fixtures.js';

const flat = (d: number, hours: number) => new Array<number>(hours).fill(d);
const scratch = (H: number) => ({ free: new Float64Array(H), arrive: new Float64Array(H), prov: new Float64Array(H) });

/** the deferred pass at s = 1 on what an exact pass provisioned */
function pass(v: HourlyView, t: ReplicaTrial, r: ExactFleet, src: number[], share: number, Kb: number, window: number, price = 0.02) {
  const sc = scratch(v.hours);
  const monthMiss = new Float64Array(v.months);
  const o = deferredPass(v, t, { fleet: r.fleet, servePerReplica: r.servePerReplica }, v.provPath, Float64Array.from(src), share, 1, Kb, window, new Float64Array(v.months).fill(price), monthMiss, sc, true);
  return { o, monthMiss, free: sc.free };
}

describe('deferred calls on a fixed fleet', () => {
  it('flat demand: 2 replicas of 100/h serving 100/h interactive leave 1 replica-hour = 50 deferred calls an hour; 40 arrive: all served', () => {
    const { v } = view(flat(100, HPM), 1);
    const t = trial(100, onDemand(), 1);
    const r = exactFixed(v, t, 2);
    const { o, free } = pass(v, t, r, flat(40, HPM), 1, 50, 24);
    expect(o).toEqual({ cohorts: HPM, missedCohorts: 0, arrived: 40 * HPM, missed: 0, missCost: 0, provHours: 2 * HPM });
    // what is left for batch jobs: 1 − 40/50 = 0.2 replica-hours an hour
    for (let h = 0; h < HPM; h++) expect(free[h]).toBeCloseTo(0.2, 12);
  });

  it('a backlog that misses its window: 60 arrive an hour, 50 fit; every hour is used, so 10 an hour go to the API', () => {
    // FIFO: the call arriving at hour k is done when 50·(t+1) ≥ 60·(k+1), i.e. t + 1 = 1.2·(k+1);
    // within the 24-hour window (t ≤ k + 23) while k ≤ 114: arrivals 115.. miss part of their
    // calls (the last ones at the end of the horizon included). Served 50·H, missed 60·H − 50·H.
    const H = HPM;
    const { v } = view(flat(100, H), 1);
    const t = trial(100, onDemand(), 1);
    const { o, monthMiss } = pass(v, t, exactFixed(v, t, 2), flat(60, H), 1, 50, 24);
    expect(o.arrived).toBe(60 * H);
    expect(o.missed).toBeCloseTo(10 * H, 6);
    expect(o.missCost).toBeCloseTo(10 * H * 0.02, 6);
    expect(monthMiss[0]).toBeCloseTo(10 * H * 0.02, 6);
    expect(o.missedCohorts).toBe(H - 115);
  });

  it('fills the night-time valleys: 12 busy hours, 12 idle; the day\'s 480 calls are served overnight within 24 h, not within 12', () => {
    // interactive 200/h by day (both replicas busy), 0 at night (200 calls/h free);
    // 40 deferred calls an hour around the clock: 960 a day against 2,400 of night capacity.
    // A 12-hour window: the call arriving at the first day hour meets only busy hours (due
    // before night), every later one reaches the night: 40 missed a day
    const H = 30 * 24; // whole days: the horizon ends with a night
    const day = [...new Array<number>(12).fill(200), ...new Array<number>(12).fill(0)];
    const path = Array.from({ length: H }, (_, h) => day[h % 24]!);
    const { v } = view(path, 1);
    const t = trial(100, onDemand(), 1);
    const r = exactFixed(v, t, 2);
    expect(pass(v, t, r, flat(40, H), 1, 100, 24).o.missed).toBe(0);
    const short = pass(v, t, r, flat(40, H), 1, 100, 12).o;
    expect(short.missed).toBeCloseTo(40 * 30, 6);
    expect(short.missedCohorts).toBe(30);
  });

  it('share scales the arrivals: the deferred calls are share × src per hour', () => {
    const { v } = view(flat(100, HPM), 1);
    const t = trial(100, onDemand(), 1);
    const a = pass(v, t, exactFixed(v, t, 2), flat(400, HPM), 0.1, 50, 24).o;
    expect(a.arrived).toBeCloseTo(40 * HPM, 6);
    expect(a.missed).toBe(0);
  });
});

/** a bumpy month: a day/night cycle with a few spikes, so every policy provisions by the hour */
function bumpy(): number[] {
  return Array.from({ length: 2 * HPM }, (_, h) => 150 + 120 * Math.sin((2 * Math.PI * h) / 24) + (h % 97 === 0 ? 300 : 0) + (h * 0.05));
}

describe('every policy: the hours C(s) uses at s = 1 are the exact pass\'s (exact pass == C(1) for the deferred part)', () => {
  const path = bumpy();
  const t = trial(100, onDemand(), 1.2);
  const cases: { name: string; run: (v: HourlyView, bins: DemandBins) => { r: ExactFleet; f: ScaledFleet } }[] = [
    {
      name: 'fixed',
      run: (v, bins) => {
        const Q = bins.quantileUpper(0.95);
        return { r: exactFixed(v, t, fixedReplicas(t, Q)), f: { policy: 'fixed', Q } };
      },
    },
    {
      name: 'resize',
      run: (v) => {
        const levels = new Float64Array(2);
        periodLevels(v, 0.9, 1, new Float64Array(HPM), levels);
        return { r: exactResized(v, t, levels, 1), f: { policy: 'resize', levels, periodMonths: 1 } };
      },
    },
    {
      name: 'autoscale (lag 3, steps of 2)',
      run: (v) => {
        const rule = { minReplicas: 1, maxReplicas: 50, lagHours: 3, step: 2, coldStartHours: 0.25, targetUtilisation: 0.8 };
        return { r: exactAutoscale(v, t, rule), f: { policy: 'autoscale', rule } };
      },
    },
    {
      name: 'hybrid (auto base)',
      run: (v, bins) => ({ r: exactHybrid(v, t, hybridBase(bins, v, t, 'auto', 1)), f: { policy: 'hybrid', bins, base: 'auto' } }),
    },
    {
      name: 'existing (ends after 1,000 hours)',
      run: (v) => {
        const fleet = { replicas: 3, untilHours: 1000, sunkPerReplicaHour: 0, overflow: 'api' as const };
        return { r: exactExisting(v, t, fleet), f: { policy: 'existing', fleet } };
      },
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const { v, bins } = view(path, 1.2);
      const { r, f } = c.run(v, bins);
      const prov = new Float64Array(v.hours);
      const fh = fleetHoursAt(f, v, t, 1, prov);
      expect(fh.servePerReplica).toBe(r.servePerReplica);
      if (Number.isNaN(r.fleet)) {
        expect(fh.fleet).toBeNaN();
        expect(Array.from(prov)).toEqual(Array.from(v.provPath.subarray(0, v.hours)));
      } else expect(fh.fleet).toBe(r.fleet);
      // and so the deferred pass gives the same outcome both ways
      const src = Float64Array.from(path);
      const price = new Float64Array(v.months).fill(0.02);
      const exact = deferredPass(v, t, { fleet: r.fleet, servePerReplica: r.servePerReplica }, v.provPath, src, 0.5, 1, 80, 24, price, null, scratch(v.hours), false);
      const scaled = deferredPass(v, t, fh, prov, src, 0.5, 1, 80, 24, price, null, scratch(v.hours), false);
      expect(scaled).toEqual(exact);
    });
  }
});

describe('properties', () => {
  it('deferring never needs more replicas for a fixed fleet (sized on (1 − b)·d instead of d)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 1000, noNaN: true }), { minLength: 24, maxLength: 200 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.constantFrom(0.5, 0.9, 0.99, 1),
        fc.constantFrom<number | null>(1, 1.3, null),
        (path, b, q, ptm) => {
          const t = trial(100, onDemand(), ptm);
          const all = new DemandBins(128);
          const inter = new DemandBins(128);
          const p = Float64Array.from(path);
          const ip = Float64Array.from(path, (d) => (1 - b) * d);
          all.fill(p, new Float64Array(p.length), p.length, Math.min(...path), Math.max(...path), ptm, ZR);
          inter.fill(ip, new Float64Array(p.length), p.length, (1 - b) * Math.min(...path), (1 - b) * Math.max(...path), ptm, ZR);
          expect(fixedReplicas(t, inter.quantileUpper(q))).toBeLessThanOrEqual(fixedReplicas(t, all.quantileUpper(q)));
        },
      ),
    );
  });

  it('a larger deferred share never costs more on a fixed fleet with ample valley capacity', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 300, noNaN: true }), { minLength: 24, maxLength: 24 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (day, b1, b2) => {
          const [lo, hi] = b1 <= b2 ? [b1, b2] : [b2, b1];
          const demand = Array.from({ length: HPM }, (_, h) => day[h % 24]!);
          const t = trial(100, onDemand(), 1);
          // C(1) of the option: the fixed fleet on the interactive share + what the deferred miss
          const cost = (b: number) => {
            const { v, bins } = view(demand.map((d) => (1 - b) * d), 1);
            const Q = bins.quantileUpper(1);
            const r = exactFixed(v, t, fixedReplicas(t, Q));
            // ample: at full batch a replica-hour serves far more than a day's deferred calls
            const o = pass(v, t, r, demand, b, 1e6, 24).o;
            expect(r.cost).toBe(fixedCostAt(t, v, Q, 1));
            return r.cost + o.missCost;
          };
          expect(cost(hi)).toBeLessThanOrEqual(cost(lo) + 1e-9);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('a longer window never misses more', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 300, noNaN: true }), { minLength: 24, maxLength: 24 }),
        fc.double({ min: 0, max: 200, noNaN: true }),
        fc.integer({ min: 1, max: 48 }),
        fc.integer({ min: 0, max: 48 }),
        (day, deferred, w, extra) => {
          const path = Array.from({ length: HPM }, (_, h) => day[h % 24]!);
          const { v } = view(path, 1);
          const t = trial(100, onDemand(), 1);
          const r = exactFixed(v, t, 2);
          const a = pass(v, t, r, flat(deferred, HPM), 1, 100, w).o;
          const b = pass(v, t, r, flat(deferred, HPM), 1, 100, w + extra).o;
          expect(b.missed).toBeLessThanOrEqual(a.missed + 1e-6);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('C(s)\'s pass that skips cold blocks and spans (and computes an autoscaled fleet\'s replicas only where it looks) gives the hour-by-hour pass\'s outcome, the same doubles', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 400, noNaN: true }), { minLength: 1, maxLength: 600 }),
        fc.array(fc.nat({ max: 599 }), { maxLength: 8 }),
        fc.double({ min: 0.05, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 0.5, noNaN: true }),
        fc.double({ min: 0.2, max: 3, noNaN: true }),
        fc.constantFrom(20, 80, 300),
        fc.integer({ min: 1, max: 48 }),
        fc.constantFrom<number | null>(1, 1.4, null),
        fc.integer({ min: 0, max: 4 }),
        fc.option(fc.double({ min: 0, max: 50, noNaN: true })),
        fc.constantFrom(1, 1000),
        fc.double({ min: 0, max: 0.3, noNaN: true }),
        (base, spikes, inter, share, s, Kb, window, ptm, kind, limit, mag, wobble) => {
          // hundreds of replicas (mag 1000) put hours near the bounds; wobble: hour-to-hour change
          const src = Float64Array.from(base, (d, h) => mag * (200 + d * (h % 2 === 0 ? wobble : -wobble)));
          for (const h of spikes) if (h < src.length) src[h] = src[h]! * 4 + 500; // hours that do not fit
          const H = src.length;
          const { v, bins } = view(Array.from(src, (d) => inter * d), ptm);
          const t = trial(100, onDemand(), ptm);
          const rule = { minReplicas: kind === 3 ? 0 : 1, maxReplicas: kind === 3 ? 4 : 50, lagHours: kind, step: kind === 2 ? 2 : 1, coldStartHours: 0, targetUtilisation: 0.7 };
          const policies: ScaledFleet[] = [
            { policy: 'fixed', Q: bins.quantileUpper(0.9) },
            { policy: 'autoscale', rule },
            { policy: 'hybrid', bins, base: 'auto' },
          ];
          const idx = coldIndex(H);
          indexDemand(src, H, idx);
          const price = new Float64Array(v.months).fill(0.02);
          const cold = s * (share / Kb + inter / t.Kraw);
          const lim = limit ?? Infinity;
          for (const f of policies) {
            indexLag(f, v, t, src, share / Kb + inter / t.Kraw, idx);
            const prov = new Float64Array(H);
            const fh = fleetHoursAt(f, v, t, s, prov);
            const plain = deferredPass(v, t, fh, prov, src, share, s, Kb, window, price, null, scratch(H), false, lim, cold);
            const lazyProv = new Float64Array(H);
            const lz = fleetHoursLazy(f, v, t, s, lazyProv, idx);
            expect(lz.blocks).not.toBeNull();
            const fast = deferredPass(v, t, lz.fh, lazyProv, src, share, s, Kb, window, price, null, scratch(H), false, lim, cold, lz.blocks);
            expect(fast).toEqual(plain);
            if (f.policy === 'autoscale') for (let h = 0; h < H; h++) expect(lz.fh.provAt!(h)).toBe(prov[h]);
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('deferredOption (what a trial adds for its deferred share): C(s) with no limit is the fleet\'s C(s) plus the plain pass\'s misses, to the double; with a limit it lands on the same side of it; its exact pass is the plain one at s = 1, shared when the fleet and work match', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 400, noNaN: true }), { minLength: 1, maxLength: 400 }),
        fc.array(fc.nat({ max: 399 }), { maxLength: 6 }),
        fc.double({ min: 0.05, max: 1, noNaN: true }),
        fc.constantFrom(0, 0.1, 0.3, 0.5),
        fc.array(fc.double({ min: 0.2, max: 3, noNaN: true }), { minLength: 1, maxLength: 4 }),
        fc.constantFrom(0.5, 20, 80, 300),
        fc.integer({ min: 1, max: 48 }),
        fc.integer({ min: 0, max: 2 }),
        fc.integer({ min: 0, max: 12 }).map((k) => k / 10),
        (base, spikes, inter, share, scales, Kb, window, kind, limitShare) => {
          const src = Float64Array.from(base, (d) => 200 + d);
          for (const h of spikes) if (h < src.length) src[h] = src[h]! * 4 + 500;
          const H = src.length;
          const { v, bins } = view(Array.from(src, (d) => inter * d), 1.2);
          const t = trial(100, onDemand(), 1.2);
          const rule = { minReplicas: 1, maxReplicas: 50, lagHours: kind, step: 1, coldStartHours: 0, targetUtilisation: 0.7 };
          const price = 0.02;
          v.apiMonthPrice.fill(price);
          let pathMax = 0;
          let all = 0;
          for (let h = 0; h < H; h++) {
            pathMax = Math.max(pathMax, src[h]!);
            all += src[h]! * price;
          }
          const policy = [
            () => {
              const Q = bins.quantileUpper(0.9);
              return { r: exactFixed(v, t, fixedReplicas(t, Q)), f: { policy: 'fixed', Q } as ScaledFleet, at: (s: number) => 600 * s + 3 }; // C(s) is opaque to the deferred part
            },
            () => ({ r: exactAutoscale(v, t, rule), f: { policy: 'autoscale', rule } as ScaledFleet, at: (s: number) => 1000 * s }),
            () => ({ r: exactHybrid(v, t, hybridBase(bins, v, t, 'auto', 1)), f: { policy: 'hybrid', bins, base: 'auto' } as ScaledFleet, at: (s: number) => 700 * s + 5 }),
          ][kind]!();
          const provPath = Float64Array.from(v.provPath);
          const d = deferredTrial(H, v.months);
          startDeferredTrial(d, src, H);
          const fleet = { view: v, t, exact: policy.r, provPath, costAt: policy.at, scaled: policy.f };
          const opt = deferredOption(d, fleet, src, pathMax, inter, share, Kb, window, all, true);
          // the exact pass: the plain pass at s = 1 on what the exact fleet provisioned
          const plainExact = deferredPass(v, t, { fleet: policy.r.fleet, servePerReplica: policy.r.servePerReplica }, provPath, src, share, 1, Kb, window, v.apiMonthPrice, null, scratch(H), false);
          expect(opt.outcome.missCost).toBe(plainExact.missCost);
          expect(opt.outcome.missed).toBe(plainExact.missed);
          // a second option with the same fleet of the same size every hour, and the same work, shares it
          const again = deferredOption(d, fleet, src, pathMax, inter, share, Kb, window, all, true).outcome;
          if (Number.isNaN(policy.r.fleet)) expect(again).toEqual(opt.outcome);
          else expect(again).toBe(opt.outcome);
          expect(deferredOption(d, fleet, src, pathMax, inter, share, Kb, window, all, false).outcome).not.toBe(opt.outcome);
          for (const s of scales) {
            const prov = new Float64Array(H);
            const fh = fleetHoursAt(policy.f, v, t, s, prov);
            const full = policy.at(s) + deferredPass(v, t, fh, prov, src, share, s, Kb, window, v.apiMonthPrice, null, scratch(H), false).missCost;
            expect(opt.costAt(s, Infinity)).toBe(full);
            // around the fleet's cost plus every deferred call missed: where the bounds decide
            const limit = policy.at(s) + s * share * all * limitShare;
            expect(opt.costAt(s, limit) < limit).toBe(full < limit);
          }
        },
      ),
      { numRuns: 150 },
    );
  });

  it('an autoscaled fleet\'s blocks sure to fit at any scale do fit: each hour\'s src[h]·s·coldUnit ≤ its replicas (or its block is over maxReplicas)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 1, max: 1e5, noNaN: true }), { minLength: 8, maxLength: 200 }),
        fc.integer({ min: 0, max: 4 }),
        fc.constantFrom<number | null>(1, 1.4, null),
        fc.double({ min: 0.98, max: 1.02, noNaN: true }),
        fc.double({ min: 1e-3, max: 1e3, noNaN: true }),
        fc.constantFrom(3, 1e9),
        (base, lag, ptm, c, s, maxReplicas) => {
          const src = Float64Array.from(base);
          const H = src.length;
          const { v } = view(base, ptm);
          const t = trial(100, onDemand(), ptm);
          const rule = { minReplicas: 0, maxReplicas, lagHours: lag, step: 1, coldStartHours: 0, targetUtilisation: 0.7 };
          const f: ScaledFleet = { policy: 'autoscale', rule };
          // coldUnit at the edge of the bound: the tightest hour's ratio c
          const per = (ptm ?? 1) / (t.K * rule.targetUtilisation);
          let unit = Infinity;
          for (let h = 0; h < H; h++) unit = Math.min(unit, (src[h < lag ? 0 : h - lag]! * per) / src[h]!);
          unit *= c;
          const idx = coldIndex(H);
          indexDemand(src, H, idx);
          indexLag(f, v, t, src, unit, idx);
          const prov = new Float64Array(H);
          fleetHoursAt(f, v, t, s, prov);
          const cold = s * unit;
          const margin = 1 - 1e-9;
          for (let h = 0; h < H; h++) {
            const b = h >>> 3;
            if (idx.sureBlock[b] !== 1 || !(idx.srcMax[b]! * cold <= maxReplicas * margin)) continue;
            expect(src[h]! * cold).toBeLessThanOrEqual(prov[h]! * margin);
          }
          if (c < 1 - 1e-5) expect(idx.sureBlock[0]).toBe(1);
        },
      ),
      { numRuns: 300 },
    );
  });
});
