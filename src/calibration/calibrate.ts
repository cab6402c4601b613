/**
 * Calibration: fit a hardware profile's efficiency factors to measured decode steps and
 * prefills, with few free parameters tied by physics so the fit generalises:
 *
 *   η_w(bf16) = η_w(fp16)           one HBM streaming efficiency
 *   η_w(fp8)  = η_w(int8) = η_w(bf16)·r8   (r8: W8A8 activation-quantization kernels)
 *   η_w(int4), int4 knee            the int4 kernel (tinygemm or Marlin)
 *   η_kv                            KV-cache and activation traffic
 *   η_c(f)    = measured GEMM ceiling / datasheet peak (not fitted; decode is memory-bound)
 *   η_p(f)    = a·η_c(f)            one prefill factor over the GEMM ceilings
 *   t_fixed                         per-step overhead
 *
 * Least squares on log(predicted/measured) plus a weak prior pulling each factor to a
 * physical default (keeps a leave-one-out fit well posed when a point is the only one that
 * sees a factor). Nelder–Mead (`fit.ts`), deterministic.
 */
import { Document, isScalar, parseDocument, type Scalar } from 'yaml';
import type { z } from 'zod';
import type { Efficiency as EfficiencySchema, Hardware, Measurement, Model } from '../config/index.js';
import { nelderMead } from './fit.js';
import { DEFAULT_INT4_KNEE, decodeStep, prefillTime, type PerfConfig } from '../perf/index.js';

export type Efficiency = z.output<typeof EfficiencySchema>;

export interface CalibrationPoint {
  measurement: Measurement;
  model: Model;
}

export interface PointResult {
  /** 1-based position in the input */
  index: number;
  label: string;
  weights: string;
  phase: 'decode' | 'prefill';
  measuredMs: number;
  predictedMs: number;
  /** predicted / measured - 1 */
  error: number;
}

export interface CalibrationResult {
  efficiency: Efficiency;
  params: { name: string; value: number }[];
  /** every point predicted by the final fit (held-out ones excluded from it) */
  fitted: PointResult[];
  /** held-out predictions: explicit hold-out set, or leave-one-out over the fitted points */
  heldOut: PointResult[];
  heldOutMode: 'explicit' | 'leave-one-out' | 'none';
  medianAbsError: number;
  maxAbsError: number;
  heldOutMedianAbsError: number | null;
  heldOutMaxAbsError: number | null;
}

// ---------------------------------------------------------------------- parameterisation

interface Param {
  name: string;
  /** natural value from the optimiser's coordinate */
  toValue(x: number): number;
  toX(v: number): number;
  prior: number;
  /** is the parameter seen by this point? */
  sees(p: CalibrationPoint): boolean;
}

const logit = (v: number): number => Math.log(v / (1 - v));
const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));
const etaParam = (name: string, prior: number, sees: Param['sees']): Param => ({
  name,
  toValue: sigmoid,
  toX: logit,
  prior,
  sees,
});
const posParam = (name: string, prior: number, sees: Param['sees']): Param => ({
  name,
  toValue: Math.exp,
  toX: Math.log,
  prior,
  sees,
});

const isW8A8 = (p: CalibrationPoint): boolean => p.measurement.weights === 'fp8' || p.measurement.weights === 'int8';
const isInt4Decode = (p: CalibrationPoint): boolean => p.measurement.weights === 'int4' && p.measurement.phase === 'decode';

/**
 * Priors (physical defaults): HBM streaming reaches ~80 % of peak (the file's copy test:
 * 2.42 of 3.35 TB/s read+write, reads alone run higher); W8A8 adjustment 1; int4 dequant
 * kernels ~60 %; prefill at 90 % of the measured GEMM ceiling; 0.2 ms of per-step launches.
 */
function params(hw: Hardware): Param[] {
  return [
    etaParam('weights_stream.bf16', 0.8, () => true),
    posParam('weights_stream.fp8/bf16', 1, isW8A8),
    etaParam('weights_stream.int4', 0.6, isInt4Decode),
    etaParam('kv_read', 0.8, () => true),
    posParam('step_overhead_ms', 0.2, () => true),
    posParam('prefill/ceiling', 0.9, (p) => p.measurement.phase === 'prefill'),
    posParam('int4_batch_knee', DEFAULT_INT4_KNEE[hw.int4_kernel], isInt4Decode),
  ];
}

