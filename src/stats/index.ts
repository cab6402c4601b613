/** Summaries of per-trial results: quantiles, rank correlations, histograms, ECDF. */
export { summarize, quantileSorted, sortedFinite, ecdfAt, sum } from './quantiles.js';
export { spearman, rankCorrelations, ranks, pearson } from './rank.js';
export { logHistogram, type LogHistogram } from './histogram.js';
