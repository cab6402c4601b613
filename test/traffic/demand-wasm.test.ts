import { readFileSync } from 'node:fs';
import { describe as group, expect, it } from 'vitest';
import { DEMAND_WASM_BASE64 } from '../../src/traffic/demand-wasm.js';
import { DEMAND_WASM_SOURCE, assembleDemandWasm, demandWasmSource } from '../../src/traffic/write-demand-wasm.js';
import { DemandKernel, hourOfWeekFactors } from '../../src/traffic/index.js';
import { AleaStream } from '../../src/distributions/index.js';

group("the demand path's WebAssembly module", () => {
  it('is exactly demand.wat assembled (regenerate with `npm run tables`)', async () => {
    const bytes = await assembleDemandWasm();
    expect(Buffer.from(DEMAND_WASM_BASE64, 'base64').equals(Buffer.from(bytes))).toBe(true);
    expect(readFileSync(DEMAND_WASM_SOURCE, 'utf8')).toBe(demandWasmSource(bytes));
  });

  it('a kernel refuses a horizon longer than its buffers, naming both', () => {
    const k = new DemandKernel(100, hourOfWeekFactors('flat', 'flat'));
    const p = { baseRequestsPerHour: 10, growthMonthly: 0, hourOfWeek: k.shape, noiseCv: 0, noiseAutocorrelation: 0, bursts: null };
    expect(() => k.fill(101, p, new AleaStream('x'), new Float64Array(1), undefined, 0)).toThrow('a demand kernel for 100 hours cannot fill 101');
    expect(k.fill(100, p, new AleaStream('x'), new Float64Array(1), undefined, 0)).toEqual({ sum: 1000, min: 10, max: 10 });
  });

  it("finds the least and largest hour wherever they fall: a pair's either hour, or an odd last hour", () => {
    // the loop takes hours two at a time and an odd last one alone: a falling or rising path of
    // 1 to 6 hours puts its least or largest hour in each of those places
    const k = new DemandKernel(6, hourOfWeekFactors('flat', 'flat'));
    for (const growthMonthly of [-0.9, 5])
      for (let hours = 1; hours <= 6; hours++) {
        const p = { baseRequestsPerHour: 10, growthMonthly, hourOfWeek: k.shape, noiseCv: 0, noiseAutocorrelation: 0, bursts: null };
        const stats = k.fill(hours, p, new AleaStream('x'), new Float64Array(1), undefined, 0);
        const path = Array.from(k.path.subarray(0, hours));
        expect([stats.min, stats.max]).toEqual([Math.min(...path), Math.max(...path)]);
        expect(path[0]).toBe(10);
        if (hours > 1) expect(path[hours - 1]).not.toBe(10);
      }
  });
});
