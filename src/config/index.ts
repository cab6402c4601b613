/**
 * The config layer's public face: read YAML/JSON files, validate them against the schema of
 * their kind, resolve references into a LoadedWorkload; bad input becomes a ConfigError
 * listing every problem with its file, field path and rule.
 *
 *   loadFile(f)      one file of any kind, validated
 *   loadCatalog()    bundled hardware, models and APIs (+ extra files)
 *   loadWorkload(f)  a scenario with its catalog entries resolved
 */
export { ConfigError, formatProblems, formatProblem } from './problems.js';
export type { Problem } from './problems.js';
export {
  BUNDLED_ROOT,
  defaultWorkloadPath,
  loadFile,
  loadData,
  loadCatalog,
  loadWorkload,
  loadWorkloadData,
  loadEmbedded,
  usedCatalog,
  portableName,
  optionId,
  optionLabel,
  shownName,
  SHARE_TOLERANCE,
  prepareSchemas,
} from './load.js';
export type { Catalog, EmbeddedCatalog, LoadedWorkload, ResolvedOption } from './load.js';
export type { FileKind, Hardware, Model, Api, Option, Workload, Fleet, Measurement, Engine, KvFormat, WeightFormat, Efficiency } from './schema.js';
export { evaluateNumber, MAX_EXPRESSION_LENGTH } from './expr.js';
export { makeDist, clampBounds, type DistSpecInput, type MakeResult } from './make-dist.js';
export type { Range } from './range.js';
export { suggestSimilar } from './suggest.js';
