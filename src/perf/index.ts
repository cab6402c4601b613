/**
 * The throughput model's public face (DESIGN §2, §2b; docs/perf.md):
 *
 *   memory:   weightBytes, kvBytesPerToken, usableBytes, memoryPlan, minTpThatFits, doesNotFitReason
 *   speed:    decodeStep, prefillTime, throughputCurve (kernel level, calibrated)
 *   serving:  engineCaps, replicaCapacity (continuous batching at steady state; once per Monte
 *             Carlo trial per option: O(1), ≤ ~18 steps), ttftUtilisation (M/G/c TTFT bound)
 *   check:    simulateRequests (request-level discrete-event simulation of the same engine)
 */
export type { PerfConfig, MemoryPlan, DecodeStep } from './model.js';
export { DEFAULT_INT4_KNEE } from './constants.js';
export { weightBytes, kvBytesPerToken, usableBytes, memoryPlan, decodeStep, prefillTime, minTpThatFits, computeFormat } from './model.js';
export type { ReplicaCapacity, CapacityWorkload, PrefixCache, PrefixEffect, EngineCaps, BatchLimit, TtftEstimate, SharedInputs, TtftParts } from './capacity.js';
export { STEP_RULE } from './model.js';
export { CAPACITY_RULE, replicaCapacity, promptChunking, sumOfWaitsQuantile, sharedWork, prefixHit, engineCaps, engineStepMs, ttftAt, ttftBreakdown, ttftUtilisation, tableFormats, throughputCurve, doesNotFitReason, maxBatchWithinTpot, largestBatchWithin } from './capacity.js';
export { maxUtilisationForTtft, meanWaitS, othersInWindow, probabilityOfWait, renewalCount, slotWait, type QueueInput, type UtilisationBound } from './queue.js';
export { simulateRequests, type RequestSimInput, type RequestSimResult } from './request-sim.js';
export { throughputSource, TRANSFER_CHECK, type ThroughputSource } from './provenance.js';
export { perfMessages } from './messages.js';
