/**
 * Fleet economics, one file per policy (DESIGN §4, §4b). Each policy holds its exact hourly
 * pass next to its scaled cost C(s) for the break-even search; all of them price through
 * pricing.ts and judge capacity through need.ts, so the two passes cannot drift apart.
 *
 *   pricing.ts    on-demand / spot / reserved / owned: cost over the horizon, cash per month
 *   need.ts       the busiest-minute capacity need, replicas for a need, servable demand
 *   bins.ts       a trial's hourly demand as a histogram (quantile, excess over a level)
 *   fixed.ts      N replicas all the time
 *   resize.ts     fixed, resized each month or quarter to that period's demand
 *   autoscale.ts  replicas follow demand with a lag; cold starts
 *   hybrid.ts     a base fleet; what it cannot serve within the SLO goes to the API, priced
 *   existing.ts   a fleet whose capex or reservation is sunk; overflow to the API or rented GPUs
 *   batch.ts      deferrable work served from a backlog in the capacity left free (batch jobs)
 *   deferred.ts   the workload's batch share served off-peak (self_hosted.batch_share: deferred)
 */
export * from './pricing.js';
export * from './need.js';
export * from './types.js';
export { DemandBins } from './bins.js';
export { fixedReplicas, fixedReplicaCost, exactFixed, fixedCostAt } from './fixed.js';
export { resizeMonths, resizePeriods, periodLevels, periodReplicas, resizedCost, exactResized, type ResizeEvery } from './resize.js';
export { wantReplicas, exactAutoscale, autoscaleCostAt, type AutoscaleRule } from './autoscale.js';
export { hybridBase, exactHybrid, hybridCostAt } from './hybrid.js';
export { existingPass, exactExisting, existingCostAt, type ExistingFleet, type Overflow } from './existing.js';
export { batchRuns, serveBatch, drainBacklog, type ColdBlocks, type BatchWork, type BatchOutcome, type BacklogOutcome, type FreeCapacity, type Arrivals } from './batch.js';
export { fleetHoursAt, fleetHoursLazy, coldIndex, indexDemand, indexLag, deferredPass, deferredTrial, startDeferredTrial, deferredOption, type ColdIndex, type FleetHours, type ScaledFleet, type DeferScratch, type DeferredOutcome, type DeferredTrial, type DeferredFleet, type DeferredOption } from './deferred.js';
export { FLEET_CONVENTIONS } from './conventions.js';
export { FleetKernel, fleetKernelBytes, KERNEL_BINS, type WasmMemory } from './kernel.js';
export { hourOfWeekUse } from './how.js';
