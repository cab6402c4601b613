/**
 * The workload's batch share served off-peak on the self-hosted side
 * (`self_hosted.batch_share: deferred`, issue 15). With batch share b, every hour's d calls split:
 *
 *   interactive   (1 − b)·d: what the fleet is sized for and judged against the SLO, by the
 *                 option's own policy (fixed, resize, autoscale, hybrid, existing, routing's
 *                 share of it) exactly as it sizes any traffic
 *   deferred      b·d: arrives in the hour, due within the API's batch window W (24 h), served
 *                 first-in-first-out at full batch (Kb per replica-hour, no TPOT target) in the
 *                 capacity the interactive traffic leaves free (`drainBacklog`, the rule batch
 *                 jobs use); what misses W goes to the API at the standard (non-batch) price
 *
 * Deferred calls never add replicas: autoscaled replicas follow the interactive need, a
 * hybrid's base and an existing fleet serve them from their own GPUs only (no rented or API
 * burst for them), so a fleet's size, cost and violation hours are those of the interactive
 * share; the deferred work only adds what misses its window.
 *
 *   exact pass   the policy's pass on the interactive hours, then `deferredPass` on the hours
 *                it provisioned (r.fleet or v.provPath) at s = 1
 *   C(s)         the policy's C(s) on the interactive bins + `deferredPass` at scale s on the
 *                replicas `fleetHoursAt` gives for scale s: the same function, so C(1)'s
 *                deferred part equals the exact pass's (test/cost/deferred.test.ts pins it).
 *                The backlog's order matters, so no binned shortcut, but an evaluation visits
 *                only the hours that may not fit their own free capacity and those the queue
 *                spills into (`fleetHoursLazy`: spans and blocks of hours sure to fit are
 *                skipped whole, an autoscaled fleet's replicas computed only where looked
 *                at; the outcome is the hour-by-hour pass's, the same doubles, as a property
 *                test pins): O(hours / 64 + hours visited). Paid only when deferral is on.
 */
import type { ExactFleet, HourlyView, ReplicaTrial } from './types.js';
import type { DemandBins } from './bins.js';
import type { AutoscaleRule } from './autoscale.js';
import type { ExistingFleet } from './existing.js';
import { drainBacklog, blockExtrema, coldBlockCounts, COLD_BLOCK_LOG, COLD_SPAN_LOG, type BacklogOutcome, type ColdBlocks } from './batch.js';
import { fixedReplicas } from './fixed.js';
import { periodReplicas, resizePeriods } from './resize.js';
import { hybridBase } from './hybrid.js';
import { servableDemand, needOf } from './need.js';

/** A fleet's hours as deferred work sees them: `fleet` replicas every hour, or per hour in a `prov` array when NaN; interactive requests a replica serves per hour before the rest goes on. */
export interface FleetHours {
  fleet: number;
  servePerReplica: number;
  /** when `fleet` is NaN: hour h's replicas, computed when asked, instead of `prov[h]` */
  provAt?: (h: number) => number;
}

/** Each policy's rule for its replicas at demand scale s (what its exact pass provisions at s = 1). */
export type ScaledFleet =
  | { policy: 'fixed'; Q: number }
  | { policy: 'resize'; levels: Float64Array; periodMonths: number }
  | { policy: 'autoscale'; rule: AutoscaleRule }
  | { policy: 'hybrid'; bins: DemandBins; base: number | 'auto' }
  | { policy: 'existing'; fleet: ExistingFleet };

/**
 * The replicas a policy provisions hour by hour at demand scale s on view `v`; per-hour counts
 * go to `prov`. At s = 1 the same as its exact pass (r.fleet / v.provPath, r.servePerReplica).
 * O(1) for fixed and hybrid, O(hours) for the others.
 */
