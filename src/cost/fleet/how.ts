/**
 * Utilisation by hour of the week (the report's heatmap, from the subsample trials): demand
 * served and capacity offered summed per hour of the week over the horizon's weeks. A fleet
 * of `fleet` replicas every hour, or, when `fleet` is NaN, provPath's count each hour (an
 * autoscaled fleet); each replica serves up to `servePerReplica` requests an hour within the
 * SLO and offers Kraw. The hour loops run in WebAssembly when `kernel` holds the arrays
 * (kernel.ts), else in JavaScript; test/cost/hours-wasm.test.ts pins the two together.
 */
import type { FleetKernel } from './kernel.js';

/** Into howSum and howCap (168 each, overwritten): served and offered per hour of the week. O(hours). */
export function hourOfWeekUse(kernel: FleetKernel | null, path: Float64Array, provPath: Float64Array, H: number, fleet: number, servePerReplica: number, Kraw: number, howSum: Float64Array, howCap: Float64Array): void {
  const perHour = Number.isNaN(fleet);
  if (kernel && H > 0 && kernel.holds(path) && (!perHour || kernel.holds(provPath))) {
    if (perHour) kernel.howPerHour(path, provPath, H, servePerReplica, Kraw);
    else kernel.howServedUpTo(path, H, fleet * servePerReplica);
    howSum.set(kernel.howSum);
    if (perHour) howCap.set(kernel.howCap);
    else howCapacityEvery(H, fleet * Kraw, howCap);
    return;
  }
  howSum.fill(0);
  howCap.fill(0);
  if (perHour) howPerHour(path, provPath, H, servePerReplica, Kraw, howSum, howCap);
  else {
    howServedUpTo(path, H, fleet * servePerReplica, howSum);
    howCapacityEvery(H, fleet * Kraw, howCap);
  }
}

/*
 * The hour-of-week utilisation loops, one loop per function: V8 optimises a long loop while
 * it runs (on-stack replacement) from what it has seen so far, and code after the loop or in
 * a branch not yet taken then lacks type feedback and deoptimises the whole function; with
 * both cases in one function that happened about ten times in a run's first 150 trials, each
 * time sending a pass of 8,760 hours back to the interpreter.
 */

/** Served and offered capacity by hour of week, the fleet per hour in provPath. O(H). */
function howPerHour(path: Float64Array, provPath: Float64Array, H: number, servePerReplica: number, Kraw: number, howSum: Float64Array, howCap: Float64Array): void {
  let w = 0;
  for (let h = 0; h < H; h++) {
    const nn = provPath[h]!;
    const d = path[h]!;
    const lim = nn * servePerReplica;
    howSum[w]! += d < lim ? d : lim;
    howCap[w]! += nn * Kraw;
    if (++w === 168) w = 0;
  }
}

/**
 * Served by hour of week with the same limit `lim` every hour. O(H). (`lim` is copied into an
 * unboxed local first: the parameter is a tagged value to the optimiser, and `d < lim ? d : lim`
 * with it made the select tagged too, boxing every hour's `d` into a new heap number: 16 bytes
 * an hour, the run's largest allocation and most of its garbage collection.)
 */
function howServedUpTo(path: Float64Array, H: number, limit: number, howSum: Float64Array): void {
  const lim = +limit;
  let w = 0;
  for (let h = 0; h < H; h++) {
    const d = path[h]!;
    howSum[w]! += d < lim ? d : lim;
    if (++w === 168) w = 0;
  }
}

/**
 * The same capacity `cap` every hour: an hour of the week sums it once per week it occurs,
 * added in the same order as an hourly loop would (the same double), without the hourly loop.
 * O(H / 168 + 168).
 */
function howCapacityEvery(H: number, cap: number, howCap: Float64Array): void {
  const weeks = Math.floor(H / 168);
  let acc = 0;
  for (let k = 0; k < weeks; k++) acc += cap;
  for (let x = 0; x < 168; x++) howCap[x] = x < H - weeks * 168 ? acc + cap : acc;
}
