/**
 * Hourly demand paths (DESIGN §3):
 *
 *   demand(h) = base × growth(h) × hourOfWeek(h) × noise(h) × bursts(h)      [requests/hour]
 *
 * - growth: compound monthly rate, applied smoothly per hour;
 * - noise: mean-1 with a given coefficient of variation and hour-to-hour autocorrelation:
 *   an AR(1) standard normal z_h = ρ z_{h-1} + √(1-ρ²) ε_h mapped to a Gamma(k = 1/cv²)
 *   marginal by the Wilson–Hilferty transform G/k ≈ (1 - 1/9k + z/√(9k))³ (Wilson & Hilferty
 *   1931), negative bases set to 0, renormalised to mean 1 by the exact mean of that truncated
 *   cube (`truncatedCubeMean`). One normal and one cube per hour; accurate for cv ≲ 1 and
 *   finite, mean 1, up to the maximum cv of 3;
 * - bursts: Poisson events (rate per month) each multiplying demand by `size` for
 *   `duration` hours.
 *
 * The hour loops run as WebAssembly (demand.wat, `DemandKernel`) in buffers a trial runner
 * keeps: no allocation per hour or trial. Cost: O(hours) with one normal draw per hour.
 */
import type { PRNG } from '../distributions/index.js';
import { boxMuller, normalCdf, probit } from '../distributions/index.js';
import { sum } from '../stats/index.js';
import { NORMAL_TABLE_BASE64 } from './normal-table.js';
import { DEMAND_WASM_BASE64 } from './demand-wasm.js';
import { UserError } from '../errors.js';
import type { RandomStream, AleaStream } from '../distributions/index.js';
import { Wasm, type WasmMemory } from '../util/wasm.js';

/**
 * Standard normals by inverse-transform sampling: Φ⁻¹ tabulated at the midpoints of 2^14
 * equal-probability cells and interpolated linearly; the two outer cells (|z| > 3.8, p =
 * 1/8192) use the exact probit, so tails are not truncated. One uniform per normal, no
 * log/sqrt/cos on the hot path. The table is `probit((i + 0.5) / 2^14)`, generated once into
 * normal-table.ts (write-normal-table.ts; a test checks it is exactly that computation) and
 * decoded here in ~0.3 ms: computing it cost 20-40 ms of every start-up and trial thread.
 */
export const NORMAL_CELLS = 1 << 14;
const NORMAL_TABLE = decodeNormalTable(NORMAL_TABLE_BASE64);

/**
 * The table as the WebAssembly loop reads it: cell i's value and its step to the next,
 * T[i+1] − T[i] (0 for the last cell, which the loop never interpolates), one cache line
 * for both. The step is the same subtraction `fastNormal` does, so the same bits. Made once
 * per thread, by its first kernel.
 */
let normalPairsTable: Float64Array | undefined;

function normalPairs(t: Float64Array): Float64Array {
  const p = new Float64Array(2 * t.length);
  for (let i = 0; i < t.length; i++) {
    p[2 * i] = t[i]!;
    p[2 * i + 1] = i + 1 < t.length ? t[i + 1]! - t[i]! : 0;
  }
  return p;
}

/** The table from its base64 text (little-endian float64s), checked for size. O(cells). */
export function decodeNormalTable(base64: string): Float64Array {
  const bytes = Buffer.from(base64, 'base64');
  if (bytes.length !== NORMAL_CELLS * 8) throw new Error(`normal-table.ts holds ${bytes.length} bytes, not ${NORMAL_CELLS * 8}: regenerate it with \`npm run tables\``);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  const t = new Float64Array(NORMAL_CELLS);
  for (let i = 0; i < NORMAL_CELLS; i++) t[i] = view.getFloat64(i * 8, true);
  return t;
}

/** One standard normal from one uniform. */
export function fastNormal(rng: RandomStream): number {
  const u = rng.next();
  const x = u * NORMAL_CELLS - 0.5;
  if (x < 0 || x >= NORMAL_CELLS - 1) return probit(u > 0 ? u : 1e-300);
  const i = x | 0;
  const a = NORMAL_TABLE[i]!;
  return a + (x - i) * (NORMAL_TABLE[i + 1]! - a);
}

export const HOURS_PER_MONTH = 730;

export interface BurstParams {
  ratePerMonth: number;
  /** draws one burst's size multiplier and duration (hours) */
  draw(rng: PRNG): { size: number; hours: number };
}

export interface PathParams {
  /** requests per hour at hour 0 before shape and noise (requests_per_day / 24) */
  baseRequestsPerHour: number;
  growthMonthly: number;
  hourOfWeek: Float64Array;
  noiseCv: number;
  noiseAutocorrelation: number;
  bursts: BurstParams | null;
  /** a measured hourly trace (requests/hour) replacing base × hour-of-week; cycled */
  trace?: Float64Array | null;
}