export function fleetHoursAt(f: ScaledFleet, v: HourlyView, t: ReplicaTrial, s: number, prov: Float64Array): FleetHours {
  const H = v.hours;
  switch (f.policy) {
    case 'fixed':
      return { fleet: fixedReplicas(t, s * f.Q), servePerReplica: t.Kraw };
    case 'resize': {
      const ph = f.periodMonths * v.hoursPerMonth;
      const P = resizePeriods(v.months, f.periodMonths);
      for (let p = 0; p < P; p++) {
        const N = periodReplicas(t, f.levels[p]!, s);
        const b = Math.min(H, (p + 1) * ph);
        for (let h = p * ph; h < b; h++) prov[h] = N;
      }
      return { fleet: NaN, servePerReplica: t.Kraw };
    }
    case 'autoscale': {
      // exactAutoscale's rule: hour h gets what hour h − lag wanted (hour 0's before that)
      const rule = f.rule;
      const lag = Math.min(rule.lagHours, v.ring.length - 1);
      const invKt = 1 / (t.K * rule.targetUtilisation);
      const path = v.path;
      // prov[h] holds hour h's want until hour h + lag reads it
      for (let h = 0; h < H; h++) prov[h] = autoscaleWant(rule, t, invKt, s * path[h]!);
      if (lag > 0) {
        for (let h = H - 1; h >= lag; h--) prov[h] = prov[h - lag]!;
        for (let h = 1; h < lag && h < H; h++) prov[h] = prov[0]!;
      }
      return { fleet: NaN, servePerReplica: t.Kraw };
    }
    case 'hybrid': {
      const B = hybridBase(f.bins, v, t, f.base, s);
      return { fleet: B, servePerReplica: B > 0 ? servableDemand(B * t.K, t.ptm, t.zRoot) / B : 0 };
    }
    case 'existing': {
      const B = f.fleet.replicas;
      const until = Math.min(H, f.fleet.untilHours);
      for (let h = 0; h < H; h++) prov[h] = h < until ? B : 0;
      return { fleet: NaN, servePerReplica: B > 0 ? servableDemand(B * t.K, t.ptm, t.zRoot) / B : 0 };
    }
  }
}

/** The replicas an autoscale rule wants for an hour of demand d (invKt = 1/(K·target utilisation)); non-decreasing in d. O(1). */
function autoscaleWant(rule: AutoscaleRule, t: ReplicaTrial, invKt: number, d: number): number {
  let want = Math.ceil(needOf(d, t.ptm, t.zRoot) * invKt);
  if (want < rule.minReplicas) want = rule.minReplicas;
  if (rule.step !== 1) want = Math.ceil(want / rule.step) * rule.step;
  if (want > rule.maxReplicas) want = rule.maxReplicas;
  return want;
}

/**
 * What C(s)'s deferred pass may precompute once per trial and option (`ColdBlocks`' blocks and
 * spans): `srcMax`/`spanMax`, the maxima of the trial's demand (`blockExtrema`), and for an
 * autoscaled fleet `lagMin`/`lagSpanMin`, the least demand v.path[h'] its hours provision for
 * (h' = h − lag, hour 0 before that).
 */
export interface ColdIndex {
  srcMax: Float64Array;
  spanMax: Float64Array;
  lagMin: Float64Array;
  lagSpanMin: Float64Array;
  /** `ColdBlocks.sure` of an autoscaled fleet (`indexLag`) */
  sureBlock: Uint8Array;
  sureSpan: Uint8Array;
}

/** A `ColdIndex` for `hours` hours. */
export function coldIndex(hours: number): ColdIndex {
  const { blocks, spans } = coldBlockCounts(hours);
  return {
    srcMax: new Float64Array(blocks),
    spanMax: new Float64Array(spans),
    lagMin: new Float64Array(blocks),
    lagSpanMin: new Float64Array(spans),
    sureBlock: new Uint8Array(blocks),
    sureSpan: new Uint8Array(spans),
  };
}

/** Fill `idx.srcMax`/`spanMax` with the maxima of the trial's demand `src`. O(hours). */
export function indexDemand(src: Float64Array, hours: number, idx: ColdIndex): void {
  blockExtrema(src, 0, hours, false, idx.srcMax, idx.spanMax);
}

/**
 * Fill `idx` for fleet `f` on view `v` (autoscale only; the others need nothing more):
 * `lagMin`/`lagSpanMin`, and the blocks and spans sure to fit at any scale s: with the cold
 * bound s·coldUnit (`deferredPass`'s `cold`), an hour h fits when src[h]·s·coldUnit ≤ n_h, and
 * n_h ≥ min(maxReplicas, need(s·d')/(K·u)) ≥ min(maxReplicas, s·d'·f/(K·u)) (d' = v.path[h − lag],
 * need(d) ≥ d·f: f = peak-to-mean, else 1, as d + zr·√d ≥ d), so src[h]·coldUnit ≤
 * d'·f/(K·u)·(1 − 1e-6) settles it for every s (the margin covers rounding, many times over).
 * O(hours).
 */
