/**
 * The fleet passes' WebAssembly loops (src/cost/fleet/hours.wat, kernel.ts) against their
 * JavaScript loops, through the policies' public faces: the same exact pass run once on a
 * view whose arrays live in a FleetKernel's memory (the loops run in WebAssembly) and once on
 * plain arrays (the loops run in JavaScript) must give the same numbers to the bit.
 */
import { readFileSync } from 'node:fs';
import { describe as group, expect, it } from 'vitest';
import fc from 'fast-check';
import { HOURS_WASM_BASE64 } from '../../src/cost/fleet/hours-wasm.js';
import { HOURS_WASM_SOURCE, assembleHoursWasm, hoursWasmSource } from '../../src/cost/fleet/write-hours-wasm.js';
import { DemandBins, FleetKernel, fleetKernelBytes, exactAutoscale, exactHybrid, exactFixed, hourOfWeekUse, needOf, type HourlyView, type ReplicaTrial, type AutoscaleRule } from '../../src/cost/index.js';
import { DemandKernel, hourOfWeekFactors } from '../../src/traffic/index.js';
import { HPM, ZR, onDemand } from './fixtures.js';

/** The same hourly demand twice: in a FleetKernel's memory, and in plain arrays. */
function twins(path: number[], ptm: number | null, hpm = HPM): { wasm: { v: HourlyView; bins: DemandBins }; js: { v: HourlyView; bins: DemandBins } } {
  const H = path.length;
  const months = Math.ceil(H / hpm);
  // as the trial runner lays them out: the demand kernel's path and need, the fleet kernel beside them
  const demand = new DemandKernel(H, hourOfWeekFactors('flat', 'flat'), fleetKernelBytes(H, months));
  const kernel = new FleetKernel(demand.memory, demand.extraAt, H, months);
  let min = Infinity;
  let max = -Infinity;
  for (const d of path) {
    min = Math.min(min, d);
    max = Math.max(max, d);
  }
  const make = (p: Float64Array, need: Float64Array, provPath: Float64Array, k: FleetKernel | null) => {
    p.set(path);
    for (let h = 0; h < H; h++) need[h] = needOf(path[h]!, ptm, ZR);
    const bins = new DemandBins(128, k);
    bins.bin(p, H, min, max, ptm, ZR);
    const v: HourlyView = {
      path: p,
      need,
      hours: H,
      months,
      hoursPerMonth: hpm,
      gpuFactor: new Float64Array(months).fill(0.9),
      gpuFactorMean: 0.9,
      apiMonthPrice: Float64Array.from({ length: months }, (_, m) => 0.01 * (1 - 0.02 * m)),
      apiPerCallEff: 0.0095,
      monthCost: new Float64Array(months),
      monthOverflow: new Float64Array(months),
      provPath,
      ring: new Float64Array(32),
      kernel: k,
    };
    return { v, bins };
  };
  return {
    wasm: make(demand.path, demand.need, kernel.prov, kernel),
    js: make(new Float64Array(H), new Float64Array(H), new Float64Array(H), null),
  };
}

/** Hourly demand: smooth, spiky, flat stretches and zeros, so every branch of every loop is taken. */
const paths = fc
  .record({
    hours: fc.oneof(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 700, max: 2300 })),
    base: fc.double({ min: 0, max: 5000, noNaN: true }),
    seed: fc.integer(),
    zeros: fc.boolean(),
    flat: fc.boolean(),
  })
  .map(({ hours, base, seed, zeros, flat }) => {
    let s = seed >>> 0;
    const rnd = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
    return Array.from({ length: hours }, (_, h) => {
      if (zeros && rnd() < 0.1) return 0;
      if (flat && h % 50 < 20) return base;
      return base * (0.3 + 1.4 * rnd()) * (1 + 0.5 * Math.sin(h / 4));
    });
  });
const ptms = fc.oneof(fc.constant(null), fc.double({ min: 1, max: 3, noNaN: true }));
const capacity = fc.double({ min: 50, max: 4000, noNaN: true });

/** Bit for bit: every number of both results and both views' output arrays. */
function expectSame(a: unknown, b: unknown, va: HourlyView, vb: HourlyView, arrays: ('monthCost' | 'monthOverflow' | 'provPath')[]): void {
  expect(a).toEqual(b);
  for (const k of arrays) expect(Array.from(va[k].subarray(0, k === 'provPath' ? va.hours : va.months))).toEqual(Array.from(vb[k].subarray(0, k === 'provPath' ? vb.hours : vb.months)));
}

