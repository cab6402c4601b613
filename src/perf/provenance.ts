/**
 * How a GPU's throughput is known (README "How each GPU's throughput is known"): fitted on its
 * own measurements, transferred from a calibrated GPU by the transfer rule, or an estimate.
 * Words users read come from here: the report's first screen and the methodology.
 */
import type { Hardware } from '../config/index.js';

export interface ThroughputSource {
  kind: 'fitted' | 'transferred' | 'estimate';
  /** the calibrated profile a transferred GPU copies */
  from: string | null;
  text: string;
}

/**
 * Checked transfer between the two measured GPUs: H100 SXM factors predicting the H200's 7
 * bf16/fp8 kernel steps (bench/transfer-check.ts, 2026-11-30).
 */
export const TRANSFER_CHECK = { from: 'h100-sxm', to: 'h200', points: 7, medianAbsError: 0.05, maxAbsError: 0.105 } as const;

const pct = (x: number): string => `${(x * 100).toFixed(1)} %`;

/** The source of a profile's efficiency factors, in words. O(1). */
export function throughputSource(hw: Hardware): ThroughputSource {
  const c = hw.calibration;
  if (c !== undefined) {
    const held = c.held_out_median_abs_error !== undefined ? `; held out: median ${pct(c.held_out_median_abs_error)}, worst ${pct(c.held_out_max_abs_error ?? 0)}` : '';
    return { kind: 'fitted', from: null, text: `fitted on ${c.points_fitted} measured points (${c.fitted_on}, ${c.date})${held}` };
  }
  const from = hw.efficiency_transferred_from;
  if (from !== undefined) {
    const t = TRANSFER_CHECK;
    return {
      kind: 'transferred',
      from,
      text: `not measured: efficiency transferred from ${from} (the transfer ${t.from} → ${t.to} errs by median ${pct(t.medianAbsError)}, worst ${pct(t.maxAbsError)} on ${t.points} points; across architectures unchecked)`,
    };
  }
  return { kind: 'estimate', from: null, text: 'not measured: efficiency factors are estimates' };
}
