/**
 * Traffic's public face (DESIGN §3): hourly demand paths over the horizon.
 *
 *   shapes.ts  hour-of-week factors (daily and weekly presets or custom), mean 1
 *   path.ts    demand(h) = base × growth × shape × noise × bursts, filled in place; the
 *              busiest-minute need (PEAK_MINUTE_Z)
 *   trace.ts   a measured hourly trace instead of the synthetic path
 */
export { hourOfWeekFactors, normaliseMean1, DAILY_PRESETS, WEEKLY_PRESETS } from './shapes.js';
export type { DailyPreset, WeeklyPreset } from './shapes.js';
export { fillDemandPath, pathShape, DemandKernel, fastNormal, peakNeed, poisson, HOURS_PER_MONTH, PEAK_MINUTE_Z } from './path.js';
export type { PathParams, PathStats, BurstParams, NeedOut } from './path.js';
export { readTrace } from './trace.js';
