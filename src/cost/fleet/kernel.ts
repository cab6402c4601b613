/**
 * The fleet policies' hour passes in WebAssembly (hours.wat, assembled into hours-wasm.ts),
 * over arrays in one WebAssembly memory: the trial's demand kernel's, where the hourly path
 * and need already are (traffic/path.ts `DemandKernel`, which leaves room for this kernel's
 * arrays: `fleetKernelBytes`). A pass whose arrays all live there runs here; one over any other
 * array (a routed share's path, a test's) runs its JavaScript loop, which is the reference:
 * test/cost/hours-wasm.test.ts pins each pass to it, output by output, bit for bit.
 *
 * Why: V8's optimised code for the JavaScript loops checks each typed array's map, length and
 * base on every access (~75 instructions an hour for the autoscale pass), and each trial
 * thread compiles every loop at least twice while warming up (on stack, then whole); the
 * WebAssembly loops take ~1.5x less time an hour (the autoscale pass, two hours per f64x2
 * operation, ~3.5x) and compile in well under a millisecond.
 */
import { HOURS_WASM_BASE64 } from './hours-wasm.js';
import { Wasm, type WasmMemory } from '../../util/wasm.js';

export type { WasmMemory } from '../../util/wasm.js';

interface HoursExports {
  autoscale(need: number, path: number, prov: number, monthProv: number, acc: number, H: number, hpm: number, lag: number, first: number, invKt: number, minR: number, maxR: number, step: number, K: number, Kraw: number): void;
  hybrid(path: number, mo: number, acc: number, H: number, hpm: number, capB: number): void;
  fixed(path: number, need: number, acc: number, H: number, capSlo: number, capRaw: number): void;
  above(need: number, H: number, cap: number): number;
  histogram(path: number, count: number, sum: number, out: number, hours: number, min: number, inv: number, nb: number): void;
  how_per_hour(path: number, prov: number, howSum: number, howCap: number, H: number, spr: number, Kraw: number): void;
  how_up_to(path: number, howSum: number, H: number, lim: number): void;
}

/** The compiled module, once per thread (well under a millisecond). */
let compiled: object | undefined;

/** Most bins a histogram here takes (bins.ts SCRATCH_BINS). */
export const KERNEL_BINS = 1024;

/** Bytes of memory a FleetKernel for `hours` hours and `months` months takes (8-aligned). */
export function fleetKernelBytes(hours: number, months: number): number {
  return 8 * (hours + 2 * KERNEL_BINS + 2 * 168 + 8 + months + 1);
}

export class FleetKernel {
  private readonly buffer: ArrayBuffer;
  private readonly fns: HoursExports;
  /** replicas provisioned per hour (the autoscale pass writes it: HourlyView.provPath) */
  readonly prov: Float64Array;
  /** a histogram's counts and sums per bin */
  readonly count: Float64Array;
  readonly sum: Float64Array;
  /** served and offered by hour of the week (how.ts) */
  readonly howSum: Float64Array;
  readonly howCap: Float64Array;
  /** a pass's totals (up to 8) */
  readonly acc: Float64Array;
  /** a pass's month sums (months + 1: a horizon that ends inside a month has one more) */
  readonly months: Float64Array;
  private readonly countAt: number;
  private readonly sumAt: number;
  private readonly howSumAt: number;
  private readonly howCapAt: number;
  private readonly accAt: number;
  private readonly monthsAt: number;