/**
 * The capacity need of each hour, written by `fillDemandPath` as it goes (the hour's demand d
 * is in a register there, so the square root costs little; a pass of its own cost a tenth of
 * a trial). The rule
 * is cost/fleet's `needOf` (d·ptm, or d + zr·√d), repeated here because traffic sits below
 * cost; test/traffic/path.test.ts pins the two equal.
 */
export interface NeedOut {
  /** written at [0, hours) */
  need: Float64Array;
  /** peak-to-mean factor, or null for the Poisson busiest minute */
  peakToMean: number | null;
  /** z·√60 of the Poisson busiest-minute rule */
  zRoot: number;
}

export interface PathStats {
  sum: number;
  min: number;
  max: number;
}

/** Poisson draw by inversion (small means) or normal approximation (large means). */
export function poisson(mean: number, rng: PRNG): number {
  if (mean <= 0) return 0;
  if (mean > 50) {
    const u1 = rng() || 1e-12;
    const z = boxMuller(u1, rng());
    return Math.max(0, Math.round(mean + Math.sqrt(mean) * z));
  }
  const l = Math.exp(-mean);
  let k = 0;
  let p = rng();
  while (p > l) {
    k++;
    p *= rng();
  }
  return k;
}

/**
 * E[max(a + b·Z, 0)³] for Z ~ N(0, 1), b > 0: the mean of the noise before renormalisation
 * (the loop sets negative bases to 0). With t = a/b and the partial moments of Z above -t,
 *   E = b³ · (Φ(t)·(t³ + 3t) + φ(t)·(t² + 2)),
 * which tends to a³ + 3ab² (the untruncated mean) as t grows and stays > 0 for every t: at the
 * documented maximum cv = 3, a = 0 and E = 2φ(0) ≈ 0.798, where the untruncated mean is 0 (it
 * divided by zero) and just below it turned negative (NaN costs). O(1).
 */
export function truncatedCubeMean(a: number, b: number): number {
  const t = a / b;
  // Beyond t = 8 the truncated tail changes the mean by less than φ(8)/8 ≈ 6e-16 relative (below
  // double precision); the untruncated form also stays finite when b underflows to 0 (cv of
  // 5e-324 gave t = Infinity and 0 × Infinity = NaN here).
  if (!(t <= 8)) return a * a * a + 3 * a * b * b;
  const phi = Math.exp(-0.5 * t * t) / Math.sqrt(2 * Math.PI);
  return b * b * b * (normalCdf(t) * (t * t * t + 3 * t) + phi * (t * t + 2));
}

/**
 * Fill `out[0..hours)` with one demand path; returns its sum, min and max, and writes the sum
 * of each month (730 hours; the last may be partial) into `monthSums` and each hour's capacity
 * need into `needOut` when given. Sums are compensated (Neumaier), so their error does not grow
 * with the horizon. `out` may be longer than `hours` (reused across horizons); only the prefix
 * is written. The hour loops run in a `DemandKernel` (WebAssembly): the trial runner keeps one
 * whose buffers it reads in place; this function, for any other caller, uses a scratch kernel
 * and copies the path and need out (O(hours) more).
 */
export function fillDemandPath(out: Float64Array, hours: number, p: PathParams, rng: AleaStream, monthSums?: Float64Array, needOut?: NeedOut): PathStats {
  const shape = pathShape(p);
  if (!scratch || scratch.capacity < hours || scratch.shape.length !== shape.length) scratch = new DemandKernel(Math.max(hours, scratch?.capacity ?? 0), shape);
  else scratch.shape.set(shape);
  const k = scratch;
  const months = monthSums ?? new Float64Array(Math.ceil(hours / HOURS_PER_MONTH));
  const stats = k.fill(hours, p, rng, months, needOut ? needOut.peakToMean : undefined, needOut?.zRoot ?? 0);
  out.set(k.path.subarray(0, hours));
  if (needOut) needOut.need.set(k.need.subarray(0, hours));
  return stats;
}

let scratch: DemandKernel | undefined;

/** What the path cycles through: the trace when one is given (non-empty), else the hour-of-week factors. */
export function pathShape(p: Pick<PathParams, 'hourOfWeek' | 'trace'>): Float64Array {
  return p.trace && p.trace.length > 0 ? p.trace : p.hourOfWeek;
}

/** The compiled module, once per thread (well under a millisecond). */
let compiled: object | undefined;

