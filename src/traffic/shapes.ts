/**
 * Daily and weekly demand shapes: named presets or custom multipliers, normalised to mean 1,
 * combined into one 168-hour "hour of week" factor (hour 0 = Monday 00:00).
 */

/** Presets, hourly multipliers (before normalisation). Sources: typical SaaS/consumer load curves. */
export const DAILY_PRESETS = {
  flat: Array<number>(24).fill(1),
  // office hours 8-18 local, low overnight
  'business-hours': [
    0.25, 0.2, 0.2, 0.2, 0.25, 0.35, 0.6, 1.0, 1.6, 1.9, 2.0, 2.0, 1.8, 1.9, 2.0, 1.9, 1.7, 1.3, 0.9, 0.7, 0.55, 0.45,
    0.35, 0.3,
  ],
  // consumer apps: evening peak 19-23
  'consumer-evening': [
    0.6, 0.45, 0.35, 0.3, 0.3, 0.35, 0.5, 0.7, 0.85, 0.9, 0.95, 1.0, 1.05, 1.0, 1.0, 1.0, 1.05, 1.15, 1.35, 1.6, 1.8,
    1.85, 1.6, 1.0,
  ],
  // batch jobs run 00-06
  'nightly-batch': [
    3.0, 3.2, 3.2, 3.0, 2.6, 1.8, 0.6, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.6,
    1.8,
  ],
} as const satisfies Record<string, readonly number[]>;

export const WEEKLY_PRESETS = {
  flat: [1, 1, 1, 1, 1, 1, 1],
  // Monday..Sunday
  weekdays: [1.2, 1.2, 1.2, 1.2, 1.15, 0.55, 0.5],
  'weekend-heavy': [0.9, 0.9, 0.9, 0.9, 1.0, 1.25, 1.25],
} as const satisfies Record<string, readonly number[]>;

export type DailyPreset = keyof typeof DAILY_PRESETS;
export type WeeklyPreset = keyof typeof WEEKLY_PRESETS;

/** Scale a shape to mean 1. A shape of all zeros stays flat (validation refuses it first). */
export function normaliseMean1(shape: readonly number[]): number[] {
  let sum = 0;
  for (const v of shape) sum += v;
  if (!(sum > 0)) return shape.map(() => 1);
  const k = shape.length / sum;
  return shape.map((v) => v * k);
}

/**
 * 168 hour-of-week factors (mean 1) from a daily and a weekly shape.
 * @example hourOfWeekFactors('flat', 'flat') // 168 ones
 */
export function hourOfWeekFactors(
  daily: DailyPreset | readonly number[],
  weekly: WeeklyPreset | readonly number[],
): Float64Array {
  const d = normaliseMean1(typeof daily === 'string' ? DAILY_PRESETS[daily] : daily);
  const w = normaliseMean1(typeof weekly === 'string' ? WEEKLY_PRESETS[weekly] : weekly);
  const out = new Float64Array(168);
  for (let day = 0; day < 7; day++) for (let h = 0; h < 24; h++) out[day * 24 + h] = d[h]! * w[day]!;
  return out;
}