  /** Passes over arrays in `memory`, this kernel's own at byte `at` (fleetKernelBytes(hours, months) bytes, 8-aligned). */
  constructor(memory: WasmMemory, at: number, hours: number, months: number) {
    if (!Wasm) throw new Error('the fleet passes need WebAssembly');
    if (at % 8 !== 0 || at + fleetKernelBytes(hours, months) > memory.buffer.byteLength) throw new RangeError(`FleetKernel: ${fleetKernelBytes(hours, months)} bytes at ${at} do not fit in ${memory.buffer.byteLength}`);
    compiled ??= new Wasm.Module(Buffer.from(HOURS_WASM_BASE64, 'base64'));
    this.fns = new Wasm.Instance(compiled, { env: { memory } }).exports as unknown as HoursExports;
    this.buffer = memory.buffer;
    this.prov = new Float64Array(this.buffer, at, hours);
    this.countAt = at + 8 * hours;
    this.sumAt = this.countAt + 8 * KERNEL_BINS;
    this.howSumAt = this.sumAt + 8 * KERNEL_BINS;
    this.howCapAt = this.howSumAt + 8 * 168;
    this.accAt = this.howCapAt + 8 * 168;
    this.monthsAt = this.accAt + 64;
    this.count = new Float64Array(this.buffer, this.countAt, KERNEL_BINS);
    this.sum = new Float64Array(this.buffer, this.sumAt, KERNEL_BINS);
    this.howSum = new Float64Array(this.buffer, this.howSumAt, 168);
    this.howCap = new Float64Array(this.buffer, this.howCapAt, 168);
    this.acc = new Float64Array(this.buffer, this.accAt, 8);
    this.months = new Float64Array(this.buffer, this.monthsAt, months + 1);
  }

  /** Whether `a` lives in this kernel's memory (then a pass over it can run here). O(1). */
  holds(a: Float64Array): boolean {
    return a.buffer === this.buffer;
  }

  /**
   * autoscale.ts `provision` + `autoscaleHours` (prov filled for H hours, the first `lag` with
   * `first`): each month's replica-hours into `months` (⌈H/hpm⌉ of them), acc = [cold starts,
   * peak, served, violation hours]. O(hours).
   */
  autoscale(need: Float64Array, path: Float64Array, prov: Float64Array, H: number, hpm: number, lag: number, first: number, invKt: number, minR: number, maxR: number, step: number, K: number, Kraw: number): void {
    this.fns.autoscale(need.byteOffset, path.byteOffset, prov.byteOffset, this.monthsAt, this.accAt, H, hpm, lag, first, invKt, minR, maxR, step, K, Kraw);
  }

  /** hybrid.ts `hybridHours` with a base serving up to capB an hour: each month's overflow into `months`, acc = [served, overflow hours]. O(hours). */
  hybrid(path: Float64Array, H: number, hpm: number, capB: number): void {
    this.fns.hybrid(path.byteOffset, this.monthsAt, this.accAt, H, hpm, capB);
  }

  /** fixed.ts `fixedHours`: acc = [served, violation hours]. O(hours). */
  fixed(path: Float64Array, need: Float64Array, H: number, capSlo: number, capRaw: number): void {
    this.fns.fixed(path.byteOffset, need.byteOffset, this.accAt, H, capSlo, capRaw);
  }

  /** fixed.ts `hoursAbove`: the hours whose need exceeds `cap`. O(hours). */
  above(need: Float64Array, H: number, cap: number): number {
    return this.fns.above(need.byteOffset, H, cap);
  }

  /** bins.ts `histogram` (nb ≤ KERNEL_BINS): `count`, `sum`; acc = [the demand summed in hour order, the largest]. O(hours + nb). */
  histogram(path: Float64Array, hours: number, min: number, inv: number, nb: number): void {
    this.fns.histogram(path.byteOffset, this.countAt, this.sumAt, this.accAt, hours, min, inv, nb);
  }

  /** how.ts `howPerHour`: into `howSum` and `howCap`, served (up to prov·spr) and offered (prov·Kraw) by hour of the week. O(hours). */
  howPerHour(path: Float64Array, prov: Float64Array, H: number, servePerReplica: number, Kraw: number): void {
    this.fns.how_per_hour(path.byteOffset, prov.byteOffset, this.howSumAt, this.howCapAt, H, servePerReplica, Kraw);
  }

  /** how.ts `howServedUpTo`: into `howSum`, served (up to lim an hour) by hour of the week. O(hours). */
  howServedUpTo(path: Float64Array, H: number, lim: number): void {
    this.fns.how_up_to(path.byteOffset, this.howSumAt, H, lim);
  }
}
