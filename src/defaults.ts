/**
 * Defaults in one place (sample counts, search ranges, binning). Config-file defaults live in
 * the schema (`config/schema.ts`) next to the fields they fill.
 */
import { availableParallelism } from 'node:os';

export const DEFAULTS = {
  /** the batch APIs' turnaround window, hours (OpenAI, Anthropic: results within 24 h) */
  batchWindowHours: 24,
  /** trials when neither the workload nor --trials says */
  trials: 2000,
  seed: 1,
  /** trials whose per-volume and per-month series feed the fan, cumulative and heatmap charts */
  subsampleTrials: 1000,
  /** linear bins of a trial's hourly demand for the break-even search */
  bins: 128,
  /** break-even search range, as multiples of the trial's own volume */
  searchMinScale: 1e-3,
  searchMaxScale: 1e4,
  searchPointsPerDecade: 2,
  /** fine re-scan of the decade above the coarse bracket */
  searchFinePointsPerDecade: 16,
  bisectionSteps: 18,
  /** volume grid of the curves */
  gridPointsPerDecade: 4,
  /** histogram bins of the break-even distribution */
  breakevenBins: 40,
  /** trials a worker runs per message: at most, and at least once the run nears its end */
  chunkTrials: 1000,
  minChunkTrials: 100,
  /** trials the main thread runs between looks at the event loop (Ctrl-C, progress, helpers) */
  sliceTrials: 100,
  /**
   * Work (trials × hours × (options + API), see sim/threads.ts `planWork`) below which one
   * thread finishes no later than two. Measured 2026-11-30 on the 2-core dev machine (AMD EPYC,
   * Node 20, quiet): the default scenario (2,000 trials × 8,760 h × 5 = 88 M) took 1.31 s
   * whole-process on one thread and 1.29 s on two (paired, 6 runs; two cost 1.36× the CPU);
   * the bench scenario's 10,000 trials (350 M) took 3.0-3.1 s on two threads against 4.2 s on
   * one. A helper pays only once the trials outlast its start-up, its own JIT warm-up and the
   * slower warm-up of this thread while both compete with V8's compiler threads for the cores
   * (`node bench/threshold.js` prints the two-thread/one-thread ratio by size). Below the
   * threshold the idle core is not wasted: the report's chart renderer warms up on it.
   */
  parallelMinWork: 150e6,
  /** payback months beyond which "never" is reported */
  maxPaybackMonths: 240,
  /** trials used for rank correlations (the first N, so any worker count agrees) */
  sensitivityTrials: 20000,
  reportsDir: 'reports',
} as const;

/** Cores this process may use (os.availableParallelism()); the most threads 'auto' picks. */
export function defaultWorkers(): number {
  return Math.max(1, availableParallelism());
}
