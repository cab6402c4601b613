export { hourOfWeekFactors, normaliseMean1, DAILY_PRESETS, WEEKLY_PRESETS } from './shapes.js';
export type { DailyPreset, WeeklyPreset } from './shapes.js';
export { fillDemandPath, fastNormal, peakNeed, poisson, HOURS_PER_MONTH, PEAK_MINUTE_Z } from './path.js';
export type { PathParams, PathStats, BurstParams } from './path.js';
export { readTrace } from './trace.js';