/** Prior weight on (ln(value/prior))²: weak next to the data's log errors (1 % error = 1e-4). */
const PRIOR_WEIGHT = 2e-4;

/** GEMM ceilings from a measurement file: "<fmt>_dense_TFLOPs…" / datasheet peak. */
export function computeEfficiencyFromCeilings(hw: Hardware, ceilings: Record<string, number> | undefined): Efficiency['compute'] {
  const out: Efficiency['compute'] = { ...hw.efficiency.compute };
  if (!ceilings) return out;
  for (const [key, v] of Object.entries(ceilings)) {
    const m = /^(bf16|fp16|fp8|int8)_dense_/.exec(key);
    const fmt = m?.[1] as 'bf16' | 'fp16' | 'fp8' | 'int8' | undefined;
    const peak = fmt ? hw.peak_tflops[fmt] : undefined;
    if (fmt && peak) out[fmt] = round3(Math.min(1, v / peak));
  }
  // fp16 runs at the bf16 tensor rate on every profiled GPU: its ceiling is bf16's
  const hasFp16 = Object.keys(ceilings).some((k) => k.startsWith('fp16_dense_'));
  if (out.bf16 !== undefined && !hasFp16 && hw.peak_tflops.fp16 !== undefined) out.fp16 = out.bf16;
  return out;
}

function round3(v: number): number {
  return Number(v.toPrecision(3));
}

function buildEfficiency(hw: Hardware, compute: Efficiency['compute'], values: number[], active: boolean[]): Efficiency {
  const cur = hw.efficiency;
  const get = (i: number, fallback: number | undefined): number | undefined => (active[i] ? round3(values[i]!) : fallback);
  const wBf16 = get(0, cur.weights_stream.bf16) ?? 0.8;
  const w8 = active[1] ? round3(Math.min(1, wBf16 * values[1]!)) : cur.weights_stream.fp8;
  const a = active[5] ? values[5]! : undefined;
  const pre = (f: 'bf16' | 'fp16' | 'fp8' | 'int8', c: number | undefined): number | undefined =>
    a !== undefined && c !== undefined ? round3(Math.min(1, a * c)) : cur.prefill[f];
  const eff: Efficiency = {
    weights_stream: strip({
      bf16: wBf16,
      fp16: wBf16,
      fp8: w8,
      int8: active[1] ? w8 : cur.weights_stream.int8,
      int4: get(2, cur.weights_stream.int4),
    }),
    kv_read: get(3, cur.kv_read) ?? cur.kv_read,
    compute: strip(compute),
    prefill: strip({
      bf16: pre('bf16', compute.bf16),
      fp16: pre('fp16', compute.fp16 ?? compute.bf16),
      fp8: pre('fp8', compute.fp8),
      int8: pre('int8', compute.int8),
      int4: a !== undefined && compute.bf16 !== undefined ? round3(Math.min(1, a * compute.bf16)) : cur.prefill.int4,
    }),
    step_overhead_ms: active[4] ? Number(values[4]!.toFixed(3)) : cur.step_overhead_ms,
  };
  const knee = active[6] ? Number(values[6]!.toFixed(1)) : cur.int4_batch_knee;
  if (knee !== undefined) eff.int4_batch_knee = knee;
  return eff;
}

function strip<T extends Record<string, number | undefined>>(o: T): T {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(o)) if (v !== undefined) out[k] = v;
  return out as T;
}

// ------------------------------------------------------------------------------ prediction

/** The model's prediction of one measured point, milliseconds. */
export function predictMs(hw: Hardware, p: CalibrationPoint): number {
  const m = p.measurement;
  const cfg: PerfConfig = { hardware: hw, model: p.model, weights: m.weights, kvCache: m.kv_cache, tp: m.tp ?? 1 };
  return m.phase === 'decode' ? decodeStep(cfg, m.batch, m.context_tokens).stepMs : prefillTime(cfg, m.prompt_tokens).ms;
}