interface DemandExports {
  noise(out: number, hours: number, st: number, z: number, rho: number, innov: number, a: number, b: number): void;
  scale(out: number, need: number, months: number, shape: number, period: number, h0: number, h1: number, st: number, burst: number, growthPerHour: number, needMode: number, ptm: number, zr: number, hpm: number, norm: number): void;
}

/** Byte offsets in a kernel's memory (demand.wat's layout): the table as (value, step) pairs, then the state. */
const STATE_AT = NORMAL_CELLS * 16;
const SHAPE_AT = STATE_AT + 128;

/**
 * The demand path's hour loops in WebAssembly (demand.wat, assembled into demand-wasm.ts),
 * with its buffers in the module's memory: `path` (each hour's demand), `need` (each hour's
 * capacity need) and `shape` (the hour-of-week factors or the trace, cycled), for horizons up
 * to `capacity` hours. The loops do what the JavaScript reference in test/traffic/path.test.ts
 * does, operation for operation on the same doubles, so the numbers are the same to the bit;
 * as WebAssembly they run ~1.8x faster than the same loops optimised by V8 and need no
 * warming up: V8 compiles them in under a millisecond, where each trial thread spent ~0.1 s
 * compiling and recompiling the JavaScript loops. Memory: the normal table (256 KB, with each
 * cell's step to the next) and 16 bytes per hour. One per trial runner (its buffers are the runner's).
 */
export class DemandKernel {
  readonly capacity: number;
  readonly path: Float64Array;
  readonly need: Float64Array;
  readonly shape: Float64Array;
  private readonly months: Float64Array;
  private readonly state: Float64Array;
  private readonly counters: Int32Array;
  private readonly fns: DemandExports;
  private readonly pathAt: number;
  private readonly needAt: number;
  private readonly monthsAt: number;
  /** the module's memory, and where in it the `extraBytes` asked for at construction begin (8-aligned) */
  readonly memory: WasmMemory;
  readonly extraAt: number;

  constructor(capacity: number, shape: Float64Array, extraBytes = 0) {
    if (!Wasm) throw new UserError('this Node.js runs without WebAssembly (started with --jitless?), which the traffic simulation needs: run it without that flag', 1);
    this.capacity = capacity;
    const monthCount = Math.ceil(capacity / HOURS_PER_MONTH) + 1;
    this.pathAt = SHAPE_AT + shape.length * 8;
    this.needAt = this.pathAt + capacity * 8;
    this.monthsAt = this.needAt + capacity * 8;
    this.extraAt = this.monthsAt + monthCount * 8;
    const bytes = this.extraAt + extraBytes;
    const memory = new Wasm.Memory({ initial: Math.ceil(bytes / 65536) });
    this.memory = memory;
    compiled ??= new Wasm.Module(Buffer.from(DEMAND_WASM_BASE64, 'base64'));
    // the table's outer cells call back for the exact probit (about one hour in 8,192)
    const instance = new Wasm.Instance(compiled, { env: { memory, probit: (u: number) => probit(u) } });
    this.fns = instance.exports as unknown as DemandExports;
    const buf = memory.buffer;
    new Float64Array(buf, 0, 2 * NORMAL_CELLS).set((normalPairsTable ??= normalPairs(NORMAL_TABLE)));
    this.state = new Float64Array(buf, STATE_AT, 9);
    this.counters = new Int32Array(buf, STATE_AT + 72, 3);
    this.shape = new Float64Array(buf, SHAPE_AT, shape.length);
    this.shape.set(shape);
    this.path = new Float64Array(buf, this.pathAt, capacity);
    this.need = new Float64Array(buf, this.needAt, capacity);
    this.months = new Float64Array(buf, this.monthsAt, monthCount);
  }