export function indexLag(f: ScaledFleet, v: HourlyView, t: ReplicaTrial, src: Float64Array, coldUnit: number, idx: ColdIndex): void {
  if (f.policy !== 'autoscale') return;
  const H = v.hours;
  const lag = Math.min(f.rule.lagHours, v.ring.length - 1);
  const path = v.path;
  blockExtrema(path, lag, H, true, idx.lagMin, idx.lagSpanMin);
  const lowNeed = t.ptm === null ? 1 : t.ptm;
  const per = lowNeed / (t.K * f.rule.targetUtilisation);
  const ok = Number.isFinite(coldUnit) && coldUnit > 0 && per > 0 && per <= 1e50 && t.zRoot >= 0;
  const { sureBlock, sureSpan } = idx;
  for (let a = 0, b = 0; a < H; a += 1 << COLD_BLOCK_LOG, b++) {
    const e = Math.min(H, a + (1 << COLD_BLOCK_LOG));
    let sure = ok ? 1 : 0;
    for (let h = a; h < e && sure === 1; h++) {
      const x = src[h]!;
      if (x === 0) continue;
      const room = path[h < lag ? 0 : h - lag]! * per;
      // far from underflow (with s ≥ 1e-50, `fleetHoursLazy`), where the relative rounding bounds hold
      if (!(room >= 1e-200 && x * coldUnit <= room * (1 - 1e-6))) sure = 0;
    }
    sureBlock[b] = sure;
    const p = b >>> (COLD_SPAN_LOG - COLD_BLOCK_LOG);
    if ((b & ((1 << (COLD_SPAN_LOG - COLD_BLOCK_LOG)) - 1)) === 0) sureSpan[p] = sure;
    else if (sure === 0) sureSpan[p] = 0;
  }
}

/**
 * `fleetHoursAt` for C(s)'s deferred pass, which visits few hours: the same replicas hour by
 * hour, an autoscaled fleet's computed only for the hours visited (`provAt`), with a floor per
 * block and span of hours for skipping cold ones (`ColdBlocks`; null for resize and existing,
 * whose hours go to `prov` as before). Every want is non-decreasing in demand, so the want of
 * a block's least demand is at most each of its hours' replicas.
 */
export function fleetHoursLazy(
  f: ScaledFleet,
  v: HourlyView,
  t: ReplicaTrial,
  s: number,
  prov: Float64Array,
  idx: ColdIndex,
): { fh: FleetHours; blocks: ColdBlocks | null } {
  if (f.policy === 'autoscale') {
    const rule = f.rule;
    const lag = Math.min(rule.lagHours, v.ring.length - 1);
    const invKt = 1 / (t.K * rule.targetUtilisation);
    const path = v.path;
    const { lagMin, lagSpanMin } = idx;
    const provAt = (h: number) => autoscaleWant(rule, t, invKt, s * path[h < lag ? 0 : h - lag]!);
    const floor = (b: number) => autoscaleWant(rule, t, invKt, s * lagMin[b]!);
    const spanFloor = (p: number) => autoscaleWant(rule, t, invKt, s * lagSpanMin[p]!);
    const sure = s >= 1e-50 ? { block: idx.sureBlock, span: idx.sureSpan, cap: rule.maxReplicas } : null;
    return { fh: { fleet: NaN, servePerReplica: t.Kraw, provAt }, blocks: { srcMax: idx.srcMax, spanMax: idx.spanMax, floor, spanFloor, sure } };
  }
  const fh = fleetHoursAt(f, v, t, s, prov);
  const n = fh.fleet;
  const floor = () => n;
  return { fh, blocks: Number.isNaN(n) ? null : { srcMax: idx.srcMax, spanMax: idx.spanMax, floor, spanFloor: floor, sure: null } };
}

/** Scratch of a deferred pass: free replica-hours, arrivals and replicas per hour (v.hours each). */
export interface DeferScratch {
  free: Float64Array;
  arrive: Float64Array;
  prov: Float64Array;
}