export function pointLabel(p: CalibrationPoint): string {
  const m = p.measurement;
  const tp = m.tp && m.tp > 1 ? ` tp${m.tp}` : '';
  return m.phase === 'decode'
    ? `${m.model} ${m.weights}/kv ${m.kv_cache}${tp} decode B=${m.batch} ctx=${m.context_tokens}`
    : `${m.model} ${m.weights}${tp} prefill n=${m.prompt_tokens}`;
}

function measuredMs(p: CalibrationPoint): number {
  return p.measurement.phase === 'decode' ? p.measurement.step_ms : p.measurement.ms;
}

function results(hw: Hardware, pts: readonly CalibrationPoint[], idx: readonly number[]): PointResult[] {
  return idx.map((i) => {
    const p = pts[i]!;
    const meas = measuredMs(p);
    const pred = predictMs(hw, p);
    return { index: i + 1, label: pointLabel(p), weights: p.measurement.weights, phase: p.measurement.phase, measuredMs: meas, predictedMs: pred, error: pred / meas - 1 };
  });
}

// --------------------------------------------------------------------------------- fitting

function fitOn(hw: Hardware, compute: Efficiency['compute'], pts: readonly CalibrationPoint[], idx: readonly number[]): { efficiency: Efficiency; values: number[]; active: boolean[] } {
  const ps = params(hw);
  const sub = idx.map((i) => pts[i]!);
  const active = ps.map((p) => sub.some((pt) => p.sees(pt)));
  const free = ps.map((_, i) => i).filter((i) => active[i]);
  const values = ps.map((p) => p.prior);
  const base: Hardware = { ...hw, efficiency: { ...hw.efficiency, compute } };
  const meas = sub.map(measuredMs);
  const valuesFrom = (x: readonly number[]): number[] => {
    const v = [...values];
    free.forEach((pi, j) => (v[pi] = ps[pi]!.toValue(x[j]!)));
    return v;
  };
  const hwFrom = (v: number[]): Hardware => ({ ...base, efficiency: unrounded(base, compute, v, active) });
  const objective = (x: readonly number[]): number => {
    const v = valuesFrom(x);
    const h = hwFrom(v);
    let sse = 0;
    for (let k = 0; k < sub.length; k++) {
      const e = Math.log(predictMs(h, sub[k]!) / meas[k]!);
      sse += e * e;
    }
    for (const pi of free) {
      const d = Math.log(v[pi]! / ps[pi]!.prior);
      sse += PRIOR_WEIGHT * d * d;
    }
    return Number.isFinite(sse) ? sse : 1e9;
  };
  const x0 = free.map((pi) => ps[pi]!.toX(ps[pi]!.prior));
  const r = nelderMead(objective, x0, { step: 0.3, maxEvaluations: 4000, restarts: 2 });
  const v = valuesFrom(r.x);
  return { efficiency: buildEfficiency(base, compute, v, active), values: v, active };
}

/** Efficiency at full precision (for the optimiser; the written profile is rounded). */
function unrounded(hw: Hardware, compute: Efficiency['compute'], v: number[], active: boolean[]): Efficiency {
  const cur = hw.efficiency;
  const w = active[0] ? v[0]! : (cur.weights_stream.bf16 ?? 0.8);
  const w8 = active[1] ? Math.min(1, w * v[1]!) : cur.weights_stream.fp8;
  const a = active[5] ? v[5]! : undefined;
  const pre = (c: number | undefined, old: number | undefined): number | undefined => (a !== undefined && c !== undefined ? Math.min(1, a * c) : old);
  const eff: Efficiency = {
    weights_stream: strip({ bf16: w, fp16: w, fp8: w8, int8: active[1] ? w8 : cur.weights_stream.int8, int4: active[2] ? v[2]! : cur.weights_stream.int4 }),
    kv_read: active[3] ? v[3]! : cur.kv_read,
    compute,
    prefill: strip({
      bf16: pre(compute.bf16, cur.prefill.bf16),
      fp16: pre(compute.fp16 ?? compute.bf16, cur.prefill.fp16),
      fp8: pre(compute.fp8, cur.prefill.fp8),
      int8: pre(compute.int8, cur.prefill.int8),
      int4: pre(compute.bf16, cur.prefill.int4),
    }),
    step_overhead_ms: active[4] ? v[4]! : cur.step_overhead_ms,
  };
  const knee = active[6] ? v[6]! : cur.int4_batch_knee;
  if (knee !== undefined) eff.int4_batch_knee = knee;
  return eff;
}

