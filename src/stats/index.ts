/**
 * Statistics on per-trial results (the bottom layer: imports nothing of the project).
 *
 *   quantiles.ts  type-7 quantiles, summaries, ECDF, compensated sums
 *   rank.ts       ranks, Spearman and Pearson correlations
 *   histogram.ts  log-spaced histograms
 */
export type { Quantiles } from './quantiles.js';
export { summarize, quantileSorted, sortedFinite, ecdfAt, sum } from './quantiles.js';
export { spearman, rankCorrelations, ranks, pearson } from './rank.js';
export { logHistogram, type LogHistogram } from './histogram.js';