/** What a deferred pass did: `drainBacklog`'s outcome (provHours: the replica-hours provisioned, the utilisation denominator). */
export type DeferredOutcome = BacklogOutcome;

/**
 * Deferred calls at demand scale s: `share`·s·src[h] arrive each hour (src: the trial's demand,
 * share: σ·b of it), due `windowHours` later, served at `Kb` per free replica-hour of the fleet
 * `fh` (per-hour counts in `prov`) that serves s·v.path[h] interactive calls. Missed calls cost
 * `callPrice[m]` each; with `monthMiss`, by month. With `keepFree`, leaves the free
 * replica-hours after it in scratch.free (what batch jobs may use). `limit`: stop once the
 * missed $ reach it (see `drainBacklog`). `cold`: when only the misses are wanted (C(s)),
 * s·(share/Kb + inter/Kraw) with v.path = inter·src: an hour with src[h]·cold ≤ n_h fits its
 * own calls (they use s·inter·src[h]/Kraw + share·s·src[h]/Kb replica-hours at most), so one
 * that finds the queue empty is skipped (`Arrivals.cold`). One pass, O(hours).
 */
export function deferredPass(
  v: HourlyView,
  t: ReplicaTrial,
  fh: FleetHours,
  prov: Float64Array,
  src: Float64Array,
  share: number,
  s: number,
  Kb: number,
  windowHours: number,
  callPrice: Float64Array,
  monthMiss: Float64Array | null,
  scratch: DeferScratch,
  keepFree: boolean,
  limit = Infinity,
  cold: number | null = null,
  blocks: ColdBlocks | null = null,
): DeferredOutcome {
  const fc = { path: v.path, scale: s, fleet: fh.fleet, prov, servePerReplica: fh.servePerReplica, Kraw: t.Kraw, given: null, out: keepFree ? scratch.free : null, provAt: fh.provAt ?? null };
  return drainBacklog({ src, k: share * s, queue: scratch.arrive, cold, blocks }, fc, v, windowHours, Kb, callPrice, monthMiss, limit);
}

/**
 * A trial runner's deferral state (self_hosted.batch_share: deferred), reused across trials:
 * the deferred pass's scratch, its missed $ by month, C(s)'s cold-block index of the trial's
 * demand, the trial's last exact pass (by what it depends on) and C(s)'s full passes on
 * fleets of the same size every hour, by scale.
 */
export interface DeferredTrial {
  scratch: DeferScratch;
  monthMiss: Float64Array;
  index: ColdIndex;
  lastExact: { key: string; out: DeferredOutcome } | null;
  sameDrain: Map<string, number>;
}

/** A fresh deferral state for `hours` hours and `months` months. O(hours). */
export function deferredTrial(hours: number, months: number): DeferredTrial {
  return {
    scratch: { free: new Float64Array(hours), arrive: new Float64Array(hours), prov: new Float64Array(hours) },
    monthMiss: new Float64Array(months),
    index: coldIndex(hours),
    lastExact: null,
    sameDrain: new Map(),
  };
}

/** Start a trial whose demand is `path`: index it for C(s), forget the last trial's passes. O(hours). */
export function startDeferredTrial(d: DeferredTrial, path: Float64Array, hours: number): void {
  indexDemand(path, hours, d.index);
  d.lastExact = null;
  d.sameDrain.clear();
}

/** One option's fleet in a trial, as the deferred share sees it. */
export interface DeferredFleet {
  /** the view the fleet is sized on: the interactive share inter·d (its apiMonthPrice: the standard price per call) */
  view: HourlyView;
  t: ReplicaTrial;
  /** the fleet's exact pass at s = 1 */
  exact: Pick<ExactFleet, 'fleet' | 'servePerReplica'>;
  /** replicas per hour of the exact pass (the trial's provPath) */
  provPath: Float64Array;
  /** the policy's C(s) on the interactive share, and its fleet at scale s */
  costAt: (s: number) => number;
  scaled: ScaledFleet;
}

/** What deferral adds to one option in a trial: its exact outcome, and C(s) with the deferred share. */
export interface DeferredOption {
  /** the exact pass at s = 1; its missed $ by month are in the state's monthMiss */
  outcome: DeferredOutcome;
  /**
   * C(s) of the fleet plus the deferred calls it misses when `limit` is Infinity; otherwise a
   * value on the same side of `limit` as C(s) (the break-even search only asks whether
   * C(s) < s·A), found without the hourly pass when bounds decide it
   */
  costAt(s: number, limit: number): number;
}