function absStats(rs: readonly PointResult[]): { median: number; max: number } | null {
  if (rs.length === 0) return null;
  const a = rs.map((r) => Math.abs(r.error)).sort((x, y) => x - y);
  const mid = a.length >> 1;
  const median = a.length % 2 === 1 ? a[mid]! : (a[mid - 1]! + a[mid]!) / 2;
  return { median, max: a[a.length - 1]! };
}

export { absStats as errorStats };

/**
 * Fits the profile's efficiency factors to `points`. Points listed in `holdOut` (0-based)
 * are left out of the fit and predicted; without a hold-out set, every point is predicted by
 * a fit on the others (leave-one-out), unless `crossValidate` is false.
 * Cost: one fit ≈ 1-3 k model evaluations per point; leave-one-out multiplies by n.
 */
export function calibrate(
  hardware: Hardware,
  points: readonly CalibrationPoint[],
  opts: { ceilings?: Record<string, number> | undefined; holdOut?: readonly number[]; crossValidate?: boolean } = {},
): CalibrationResult {
  const compute = computeEfficiencyFromCeilings(hardware, opts.ceilings);
  const held = new Set(opts.holdOut ?? []);
  const fitIdx = points.map((_, i) => i).filter((i) => !held.has(i));
  const fit = fitOn(hardware, compute, points, fitIdx);
  const final: Hardware = { ...hardware, efficiency: fit.efficiency };
  const fitted = results(final, points, fitIdx);
  let heldOut: PointResult[] = [];
  let mode: CalibrationResult['heldOutMode'] = 'none';
  if (held.size > 0) {
    heldOut = results(final, points, [...held].sort((a, b) => a - b));
    mode = 'explicit';
  } else if (opts.crossValidate !== false && fitIdx.length > 1) {
    mode = 'leave-one-out';
    for (const i of fitIdx) {
      const f = fitOn(hardware, compute, points, fitIdx.filter((j) => j !== i));
      heldOut.push(...results({ ...hardware, efficiency: f.efficiency }, points, [i]));
    }
  }
  const fs = absStats(fitted) ?? { median: 0, max: 0 };
  const hs = absStats(heldOut);
  const ps = params(hardware);
  return {
    efficiency: fit.efficiency,
    params: ps.map((p, i) => ({ name: p.name, value: fit.values[i]! })).filter((_, i) => fit.active[i]),
    fitted,
    heldOut,
    heldOutMode: mode,
    medianAbsError: fs.median,
    maxAbsError: fs.max,
    heldOutMedianAbsError: hs?.median ?? null,
    heldOutMaxAbsError: hs?.max ?? null,
  };
}

// ----------------------------------------------------------------------------- profile file

export interface CalibrationBlock {
  fitted_on: string;
  date: string;
  points_fitted: number;
  points_held_out: number;
  median_abs_error: number;
  max_abs_error: number;
  held_out_median_abs_error?: number;
  held_out_max_abs_error?: number;
  note?: string;
}

export function calibrationBlock(r: CalibrationResult, fittedOn: string, date: string): CalibrationBlock {
  const r4 = (v: number): number => Number(v.toFixed(4));
  const block: CalibrationBlock = {
    fitted_on: fittedOn,
    date,
    points_fitted: r.fitted.length,
    points_held_out: r.heldOut.length,
    median_abs_error: r4(r.medianAbsError),
    max_abs_error: r4(r.maxAbsError),
  };
  if (r.heldOutMedianAbsError !== null && r.heldOutMaxAbsError !== null) {
    block.held_out_median_abs_error = r4(r.heldOutMedianAbsError);
    block.held_out_max_abs_error = r4(r.heldOutMaxAbsError);
  }
  const byFmt = absStats(r.heldOut.filter((p) => p.weights === 'bf16' || p.weights === 'fp8'));
  const how =
    r.heldOutMode === 'leave-one-out'
      ? `held-out errors are leave-one-out: each point predicted by a fit on the other ${r.fitted.length - 1}`
      : r.heldOutMode === 'explicit'
        ? `held-out errors over ${r.heldOut.length} points left out of the fit`
        : 'no held-out points';
  block.note =
    `${how}` +
    (byFmt ? `; bf16+fp8 only: median ${(byFmt.median * 100).toFixed(1)} %, max ${(byFmt.max * 100).toFixed(1)} %` : '') +
    `; errors are |predicted/measured - 1|. Written by breakeven calibrate.`;
  return block;
}

