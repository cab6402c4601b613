/**
 * Deadline-driven batch work (`traffic.batch_jobs`) on a self-hosted fleet: runs of `items`
 * arrive every `every` hours from hour `start`; each must be done within `deadline` hours.
 * The fleet is sized by its policy for the interactive traffic; batch items are served from a
 * first-in-first-out backlog in whatever capacity the interactive traffic leaves free:
 *
 *   free replica-hours in hour h   max(0, n_h − served_h / Kraw)   (n_h replicas provisioned,
 *                                  served_h interactive requests it serves)
 *   items served in hour h         free_h × Kb   (Kb: items a replica serves per hour at full batch)
 *
 * A run with items left when its deadline comes is missed: the rest goes to the API at that
 * month's standard (non-batch) price, and the run is counted. Only runs whose deadline falls
 * inside the horizon are scheduled (on both sides). A deadline shorter than the work takes even
 * on the whole fleet misses every run: an answer (runs_missed_share 1), not an error.
 * One pass over the hours, O(hours); paid only when the workload has batch jobs.
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

/** Arrival hours of the runs whose deadline falls inside `hours`. O(1) per run. */
export function batchRuns(w: Pick<BatchWork, 'every' | 'start' | 'deadline'>, hours: number): number {
  if (w.start + w.deadline > hours) return 0;
  return Math.floor((hours - w.deadline - w.start) / w.every) + 1;
}

/**
 * Serve the runs from the capacity the interactive traffic leaves free. `r` is the option's
 * exact pass (replicas per hour: r.fleet, or v.provPath when NaN; interactive served per
 * replica-hour: r.servePerReplica); `itemPrice[m]`: the API's standard $ per item in month m.
 * Fills `monthMiss[m]` with the $ sent to the API each month. O(hours).
 */
export function serveBatch(v: HourlyView, t: ReplicaTrial, r: ExactFleet, w: BatchWork, itemPrice: Float64Array, monthMiss: Float64Array): BatchOutcome {
  const H = v.hours;
  const HPM = v.hoursPerMonth;
  const runs = batchRuns(w, H);
  monthMiss.fill(0, 0, v.months);
  // runs in flight at once: at most ⌈deadline / every⌉ + 1, held in arrival order
  const slots = Math.ceil(w.deadline / w.every) + 1;
  const remaining = new Float64Array(slots);
  const due = new Float64Array(slots);
  let head = 0;
  let count = 0;
  let next = 0; // index of the next run to arrive
  let missedRuns = 0;
  let missedItems = 0;
  let missCost = 0;
  const perHour = Number.isNaN(r.fleet);
  for (let h = 0; h < H && (next < runs || count > 0); h++) {
    // deadlines first: a run due at h had hours [arrival, arrival + deadline)
    while (count > 0 && due[head]! <= h) {
      const left = remaining[head]!;
      if (left > 1e-9) {
        missedRuns++;
        missedItems += left;
        const m = Math.min(v.months - 1, Math.floor(h / HPM));
        const c = left * itemPrice[m]!;
        missCost += c;
        monthMiss[m]! += c;
      }
      head = head + 1 === slots ? 0 : head + 1;
      count--;
    }
    if (next < runs && h === w.start + next * w.every) {
      const slot = (head + count) % slots;
      remaining[slot] = w.items;
      due[slot] = h + w.deadline;
      count++;
      next++;
    }
    if (count === 0) continue;
    const n = perHour ? v.provPath[h]! : r.fleet;
    const d = v.path[h]!;
    const cap = n * r.servePerReplica;
    const served = d < cap ? d : cap;
    const freeReplicaHours = n - served / t.Kraw;
    let free = freeReplicaHours > 0 ? freeReplicaHours * w.Kb : 0;
    let i = head;
    for (let k = 0; k < count && free > 0; k++) {
      const take = remaining[i]! < free ? remaining[i]! : free;
      remaining[i]! -= take;
      free -= take;
      i = i + 1 === slots ? 0 : i + 1;
    }
  }
  // runs still in flight at the end are due inside the horizon by construction: settle them
  while (count > 0) {
    const left = remaining[head]!;
    if (left > 1e-9) {
      missedRuns++;
      missedItems += left;
      const m = v.months - 1;
      missCost += left * itemPrice[m]!;
      monthMiss[m]! += left * itemPrice[m]!;
    }
    head = head + 1 === slots ? 0 : head + 1;
    count--;
  }
  return { runs, missedRuns, missedItems, missCost };
}