  /**
   * One demand path into `path[0..hours)` (and `need`, by the busiest-minute rule when
   * `peakToMean` is null, else d·peakToMean; not written when it is undefined), the month
   * sums into `monthSums`; the shape is the kernel's (`p.hourOfWeek` and `p.trace` are not
   * read, only whether a trace is given). The generator state is read from and written back
   * to `rng`. O(hours).
   *
   * demand(h) = g × shape[h mod period] × noise(h) × bursts(h), with g the base rate (or 1
   * for a trace) growing per hour. Bursts are drawn first (a Poisson count, then each one's
   * start, size and duration); then the noise of every hour (one `noise` call: its z starts
   * stationary from one normal); then the hours are scaled in segments between burst starts
   * and ends (one `scale` call each; month ends are handled inside).
   */
  fill(hours: number, p: PathParams, rng: AleaStream, monthSums: Float64Array, peakToMean: number | null | undefined, zRoot: number): PathStats {
    if (hours > this.capacity) throw new Error(`a demand kernel for ${this.capacity} hours cannot fill ${hours}`);
    const uniform: PRNG = () => rng.next();
    const cv = p.noiseCv;
    const rho = p.noiseAutocorrelation;
    const innov = Math.sqrt(1 - rho * rho);
    // Wilson–Hilferty: G/k ≈ (a + b z)^3 with a = 1 - 1/(9k), b = 1/√(9k) = cv/3.
    const b = cv / 3;
    const a = 1 - b * b;
    const norm = cv > 0 ? 1 / truncatedCubeMean(a, b) : 1;
    const growthPerHour = Math.pow(1 + p.growthMonthly, 1 / HOURS_PER_MONTH);
    const trace = p.trace && p.trace.length > 0;
    // need: 0 none, 1 d·ptm, 2 d + zr·√d
    const needMode = peakToMean === undefined ? 0 : peakToMean === null ? 2 : 1;

    // Burst events, drawn first; the segments keep the product of active multipliers.
    let starts: { h: number; size: number }[] = [];
    let ends: { h: number; size: number }[] = [];
    if (p.bursts && p.bursts.ratePerMonth > 0) {
      const n = poisson((p.bursts.ratePerMonth * hours) / HOURS_PER_MONTH, uniform);
      for (let i = 0; i < n; i++) {
        const start = Math.floor(rng.next() * hours);
        const { size, hours: dur } = p.bursts.draw(uniform);
        starts.push({ h: start, size });
        ends.push({ h: Math.min(hours, start + Math.max(1, Math.round(dur))), size });
      }
      starts.sort((x, y) => x.h - y.h);
      ends.sort((x, y) => x.h - y.h);
    }

    const st = this.state;
    const fns = this.fns;
    if (cv > 0) {
      const z0 = fastNormal(rng); // stationary start
      st[0] = rng.s0;
      st[1] = rng.s1;
      st[2] = rng.s2;
      st[3] = rng.c;
      fns.noise(this.pathAt, hours, STATE_AT, z0, rho, innov, a, b);
      rng.s0 = st[0]!;
      rng.s1 = st[1]!;
      rng.s2 = st[2]!;
      rng.c = st[3]!;
    } else this.path.fill(1, 0, hours); // x = 1: the factor 1³·1

    st[4] = trace ? 1 : p.baseRequestsPerHour; // g
    st[5] = 0; // this month's sum and its compensation
    st[6] = 0;
    st[7] = Infinity; // min, max
    st[8] = -Infinity;
    const ctr = this.counters;
    ctr[0] = 0; // index into the shape
    ctr[1] = 0; // month
    ctr[2] = HOURS_PER_MONTH; // the month's end
    const ptm = peakToMean ?? 1;
    const nStarts = starts.length;
    const nEnds = ends.length;
    let si = 0;
    let ei = 0;
    let burst = 1;
    let h = 0;
    while (h < hours) {
      while (si < nStarts && starts[si]!.h === h) burst *= starts[si++]!.size;
      if (ei < nEnds && ends[ei]!.h === h) {
        while (ei < nEnds && ends[ei]!.h === h) burst /= ends[ei++]!.size;
        if (si === ei) burst = 1; // no active burst: drop rounding residue
      }
      let segEnd = hours;
      if (si < nStarts && starts[si]!.h < segEnd) segEnd = starts[si]!.h;
      if (ei < nEnds && ends[ei]!.h < segEnd) segEnd = ends[ei]!.h;
      fns.scale(this.pathAt, this.needAt, this.monthsAt, SHAPE_AT, this.shape.length, h, segEnd, STATE_AT, burst, growthPerHour, needMode, ptm, zRoot, HOURS_PER_MONTH, norm);
      h = segEnd;
    }
    const m = ctr[1]!;
    const months = this.months;
    months[m] = st[5]! + st[6]!;
    monthSums.set(months.subarray(0, Math.min(m + 1, monthSums.length)));
    starts = ends = [];
    return { sum: sum(months.subarray(0, m + 1)), min: st[7]!, max: st[8]! };
  }
}

/** z of the busiest of 60 minutes (expected maximum of 60 standard normals ≈ 2.32). */
export const PEAK_MINUTE_Z = 2.32;

/**
 * Provisioning need for an hour with mean demand d requests/hour: the busiest minute under
 * Poisson arrivals, as an hourly rate: 60·(λ + z√λ) with λ = d/60, i.e. d + z·√(60·d).
 * With a given peak-to-mean factor instead, need = factor × d.
 */
export function peakNeed(d: number, peakToMean: number | null): number {
  if (peakToMean !== null) return d * peakToMean;
  return d + PEAK_MINUTE_Z * Math.sqrt(60 * d);
}
