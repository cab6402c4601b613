/**
 * Reports: result → Vega-Lite specs → SVG (in Node) → self-contained HTML; result JSON and
 * per-trial CSV writers; comparison of two results.
 */
export { renderReport, answerSentence, reproduceCommand, type ReportOptions } from './html.js';
export { headline, recommended, verdictOf, verdictGroups, optionFacts, versusFacts, versusOption, optionShortName, judgesSlo, VERDICT_TITLES, type Verdict } from './headline.js';
export { buildChartSpecs, throughputCharts, earlyCharts, type ChartSpec } from './specs.js';
export { startRenderWorker, inThreadRenderer, renderCharts, type ChartRenderer, type RenderedChart } from './render.js';
export { writeOutputs, stageOutputs, resultJson, trialsCsv, type WriteOutputsOptions } from './outputs.js';
export { parseResultJson, diffResults, formatDiffText, renderCompareHtml, ResultFileError, type ResultDiff } from './compare.js';
export { escapeHtml, formatTokens, formatUsd, formatPercent, formatNumber } from './format.js';
export * as format from './format.js';
export { renderPlanReport, planJson, PLAN_REPORT_ROWS } from './plan-html.js';
export { buildPlanChartSpecs } from './plan-specs.js';