/**
 * Writes the fitted efficiency and calibration blocks into a profile's YAML text, keeping
 * everything else byte for byte: each existing number is replaced in place at its source
 * range (yaml Document API node ranges), a missing calibration block is appended, and only
 * when a new key must be added inside an existing map is the document re-serialised
 * (`parseDocument` + `setIn` + `toString`, comments kept, layout normalised).
 */
export function updateProfileYaml(text: string, eff: Efficiency, block: CalibrationBlock): string {
  const doc = parseDocument(text);
  const sets: { path: string[]; value: number }[] = [];
  for (const group of ['weights_stream', 'compute', 'prefill'] as const) {
    for (const [fmt, v] of Object.entries(eff[group])) {
      // int4 prefill defaults to the bf16 figure: no need to add a key that says the same
      if (v === undefined || (group === 'prefill' && fmt === 'int4' && v === eff.prefill.bf16 && !doc.hasIn(['efficiency', group, fmt]))) continue;
      sets.push({ path: ['efficiency', group, fmt], value: v });
    }
  }
  sets.push({ path: ['efficiency', 'kv_read'], value: eff.kv_read });
  sets.push({ path: ['efficiency', 'step_overhead_ms'], value: eff.step_overhead_ms });
  if (eff.int4_batch_knee !== undefined) sets.push({ path: ['efficiency', 'int4_batch_knee'], value: eff.int4_batch_knee });
  const allExist = sets.every((s) => isScalar(doc.getIn(s.path, true)));
  if (!allExist) {
    // structural change: let the Document API do it
    for (const s of sets) doc.setIn(s.path, s.value);
    return updateProfileYaml(doc.toString({ lineWidth: 0 }), eff, block);
  }
  const edits = sets.map((s) => {
    const node = doc.getIn(s.path, true) as Scalar;
    const [a, b] = node.range ?? [0, 0];
    return { a, b, text: String(s.value) };
  });
  edits.sort((x, y) => y.a - x.a);
  let out = text;
  for (const e of edits) out = out.slice(0, e.a) + e.text + out.slice(e.b);
  out = replaceEfficiencyComment(out, block);
  const cal = new Document({ calibration: block }).toString({ lineWidth: 0 });
  // an existing top-level calibration block (to the next top-level key) is replaced
  const lines = out.split('\n');
  const c = lines.findIndex((l) => /^calibration:/.test(l));
  if (c >= 0) {
    let end = c + 1;
    while (end < lines.length && !/^[^\s#]/.test(lines[end]!)) end++;
    lines.splice(c, end - c, ...cal.replace(/\n$/, '').split('\n'));
    const res = lines.join('\n');
    return res.endsWith('\n') ? res : `${res}\n`;
  }
  return `${out.endsWith('\n') ? out : `${out}\n`}${cal}`;
}

const EFFICIENCY_COMMENT = (b: CalibrationBlock): string =>
  `# Fitted by \`breakeven calibrate\` to ${b.fitted_on} on ${b.date}; errors in \`calibration\` below.`;

/** Replaces the comment lines directly above `efficiency:` with one saying it was fitted. */
function replaceEfficiencyComment(text: string, b: CalibrationBlock): string {
  const lines = text.split('\n');
  const i = lines.findIndex((l) => /^efficiency:/.test(l));
  if (i < 0) return text;
  let j = i;
  while (j > 0 && /^#/.test(lines[j - 1]!)) j--;
  lines.splice(j, i - j, EFFICIENCY_COMMENT(b));
  return lines.join('\n');
}
