/**
 * Deferrable work on a self-hosted fleet, served from a first-in-first-out backlog in whatever
 * capacity the interactive traffic leaves free (issue 15). Two kinds of work arrive at it:
 *
 *   batch jobs     `traffic.batch_jobs`: runs of `items` every `every` hours from hour `start`,
 *                  each due within `deadline` hours (`serveBatch`)
 *   deferred calls `self_hosted.batch_share: deferred`: the workload's batch share of every
 *                  hour's calls, each hour's due within the API's batch window (`deferred.ts`)
 *
 * One rule serves both (`drainBacklog` over per-hour arrivals and per-hour free capacity):
 *
 *   free replica-hours in hour h   max(0, n_h − served_h / Kraw)   (n_h replicas provisioned,
 *                                  served_h = min(d_h, n_h·servePerReplica) interactive
 *                                  requests it serves; `FreeCapacity`)
 *   work served in hour h          oldest first, up to free_h × Kb   (Kb: work one replica
 *                                  serves per hour at full batch, no latency target)
 *
 * Work with something left when its deadline comes is missed: the rest goes to the API at that
 * month's standard (non-batch) price, and it is counted. Only batch runs whose deadline falls
 * inside the horizon are scheduled (on both sides); deferred calls still waiting at the end of
 * the horizon are settled as missed. A deadline shorter than the work takes even on the whole
 * fleet misses every run: an answer (runs_missed_share 1), not an error.
 * One pass over the hours, O(hours); paid only when the workload has deferrable work.
 */
import type { HourlyView, ExactFleet, ReplicaTrial } from './types.js';

export interface BatchWork {
  /** items per run */
  items: number;
  /** hours between runs (24 daily, 168 weekly) */
  every: number;
  /** hour of the first run */
  start: number;
  /** hours a run may take */
  deadline: number;
  /** items one replica serves per hour at full batch */
  Kb: number;
}

export interface BatchOutcome {
  runs: number;
  missedRuns: number;
  /** items sent to the API when their run missed its deadline */
  missedItems: number;
  /** $ of those items at the API's standard price */
  missCost: number;
}

/** What draining a backlog did: arrivals (hours with work) and what missed, in work units and $. */
export interface BacklogOutcome {
  /** arrivals (an hour with work is one) */
  cohorts: number;
  /** arrivals with work left at their deadline */
  missedCohorts: number;
  /** work that arrived */
  arrived: number;
  /** work sent to the API at the standard price */
  missed: number;
  /** $ of the missed work */
  missCost: number;
  /** replica-hours provisioned (the utilisation denominator; 0 when the free capacity was given) */
  provHours: number;
}

/** Arrival hours of the runs whose deadline falls inside `hours`. O(1) per run. */
export function batchRuns(w: Pick<BatchWork, 'every' | 'start' | 'deadline'>, hours: number): number {
  if (w.start + w.deadline > hours) return 0;
  return Math.floor((hours - w.deadline - w.start) / w.every) + 1;
}

/**
 * The capacity a backlog is served from, hour by hour: either what a fleet leaves free of its
 * interactive calls (`given` null: free replica-hours max(0, n_h − min(scale·path[h],
 * n_h·servePerReplica)/Kraw), n_h = `fleet`, or `prov[h]` when NaN), or free replica-hours
 * already known (`given`: what an earlier backlog left). With `out`, what is left each hour is
 * written there.
 */
export interface FreeCapacity {
  path: Float64Array;
  scale: number;
  fleet: number;
  prov: Float64Array;
  servePerReplica: number;
  Kraw: number;
  given: Float64Array | null;
  out: Float64Array | null;
  /** when `fleet` is NaN: n_h computed when an hour is visited, instead of read from `prov` */
  provAt?: ((h: number) => number) | null;
}

/**
 * The work arriving at a backlog: k·src[h] in hour h (0 = none); `queue` is scratch of v.hours
 * (it may be `src` itself when k = 1). `cold` (or null): hours with src[h]·cold ≤ n_h·(1 − 1e-9)
 * are known to fit their own free capacity (the caller's bound), so an hour like that which
 * finds the queue empty is skipped; only the misses (missed, missCost, missedCohorts) are then
 * counted, not the arrivals or the replica-hours, and `out` is not written for it.
 */
export interface Arrivals {
  src: Float64Array;
  k: number;
  queue: Float64Array;
  cold: number | null;
  /** with `cold`: whole blocks of hours known to fit (`ColdBlocks`), or none */
  blocks?: ColdBlocks | null;
}

/** Hours per block of `ColdBlocks` (2^3), and per span of blocks (2^6). */
export const COLD_BLOCK_LOG = 3;
export const COLD_SPAN_LOG = 6;

