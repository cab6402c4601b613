/**
 * A trial's hourly demand as a linear histogram (DESIGN §4, break-even search): a fleet's
 * cost depends on the multiset of hourly demands, not their order, so the search evaluates
 * C(s) on `bins` bins instead of every hour. Per bin: count and sum; suffix sums for the
 * excess over a level in O(1); the non-empty bins compacted for the autoscale sum.
 */

import { KERNEL_BINS, type FleetKernel } from './kernel.js';

/**
 * The histogram's scratch, module constants: the optimiser embeds a constant typed array's
 * address and length in the code, while an array read from a field or parameter has its
 * address and length loaded again after every store into it (the hour loop stores two per
 * hour, and ran at twice the time). `bin` copies them into the instance's arrays.
 */
const SCRATCH_BINS = KERNEL_BINS;
const SCRATCH_COUNT = new Float64Array(SCRATCH_BINS);
const SCRATCH_SUM = new Float64Array(SCRATCH_BINS);

/** What `histogram` found besides the bins: [the demand summed in hour order, the largest]. */
const SCRATCH_PATH = new Float64Array(2);

/**
 * Hours per bin and their demand summed in hour order, into the scratch; the whole demand
 * summed in hour order and its largest hour into SCRATCH_PATH. O(hours + nb).
 */
function histogram(path: Float64Array, hours: number, min: number, inv: number, nb: number): void {
  const count = SCRATCH_COUNT;
  const sum = SCRATCH_SUM;
  count.fill(0, 0, nb);
  sum.fill(0, 0, nb);
  let total = 0;
  let top = -Infinity;
  for (let h = 0; h < hours; h++) {
    const d = path[h]!;
    let b = ((d - min) * inv) | 0;
    if (b >= nb) b = nb - 1;
    count[b]!++;
    sum[b]! += d;
    total += d;
    if (d > top) top = d;
  }
  SCRATCH_PATH[0] = total;
  SCRATCH_PATH[1] = top;
}

export class DemandBins {
  readonly n: number;
  readonly count: Float64Array;
  readonly sum: Float64Array;
  /** mean demand of each bin (0 when empty) */
  readonly rep: Float64Array;
  /** suffix sums over bins: hours and demand in bins i.. */
  readonly sufCount: Float64Array;
  readonly sufSum: Float64Array;
  /** the non-empty bins, compacted: count and need of the bin's mean as s·lin + √s·root */
  readonly nzCount: Float64Array;
  readonly nzNeedLin: Float64Array;
  readonly nzNeedRoot: Float64Array;
  /** hours in the compacted bins before i: nzPrefix[i] = Σ_{k<i} nzCount[k] */
  readonly nzPrefix: Float64Array;
  /** the compacted bins' needs never fall from one bin to the next (both parts) */
  nzRising = false;
  nz = 0;
  min = 0;
  /** the largest hourly demand */
  max = 0;
  /**
   * The demand these bins were filled from (the array, by identity), its hours summed in hour
   * order (0 + d_0 + d_1 + …, the order an hourly pass adds them) and its largest hour as
   * found (−Infinity for no hours): an exact pass over that array whose every hour is served
   * whole can take these instead of its own loop (`exactFixed`).
   */
  source: Float64Array | null = null;
  pathTotal = 0;
  pathMax = -Infinity;
  width = 1;
  hours = 0;

  /** the histogram in WebAssembly, for a path in its memory (kernel.ts); null: JavaScript */
  private readonly kernel: FleetKernel | null;

  /** `n` bins, 1 to SCRATCH_BINS (the histogram's scratch; DEFAULTS.bins is 128); a path in `kernel`'s memory is binned there. */
  constructor(n: number, kernel: FleetKernel | null = null) {
    if (!(Number.isInteger(n) && n >= 1 && n <= SCRATCH_BINS)) throw new RangeError(`DemandBins: 1 to ${SCRATCH_BINS} bins (got ${n})`);
    this.n = n;
    this.kernel = kernel;
    this.count = new Float64Array(n);
    this.sum = new Float64Array(n);
    this.rep = new Float64Array(n);
    this.sufCount = new Float64Array(n + 1);
    this.sufSum = new Float64Array(n + 1);
    this.nzCount = new Float64Array(n);
    this.nzNeedLin = new Float64Array(n);
    this.nzNeedRoot = new Float64Array(n);
    this.nzPrefix = new Float64Array(n + 1);
  }