group("the fleet passes' WebAssembly module", () => {
  it('is exactly hours.wat assembled (regenerate with `npm run tables`)', async () => {
    const bytes = await assembleHoursWasm();
    expect(Buffer.from(HOURS_WASM_BASE64, 'base64').equals(Buffer.from(bytes))).toBe(true);
    expect(readFileSync(HOURS_WASM_SOURCE, 'utf8')).toBe(hoursWasmSource(bytes));
  });

  it('a kernel refuses room that does not fit its arrays, naming the sizes', () => {
    const memory = { buffer: new ArrayBuffer(65536) };
    expect(() => new FleetKernel(memory, 0, 8000, 11)).toThrow(/FleetKernel: \d+ bytes at 0 do not fit in 65536/);
    expect(() => new FleetKernel(memory, 4, 10, 1)).toThrow(/FleetKernel/);
  });

  it('histogram: the same bins, sums, total and largest hour as the JavaScript loop', () => {
    fc.assert(
      fc.property(paths, ptms, (path, ptm) => {
        const { wasm, js } = twins(path, ptm);
        for (const k of ['count', 'sum', 'rep', 'sufCount', 'sufSum', 'nzCount', 'nzNeedLin', 'nzNeedRoot', 'nzPrefix'] as const) expect(Array.from(wasm.bins[k])).toEqual(Array.from(js.bins[k]));
        expect([wasm.bins.pathTotal, wasm.bins.pathMax, wasm.bins.nz, wasm.bins.nzRising]).toEqual([js.bins.pathTotal, js.bins.pathMax, js.bins.nz, js.bins.nzRising]);
      }),
      { numRuns: 60 },
    );
  });

  it('autoscale: the same provisioned hours, cold starts, peak, served demand, violations and month cash', () => {
    fc.assert(
      fc.property(
        paths,
        ptms,
        capacity,
        fc.record({ minReplicas: fc.integer({ min: 0, max: 3 }), maxReplicas: fc.oneof(fc.constant(1e6), fc.integer({ min: 3, max: 12 })), lagHours: fc.integer({ min: 0, max: 31 }), step: fc.integer({ min: 1, max: 4 }), coldStartHours: fc.double({ min: 0, max: 0.5, noNaN: true }), targetUtilisation: fc.double({ min: 0.5, max: 1, noNaN: true }) }),
        // months of odd length too: the WebAssembly loop takes hours in pairs and a month's odd last hour alone
        fc.oneof(fc.constant(HPM), fc.integer({ min: 1, max: 9 })),
        (path, ptm, K, rule: AutoscaleRule, hpm) => {
          const { wasm, js } = twins(path, ptm, hpm);
          const t: ReplicaTrial = { K, Kraw: K * 1.3, price: onDemand(3), ptm, zRoot: ZR, opsTotal: 120 };
          expectSame(exactAutoscale(wasm.v, t, rule), exactAutoscale(js.v, t, rule), wasm.v, js.v, ['monthCost', 'provPath']);
        },
      ),
      { numRuns: 80 },
    );
  });

  it('hybrid: the same overflow by month, served demand and overflow hours', () => {
    fc.assert(
      fc.property(paths, ptms, capacity, fc.integer({ min: 0, max: 8 }), (path, ptm, K, B) => {
        const { wasm, js } = twins(path, ptm);
        const t: ReplicaTrial = { K, Kraw: K * 1.2, price: onDemand(3), ptm, zRoot: ZR, opsTotal: 50 };
        expectSame(exactHybrid(wasm.v, t, B), exactHybrid(js.v, t, B), wasm.v, js.v, ['monthCost', 'monthOverflow']);
      }),
      { numRuns: 80 },
    );
  });

  it('fixed: the same served demand and violation hours, with the bins (the need alone scanned) and without', () => {
    fc.assert(
      fc.property(paths, ptms, capacity, fc.integer({ min: 1, max: 8 }), (path, ptm, K, N) => {
        const { wasm, js } = twins(path, ptm);
        // Kraw ≥ the largest hour for some N: the bins' shortcut, then only the need is scanned
        const t: ReplicaTrial = { K, Kraw: K * 4, price: onDemand(3), ptm, zRoot: ZR, opsTotal: 10 };
        expectSame(exactFixed(wasm.v, t, N, wasm.bins), exactFixed(js.v, t, N, js.bins), wasm.v, js.v, ['monthCost']);
        expectSame(exactFixed(wasm.v, t, N), exactFixed(js.v, t, N), wasm.v, js.v, ['monthCost']);
      }),
      { numRuns: 80 },
    );
  });

  it('utilisation by hour of the week: the same served and offered sums, per-hour fleets and constant ones', () => {
    fc.assert(
      fc.property(paths, capacity, fc.oneof(fc.constant(NaN), fc.integer({ min: 0, max: 6 })), (path, K, fleet) => {
        const { wasm, js } = twins(path, null);
        const H = path.length;
        // an autoscaled fleet's hours: provPath from the autoscale pass (the same in both)
        const rule: AutoscaleRule = { minReplicas: 1, maxReplicas: 1e6, lagHours: 1, step: 1, coldStartHours: 0, targetUtilisation: 0.8 };
        const t: ReplicaTrial = { K, Kraw: K * 1.3, price: onDemand(3), ptm: null, zRoot: ZR, opsTotal: 0 };
        exactAutoscale(wasm.v, t, rule);
        exactAutoscale(js.v, t, rule);
        const out = () => ({ sum: new Float64Array(168).fill(-1), cap: new Float64Array(168).fill(-1) });
        const a = out();
        const b = out();
        hourOfWeekUse(wasm.v.kernel!, wasm.v.path, wasm.v.provPath, H, fleet, K * 0.9, K * 1.3, a.sum, a.cap);
        hourOfWeekUse(null, js.v.path, js.v.provPath, H, fleet, K * 0.9, K * 1.3, b.sum, b.cap);
        expect(Array.from(a.sum)).toEqual(Array.from(b.sum));
        expect(Array.from(a.cap)).toEqual(Array.from(b.cap));
      }),
      { numRuns: 60 },
    );
  });

  it('an hour whose need equals the capacity exactly is served within the SLO, in both loops', () => {
    // need = demand (peak-to-mean 1), K = 100. Fixed, 2 replicas: only the 300 hour exceeds 200.
    const fixedPath = [100, 200, 300, 200, 50];
    const f = twins(fixedPath, 1);
    const tf: ReplicaTrial = { K: 100, Kraw: 400, price: onDemand(1), ptm: 1, zRoot: ZR, opsTotal: 0 };
    for (const { v, bins } of [f.wasm, f.js]) {
      expect(exactFixed(v, tf, 2, bins).violations).toBe(1); // the need alone (Kraw·2 covers 300)
      expect(exactFixed(v, tf, 2).violations).toBe(1); // the whole hour loop
    }
    // Autoscale, lag 1: provisioned [1, 1, 2, 2] replicas = [100, 100, 200, 200] against need
    // [100, 200, 200, 300]: hours 1 and 3 exceed, hours 0 and 2 are ties
    const a = twins([100, 200, 200, 300], 1);
    const rule: AutoscaleRule = { minReplicas: 0, maxReplicas: 1e6, lagHours: 1, step: 1, coldStartHours: 0, targetUtilisation: 1 };
    for (const { v } of [a.wasm, a.js]) {
      expect(exactAutoscale(v, tf, rule).violations).toBe(2);
      expect(Array.from(v.provPath.subarray(0, 4))).toEqual([1, 1, 2, 2]);
    }
  });

  it('autoscale: a peak in one odd hour, and the rises across a month of odd length, in both loops', () => {
    // lag 0, K = 100, target 1: provisioned = ⌈demand/100⌉ = [1, 1, 1, 5, 1, 2, 2]: the peak 5 is
    // hour 3 alone (the second of a pair); rises 4 (hour 3) and 1 (hour 5): 5 cold starts
    const rule: AutoscaleRule = { minReplicas: 0, maxReplicas: 1e6, lagHours: 0, step: 1, coldStartHours: 0, targetUtilisation: 1 };
    const t: ReplicaTrial = { K: 100, Kraw: 100, price: onDemand(1), ptm: 1, zRoot: ZR, opsTotal: 0 };
    const path = [100, 100, 100, 500, 100, 200, 200];
    for (const hpm of [HPM, 3]) {
      const a = twins(path, 1, hpm);
      for (const { v } of [a.wasm, a.js]) {
        const r = exactAutoscale(v, t, rule);
        expect([r.peak, r.coldIncrements, r.violations]).toEqual([5, 5, 0]);
        expect(Array.from(v.provPath.subarray(0, 7))).toEqual([1, 1, 1, 5, 1, 2, 2]);
      }
    }
  });

  it('runs the WebAssembly loops only on arrays in its memory', () => {
    const { wasm, js } = twins([1, 2, 3], null);
    expect(wasm.v.kernel!.holds(wasm.v.path)).toBe(true);
    expect(wasm.v.kernel!.holds(js.v.path)).toBe(false);
  });
});