/**
 * Blocks of 2^COLD_BLOCK_LOG hours, and spans of 2^COLD_SPAN_LOG, for skipping cold hours many
 * at a time: `srcMax[b]` / `spanMax[p]`, the largest src[h] of block b / span p, and
 * `floor(b)` / `spanFloor(p)`, at most the replicas n_h of each of its hours. A block or span
 * whose hours find the queue empty and that has max·cold ≤ floor·(1 − 1e-9) is cold hour by
 * hour (the products are monotone), so a span that starts with the queue empty is skipped
 * whole, and an hour whose src[h]·cold is under its block's floor needs no n_h: the same
 * outcome as visiting each hour with its own n_h.
 */
export interface ColdBlocks {
  srcMax: Float64Array;
  spanMax: Float64Array;
  floor: (b: number) => number;
  spanFloor: (p: number) => number;
  /**
   * Or, where known whatever the scale: `block[b]`/`span[p]` 1 when each of its hours h has
   * n_h ≥ min(cap, src[h]·cold/(1 − 1e-9)) (an autoscaled fleet: `indexLag`); such a one whose
   * max·cold ≤ cap·(1 − 1e-9) is cold hour by hour, no floor computed.
   */
  sure: { block: Uint8Array; span: Uint8Array; cap: number } | null;
}

/** Blocks and spans of `ColdBlocks` that cover `hours` hours. O(1). */
export function coldBlockCounts(hours: number): { blocks: number; spans: number } {
  return { blocks: Math.ceil(hours / 2 ** COLD_BLOCK_LOG), spans: Math.ceil(hours / 2 ** COLD_SPAN_LOG) };
}

/**
 * Maxima (or with `min`, minima) over each block and each span of hours [0, hours) of x[h − lag]
 * (x[0] for h < lag), into `block` and `span` (sized by `coldBlockCounts`). O(hours).
 */
export function blockExtrema(x: Float64Array, lag: number, hours: number, min: boolean, block: Float64Array, span: Float64Array): void {
  const B = 1 << COLD_BLOCK_LOG;
  const perLog = COLD_SPAN_LOG - COLD_BLOCK_LOG;
  const x0 = x[0]!;
  for (let a = 0, b = 0; a < hours; a += B, b++) {
    const e = Math.min(hours, a + B);
    let m = a < lag ? x0 : x[a - lag]!;
    if (min)
      for (let h = a + 1; h < e; h++) {
        const y = h < lag ? x0 : x[h - lag]!;
        if (y < m) m = y;
      }
    else
      for (let h = a + 1; h < e; h++) {
        const y = h < lag ? x0 : x[h - lag]!;
        if (y > m) m = y;
      }
    block[b] = m;
    const p = b >>> perLog;
    if ((b & ((1 << perLog) - 1)) === 0 || (min ? m < span[p]! : m > span[p]!)) span[p] = m;
  }
}

/**
 * Serve the work arriving each hour from the capacity left free, oldest first, each arrival due
 * `deadline` hours later (it has hours [h, h + deadline)). Missed work is priced at
 * `itemPrice[m]` $ per unit in the month it is found missed; with `monthMiss`, those $ by month.
 * With a finite `limit`, stops as soon as the missed $ reach it (the break-even search only asks
 * whether a cost stays under a line; the outcome is then partial, its missCost ≥ limit).
 * One pass: the free capacity, the arrivals and the queue hour by hour; arrivals served in full
 * leave the queue at once, so each hour visits only the ones it serves. O(hours).
 */