/**
 * The deferred share of one option in a trial (DESIGN §4; README "deferred batch share"): the
 * share σ·b of the calls (`share`; `inter` = σ·(1 − b) is what the fleet is sized on) waits up
 * to `windowHours` for the capacity the fleet leaves free, at `Kb` calls per replica-hour;
 * what misses goes to the API at the standard price of its month.
 * - The exact pass (s = 1) is shared by options whose fleet and deferred work match, pricing
 *   apart (`shareExact`: only when nothing else, such as batch jobs, rewrites the scratch).
 * - C(s) = the policy's C(s) + the deferred pass at scale s, with three shortcuts that give
 *   the same decisions: C(s) ≥ the fleet's C(s); C(s) ≤ it plus every deferred call missed
 *   (s·share·`stdApiTotal`: a call is found missed in its month or later, and prices only
 *   fall); a fleet of N replicas every hour fits every hour's deferred calls in that hour's
 *   free capacity when s·max_h(share·d_h/Kb + inter·d_h/Kraw) ≤ N (`pathMax`), and then
 *   nothing misses (margins keep rounding on the same side). The pass visits only hours that
 *   may not fit (whole cold blocks skipped, an autoscaled fleet's replicas computed for the
 *   hours visited); full passes on fleets of the same size every hour are shared by scale.
 * O(hours) for the exact pass; C(s) O(blocks + visited hours) per call.
 */
export function deferredOption(
  d: DeferredTrial,
  f: DeferredFleet,
  path: Float64Array,
  pathMax: number,
  inter: number,
  share: number,
  Kb: number,
  windowHours: number,
  stdApiTotal: number,
  shareExact: boolean,
): DeferredOption {
  const { view: fv, t, exact } = f;
  const fleetKey = `${inter}|${share}|${Kb}|${windowHours}|${t.Kraw}`;
  const exactKey = shareExact && !Number.isNaN(exact.fleet) ? `${fleetKey}|${exact.fleet}|${exact.servePerReplica}` : null;
  let outcome: DeferredOutcome;
  if (exactKey !== null && d.lastExact !== null && d.lastExact.key === exactKey) outcome = d.lastExact.out;
  else {
    // its month misses and free capacity stay in the scratch: nothing else writes them when shared
    outcome = deferredPass(fv, t, { fleet: exact.fleet, servePerReplica: exact.servePerReplica }, f.provPath, path, share, 1, Kb, windowHours, fv.apiMonthPrice, d.monthMiss, d.scratch, true);
    d.lastExact = exactKey === null ? null : { key: exactKey, out: outcome };
  }
  const poolAt = f.costAt;
  const scaled = f.scaled;
  const prov = d.scratch.prov;
  const coldUnit = Kb > 0 ? share / Kb + inter / t.Kraw : Infinity;
  const unitMax = pathMax * coldUnit;
  const missAll = share * stdApiTotal * (1 + 1e-9);
  indexLag(scaled, fv, t, path, coldUnit, d.index);
  const costAt = (s: number, limit: number) => {
    const c = poolAt(s);
    if (c >= limit || (limit < Infinity && c + s * missAll < limit)) return c;
    const { fh, blocks } = fleetHoursLazy(scaled, fv, t, s, prov, d.index);
    if (!Number.isNaN(fh.fleet) && s * unitMax <= fh.fleet * (1 - 1e-9)) return c;
    // a full pass (no limit) on a fleet of the same size every hour: shared by scale
    const key = limit === Infinity && !Number.isNaN(fh.fleet) ? `${fleetKey}|${s}|${fh.fleet}|${fh.servePerReplica}` : null;
    const known = key === null ? undefined : d.sameDrain.get(key);
    if (known !== undefined) return c + known;
    const miss = deferredPass(fv, t, fh, prov, path, share, s, Kb, windowHours, fv.apiMonthPrice, null, d.scratch, false, limit - c, s * coldUnit, blocks).missCost;
    if (key !== null) d.sameDrain.set(key, miss);
    return miss >= limit - c ? Math.max(c + miss, limit) : c + miss;
  };
  return { outcome, costAt };
}