  /**
   * Bin `hours` values of `path` over [min, max] and fill `need` per hour with the
   * capacity-need rule (`needOf`: d·ptm, or d + zr·√d). O(hours + bins).
   */
  fill(path: Float64Array, need: Float64Array, hours: number, min: number, maxV: number, ptm: number | null, zr: number): void {
    for (let h = 0; h < hours; h++) {
      const d = path[h]!;
      need[h] = ptm === null ? d + zr * Math.sqrt(d) : d * ptm;
    }
    this.bin(path, hours, min, maxV, ptm, zr);
  }

  /**
   * Bin `hours` values of `path` over [min, max], their hourly need already written elsewhere
   * (the trial's demand kernel writes it as it goes: traffic/path.ts `DemandKernel`). O(hours + bins).
   */
  bin(path: Float64Array, hours: number, min: number, maxV: number, ptm: number | null, zr: number): void {
    const nb = this.n;
    const count = this.count;
    const sum = this.sum;
    const width = maxV > min ? (maxV - min) / nb : 1;
    const inv = 1 / width;
    this.min = min;
    this.max = maxV;
    this.width = width;
    this.hours = hours;
    this.source = path;
    const k = this.kernel;
    if (k && k.holds(path)) {
      k.histogram(path, hours, min, inv, nb);
      count.set(k.count.subarray(0, nb));
      sum.set(k.sum.subarray(0, nb));
      this.pathTotal = k.acc[0]!;
      this.pathMax = k.acc[1]!;
    } else {
      histogram(path, hours, min, inv, nb);
      count.set(SCRATCH_COUNT.subarray(0, nb));
      sum.set(SCRATCH_SUM.subarray(0, nb));
      this.pathTotal = SCRATCH_PATH[0]!;
      this.pathMax = SCRATCH_PATH[1]!;
    }
    let nz = 0;
    for (let b = 0; b < nb; b++) {
      const c = count[b]!;
      const rep = c > 0 ? sum[b]! / c : 0;
      this.rep[b] = rep;
      if (c === 0) continue;
      this.nzCount[nz] = c;
      this.nzNeedLin[nz] = ptm === null ? rep : rep * ptm;
      this.nzNeedRoot[nz] = ptm === null ? zr * Math.sqrt(rep) : 0;
      nz++;
    }
    this.nz = nz;
    let rising = true;
    this.nzPrefix[0] = 0;
    for (let i = 0; i < nz; i++) {
      this.nzPrefix[i + 1] = this.nzPrefix[i]! + this.nzCount[i]!;
      if (i > 0 && !(this.nzNeedLin[i]! >= this.nzNeedLin[i - 1]! && this.nzNeedRoot[i]! >= this.nzNeedRoot[i - 1]!)) rising = false;
    }
    this.nzRising = rising;
    this.sufCount[nb] = 0;
    this.sufSum[nb] = 0;
    for (let b = nb - 1; b >= 0; b--) {
      this.sufCount[b] = this.sufCount[b + 1]! + count[b]!;
      this.sufSum[b] = this.sufSum[b + 1]! + sum[b]!;
    }
  }

  /** Σ_h max(0, d_h - t) in O(1): bins above t's count whole (suffix sums); t's own bin through its mean. */
  excessOver(t: number): number {
    if (t <= this.min) return this.sufSum[0]! - t * this.sufCount[0]!;
    let j = Math.floor((t - this.min) / this.width);
    if (j >= this.n) return 0;
    if (j < 0) j = 0;
    let v = this.sufSum[j + 1]! - t * this.sufCount[j + 1]!;
    const rep = this.rep[j]!;
    if (rep > t) v += this.count[j]! * (rep - t);
    return v;
  }

  /**
   * A demand level covering at least a share q of the hours: the upper edge of the bin that
   * holds the q-quantile, capped at the largest demand. Never below the true quantile (a
   * fleet sized to it serves at least q of the hours), above it by less than one bin width
   * (1/bins of the demand range), and exact when the quantile lies in the top bin (constant
   * demand, a busiest level covering more than 1 - q of the hours). O(bins).
   */
  quantileUpper(q: number): number {
    const target = q * this.hours;
    let cum = 0;
    for (let b = 0; b < this.n; b++) {
      const c = this.count[b]!;
      if (c > 0 && cum + c >= target - 1e-9) {
        const edge = this.min + (b + 1) * this.width;
        return edge < this.max ? edge : this.max;
      }
      cum += c;
    }
    return this.max;
  }

  /** The largest hourly demand. O(1). */
  topDemand(): number {
    return this.max;
  }
}
