/**
 * Defaults in one place (sample counts, search ranges, binning). Config-file defaults live in
 * the schema (`config/schema.ts`) next to the fields they fill.
 */
import { availableParallelism } from 'node:os';

export const DEFAULTS = {
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
  /** payback months beyond which "never" is reported */
  maxPaybackMonths: 240,
  /** trials used for rank correlations (the first N, so any worker count agrees) */
  sensitivityTrials: 20000,
  reportsDir: 'reports',
} as const;

export function defaultWorkers(): number {
  return Math.max(1, availableParallelism());
}
