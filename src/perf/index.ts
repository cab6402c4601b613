/**
 * The throughput model's public face (DESIGN §2; docs/perf.md):
 *
 *   memory:   weightBytes, kvBytesPerToken, memoryPlan, minTpThatFits
 *   speed:    decodeStep, prefillTime, throughputCurve
 *   capacity: replicaCapacity (once per Monte Carlo trial per option: O(1), ≤ 18 steps)
 *   fitting:  calibrate, updateProfileYaml (the `breakeven calibrate` command)
 */
export type { PerfConfig, MemoryPlan, DecodeStep } from './model.js';
export { weightBytes, kvBytesPerToken, memoryPlan, decodeStep, prefillTime, minTpThatFits, computeFormat } from './model.js';
export type { ReplicaCapacity, CapacityWorkload } from './capacity.js';
export { replicaCapacity, throughputCurve, doesNotFitReason } from './capacity.js';
export type { CalibrationPoint, CalibrationResult, PointResult, CalibrationBlock, Efficiency } from './calibrate.js';
export { calibrate, calibrationBlock, updateProfileYaml, predictMs, pointLabel, errorStats } from './calibrate.js';
export { isVllmResult, vllmPoints, guessWeights } from './vllm.js';
export type { VllmResult, VllmMapping } from './vllm.js';
export { perfMessages } from './messages.js';
