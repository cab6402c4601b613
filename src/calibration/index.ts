/**
 * Calibration's public face: fit a GPU profile's efficiency factors to measured step times
 * (the `breakeven calibrate` command). Sits beside sim, above perf and config:
 *
 *   measurements (ours, vLLM bench JSON → vllm.ts) → calibrate (Nelder–Mead, fit.ts,
 *   leave-one-out error) → calibrationBlock / updateProfileYaml (the profile's YAML)
 */
export type { CalibrationPoint, CalibrationResult, PointResult, CalibrationBlock, Efficiency } from './calibrate.js';
export { calibrate, calibrationBlock, updateProfileYaml, predictMs, pointLabel, errorStats } from './calibrate.js';
export { isVllmResult, vllmPoints, guessWeights } from './vllm.js';
export type { VllmResult, VllmMapping } from './vllm.js';
export { nelderMead } from './fit.js';
export { parseServingFile, fitServing, checkOneModel } from './serving.js';
export type { ServingPoint, ServingFit, ServingPrediction, ServingParse } from './serving.js';