export function drainBacklog(
  arr: Arrivals,
  fc: FreeCapacity,
  v: Pick<HourlyView, 'hours' | 'hoursPerMonth' | 'months'>,
  deadline: number,
  Kb: number,
  itemPrice: Float64Array,
  monthMiss: Float64Array | null,
  limit = Infinity,
): BacklogOutcome {
  const H = v.hours;
  const HPM = v.hoursPerMonth;
  const lastMonth = v.months - 1;
  if (monthMiss) monthMiss.fill(0, 0, v.months);
  const { src, k, queue } = arr;
  const { path, scale, fleet, prov, servePerReplica: spr, Kraw, given, out } = fc;
  const perHour = Number.isNaN(fleet);
  const provAt = perHour ? (fc.provAt ?? null) : null;
  const skip = arr.cold !== null;
  const cold = arr.cold ?? 0;
  const blocks = skip && Number.isFinite(cold) ? (arr.blocks ?? null) : null;
  let floorAt = -1; // the block whose floor `floor` holds
  const sure = blocks ? blocks.sure : null;
  let floor = 0;
  const margin = 1 - 1e-9;
  let head = 0; // oldest hour whose arrival may still wait; the queue is queue[head..h]
  let cohorts = 0;
  let missedCohorts = 0;
  let arrived = 0;
  let missed = 0;
  let missCost = 0;
  let provHours = 0;
  for (let h = 0; h < H; h++) {
    // deadlines first: an arrival due at h had hours [arrival, arrival + deadline)
    while (head < h && head + deadline <= h) {
      const left = queue[head]!;
      if (left > 1e-9) {
        const m = Math.min(lastMonth, Math.floor(h / HPM));
        missedCohorts++;
        missed += left;
        const c = left * itemPrice[m]!;
        missCost += c;
        if (monthMiss) monthMiss[m]! += c;
      }
      head++;
    }
    if (missCost >= limit) return { cohorts, missedCohorts, arrived, missed, missCost, provHours };
    // an hour known to fit that finds the queue empty serves its own arrivals and nothing else
    // (a block of such hours at once); n: its replicas, once looked up
    let n = NaN;
    if (skip && head >= h) {
      if (blocks) {
        if ((h & ((1 << COLD_SPAN_LOG) - 1)) === 0) {
          const p = h >>> COLD_SPAN_LOG;
          const top = blocks.spanMax[p]! * cold;
          if ((sure && sure.span[p] === 1 && top <= sure.cap * margin) || top <= blocks.spanFloor(p) * margin) {
            h = Math.min(H, h + (1 << COLD_SPAN_LOG)) - 1;
            head = h + 1;
            continue;
          }
        }
        const b = h >>> COLD_BLOCK_LOG;
        if (b !== floorAt) {
          floorAt = b;
          // a block sure to be cold: every hour's src[h]·cold is under an unbounded floor
          floor = sure && sure.block[b] === 1 && blocks.srcMax[b]! * cold <= sure.cap * margin ? Infinity : blocks.floor(b);
        }
        if ((h & ((1 << COLD_BLOCK_LOG) - 1)) === 0 && blocks.srcMax[b]! * cold <= floor * margin) {
          h = Math.min(H, h + (1 << COLD_BLOCK_LOG)) - 1;
          head = h + 1;
          continue;
        }
        if (src[h]! * cold <= floor * margin) {
          head = h + 1;
          continue;
        }
      }
      n = provAt ? provAt(h) : perHour ? prov[h]! : fleet;
      if (src[h]! * cold <= n * margin) {
        head = h + 1;
        continue;
      }
    }
    const a = k * src[h]!;
    queue[h] = a;
    if (a > 0) {
      cohorts++;
      arrived += a;
    }
    let f: number;
    if (given) f = given[h]!;
    else {
      if (Number.isNaN(n)) n = provAt ? provAt(h) : perHour ? prov[h]! : fleet;
      const d = scale * path[h]!;
      const capI = n * spr;
      const served = d < capI ? d : capI;
      const g = n - served / Kraw;
      f = g > 0 ? g : 0;
      provHours += n;
    }
    let cap = f * Kb;
    if (!(cap > 0)) {
      if (out) out[h] = f;
      continue;
    }
    for (let i = head; i <= h && cap > 0; i++) {
      const r = queue[i]!;
      const take = r < cap ? r : cap;
      queue[i] = r - take;
      cap -= take;
    }
    if (out) out[h] = cap / Kb;
    // served in full: leave the queue now (oldest first, so they are a prefix)
    while (head <= h && queue[head]! <= 1e-9) head++;
  }
  // what is still waiting at the end: settled as missed in the last month
  for (; head < H; head++) {
    const left = queue[head]!;
    if (left > 1e-9) {
      missedCohorts++;
      missed += left;
      const c = left * itemPrice[lastMonth]!;
      missCost += c;
      if (monthMiss) monthMiss[lastMonth]! += c;
    }
  }
  return { cohorts, missedCohorts, arrived, missed, missCost, provHours };
}

/**
 * Serve the batch runs from the capacity the interactive traffic leaves free. `r` is the
 * option's exact pass (replicas per hour: r.fleet, or v.provPath when NaN; interactive served
 * per replica-hour: r.servePerReplica); `itemPrice[m]`: the API's standard $ per item in month
 * m. Fills `monthMiss[m]` with the $ sent to the API each month. `scratch` (two arrays of
 * v.hours): `free`, the free replica-hours what deferred calls left when `filled`, and
 * `arrive`; allocated when absent. O(hours).
 */
export function serveBatch(
  v: HourlyView,
  t: ReplicaTrial,
  r: ExactFleet,
  w: BatchWork,
  itemPrice: Float64Array,
  monthMiss: Float64Array,
  scratch?: { free: Float64Array; arrive: Float64Array; filled: boolean },
): BatchOutcome {
  const H = v.hours;
  const runs = batchRuns(w, H);
  const arrive = scratch?.arrive ?? new Float64Array(H);
  arrive.fill(0, 0, H);
  for (let k = 0; k < runs; k++) arrive[w.start + k * w.every] = w.items;
  const given = scratch?.filled ? scratch.free : null;
  const fc = { path: v.path, scale: 1, fleet: r.fleet, prov: v.provPath, servePerReplica: r.servePerReplica, Kraw: t.Kraw, given, out: given };
  const o = drainBacklog({ src: arrive, k: 1, queue: arrive, cold: null }, fc, v, w.deadline, w.Kb, itemPrice, monthMiss);
  // a run of 0 items is no arrival, and cannot miss
  return { runs, missedRuns: o.missedCohorts, missedItems: o.missed, missCost: o.missCost };
}
