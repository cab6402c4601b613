/**
 * The throughput model's public face (DESIGN §2; docs/perf.md):
 *
 *   memory:   weightBytes, kvBytesPerToken, memoryPlan, minTpThatFits
 *   speed:    decodeStep, prefillTime, throughputCurve
 *   capacity: replicaCapacity (once per Monte Carlo trial per option: O(1), ≤ 18 steps)
 */
export type { PerfConfig, MemoryPlan, DecodeStep } from './model.js';
export { DEFAULT_INT4_KNEE } from './constants.js';
export { weightBytes, kvBytesPerToken, memoryPlan, decodeStep, prefillTime, minTpThatFits, computeFormat } from './model.js';
export type { ReplicaCapacity, CapacityWorkload } from './capacity.js';
export { replicaCapacity, throughputCurve, doesNotFitReason } from './capacity.js';
export { perfMessages } from './messages.js';
