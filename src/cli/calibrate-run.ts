/**
 * What `breakeven calibrate` does once its options are parsed (calibrate.ts declares the
 * command; this module loads only when it runs): fit a hardware profile's efficiency factors
 * to measured points (a measurements file, or vLLM `bench serve --save-result` JSON), print
 * predicted vs measured for every point with leave-one-out (or explicit hold-out) errors, and with
 * --write update the profile's YAML (comments and layout kept).
 */
import { basename, resolve as resolvePath } from 'node:path';
import type { CliIO } from './io.js';
import { UserError } from './io.js';
import { ConfigError, formatProblems, loadData, loadFile, type Hardware, type Measurement } from '../config/index.js';
import { readUserFile, throwIfStopped, writeFileOrStop } from './files.js';
import { describeReadFailure, readInputFile } from '../util/read-input.js';
import { safeLines, safeText } from '../util/terminal.js';
import type { KvFormat, WeightFormat } from '../config/index.js';
import {
  calibrate,
  calibrationBlock,
  checkOneModel,
  fitServing,
  parseServingFile,
  type ServingPoint,
  errorStats,
  guessWeights,
  isVllmResult,
  updateProfileYaml,
  vllmPoints,
  type CalibrationPoint,
  type CalibrationResult,
  type PointResult,
} from '../calibration/index.js';
import { loadPerfCatalog, lookup } from './perf-run.js';
import { engineCaps } from '../perf/index.js';
import type { Engine, Model } from '../config/index.js';

export interface CalibrateOpts {
  hardware: string;
  measurements?: string[];
  serving?: string[];
  engine: string;
  write?: boolean;
  holdOut?: string;
  json?: boolean;
  catalogRoot?: string;
  model?: string;
  weights?: WeightFormat;
  kvCache: KvFormat;
  tp: number;
  int4Kernel?: 'tinygemm' | 'marlin';
  date?: string;
}

/** Run `calibrate` with parsed options (the declaration's action). */
export async function runCalibrate(io: CliIO, opts: CalibrateOpts): Promise<void> {
  const cat = loadPerfCatalog(io, opts.catalogRoot);
  const entry = lookup(cat.hardware, 'hardware', opts.hardware);
  const hw = entry.profile;
  if (opts.serving !== undefined) {
    if (opts.measurements !== undefined) throw new UserError('--serving and --measurements fit different things (engine factors, kernel factors): one at a time');
    calibrateServing(io, hw, lookup(cat.engines, 'engine', opts.engine).engine, opts, cat.models);
    return;
  }
  if (opts.measurements === undefined) throw new UserError('calibrate needs --measurements (kernel-level points) or --serving (serving benchmarks)');
  const measurements = opts.measurements;
  const read = measurements.map((f) => readMeasurements(io, f, opts, [...cat.models.keys()]));
  const points: CalibrationPoint[] = [];
  const skipped: string[] = [];
  let ceilings: Record<string, number> | undefined;
  for (const r of read) {
    ceilings ??= r.ceilings;
    for (const m of r.measurements) {
      if (m.weights === 'int4' && r.int4Kernel !== undefined && r.int4Kernel !== hw.int4_kernel) {
        skipped.push(`${m.model} int4 ${m.phase}: measured with ${r.int4Kernel}, ${hw.id} models ${hw.int4_kernel} (use --int4-kernel to override)`);
        continue;
      }
      points.push({ measurement: m, model: lookup(cat.models, 'model', m.model).model });
    }
  }
  if (points.length === 0) throw new UserError('no measured points to fit');
  const holdOut = parseHoldOut(opts.holdOut, points.length);
  const result = calibrate(hw, points, { ceilings, holdOut });
  checkFitFinite(result);
  throwIfStopped(io);
  const fittedOn = measurements.map((f) => basename(f)).join(', ');
  const block = calibrationBlock(result, fittedOn, opts.date ?? new Date().toISOString().slice(0, 10));
  if (opts.json) io.out(`${JSON.stringify({ hardware: hw.id, efficiency: result.efficiency, calibration: block, fitted: result.fitted, held_out: result.heldOut, held_out_mode: result.heldOutMode, skipped }, null, 2)}\n`);
  else io.out(safeLines(report(hw, result, skipped)));
  if (opts.write) {
    const text = readUserFile(entry.file, entry.file);
    const updated = updateProfileYaml(text, result.efficiency, block);
    // check the profile as the loader will read it, before it replaces the old one
    const problems = await checkProfileText(entry.file, updated);
    if (problems) throw new UserError(`the updated profile would not load, so ${safeText(entry.file)} was not changed:\n${problems}`);
    await writeFileOrStop(io, entry.file, updated, entry.file);
    io.err(`wrote efficiency and calibration to ${safeText(entry.file)}\n`);
  }
}



/**
 * `calibrate --serving`: the engine's kernel_efficiency and scheduler_ms on this GPU from
 * serving benchmarks, with leave-one-out errors and a warning when the points cannot
 * determine them. Prints the preset lines to put in engines/<id>.yaml (or a copy of it).
 */
function calibrateServing(io: CliIO, hw: Hardware, engine: Engine, o: CalibrateOpts, models: Map<string, { model: Model }>): void {
  const points: ServingPoint[] = [];
  for (const f of o.serving ?? []) {
    // the one input reader: regular files only, size-capped while reading
    const text = readUserFile(f, resolvePath(io.cwd, f));
    const r = parseServingFile(f, text);
    if (!r.ok) throw new UserError(r.message);
    points.push(...r.points);
  }
  const mixed = checkOneModel(points);
  if (mixed !== null) throw new UserError(mixed);
  const modelIds = [...models.keys()];
  const firstId = points.find((p) => p.modelId !== null)?.modelId ?? undefined;
  const modelId = o.model ?? guessModel(firstId, modelIds);
  if (modelId === undefined) throw new UserError(`cannot tell the model${firstId ? ` from "${firstId}"` : ''}: pass --model <id>`);
  const model = lookup(models, 'model', modelId).model;
  const weights = o.weights ?? guessWeights(firstId) ?? 'bf16';
  const cfg = { hardware: hw, model, weights, kvCache: o.kvCache, tp: o.tp };
  const fit = fitServing(cfg, engineCaps(engine, hw), points);
  if (o.json) {
    io.out(`${JSON.stringify({ hardware: hw.id, engine: engine.id, model: model.id, weights, kv_cache: o.kvCache, tp: o.tp, kernel_efficiency: fit.kernelEfficiency, scheduler_ms: fit.schedulerMs, median_abs_error: fit.medianAbsError, max_abs_error: fit.maxAbsError, held_out_median_abs_error: fit.heldOutMedianAbsError, held_out_max_abs_error: fit.heldOutMaxAbsError, warning: fit.warning, points: fit.fitted.map((p, i) => ({ source: p.point.source, input_tokens: p.point.inputTokens, output_tokens: p.point.outputTokens, concurrency: p.point.concurrency, measured_output_tokens_per_s: p.point.outputTokensPerS, predicted_output_tokens_per_s: p.predictedTokS, error: p.error, leave_one_out_error: fit.heldOut[i]?.error ?? null })) }, null, 2)}\n`);
  } else {
    const pct = (v: number): string => `${v >= 0 ? '+' : ''}${(v * 100).toFixed(1)} %`;
    const lines = [`serving calibration of ${engine.id} on ${hw.id}: ${model.id} ${weights} (KV ${o.kvCache}) tp ${o.tp}, output tok/s`, ''];
    fit.fitted.forEach((p, i) => {
      const h = fit.heldOut[i];
      lines.push(`${String(i + 1).padStart(3)}  ${`${Math.round(p.point.inputTokens)}/${Math.round(p.point.outputTokens)} c=${p.point.concurrency ?? 'max'}`.padEnd(22)} measured ${p.point.outputTokensPerS.toFixed(0).padStart(7)}  predicted ${p.predictedTokS.toFixed(0).padStart(7)} ${pct(p.error).padStart(8)}${h ? `  leave-one-out ${pct(h.error).padStart(8)}` : ''}  (${p.point.source})`);
    });
    lines.push('', `fitted (${fit.fitted.length}): median |error| ${(fit.medianAbsError * 100).toFixed(1)} %, max ${(fit.maxAbsError * 100).toFixed(1)} %`);
    if (fit.heldOutMedianAbsError !== null) lines.push(`leave-one-out: median |error| ${(fit.heldOutMedianAbsError * 100).toFixed(1)} %, max ${((fit.heldOutMaxAbsError ?? 0) * 100).toFixed(1)} %`);
    lines.push('', `engines/${engine.id}.yaml for ${hw.id}:`, `  kernel_efficiency: ${fit.kernelEfficiency}`, `  scheduler_ms: ${fit.schedulerMs}`);
    io.out(`${lines.join('\n')}\n`);
  }
  if (fit.warning !== null) io.err(`warning: ${fit.warning}\n`);
}

interface ReadFile {
  measurements: Measurement[];
  ceilings?: Record<string, number>;
  int4Kernel?: 'tinygemm' | 'marlin';
}

function readMeasurements(io: CliIO, file: string, o: CalibrateOpts, modelIds: string[]): ReadFile {
  const abs = resolvePath(io.cwd, file);
  const read = readInputFile(abs);
  if (!read.ok) throw new UserError(`${safeText(file)}: ${describeReadFailure(read)}`);
  let raw: unknown;
  try {
    raw = JSON.parse(read.text.replace(/^\uFEFF/, ''));
  } catch {
    raw = undefined; // YAML or bad JSON: the config loader reports it
  }
  const list = Array.isArray(raw) ? raw : [raw];
  if (raw !== undefined && list.every(isVllmResult)) {
    const out: Measurement[] = [];
    for (const r of list) {
      const model = o.model ?? guessModel(r.model_id, modelIds);
      if (model === undefined) throw new UserError(`${file}: cannot tell the model from model_id "${r.model_id ?? ''}": pass --model <id>`);
      const mapped = vllmPoints(r, { model, weights: o.weights ?? guessWeights(r.model_id) ?? 'bf16', kvCache: o.kvCache, tp: o.tp });
      if (!mapped.ok) throw new UserError(`${file}: ${mapped.message}`);
      out.push(...mapped.points);
    }
    // vLLM points pass the measurements schema like any file's (a result without
    // total_output_tokens gave NaN contexts, and the fit wrote .nan into the profile)
    try {
      loadData({ kind: 'measurements', gpu: o.hardware, measurements: out }, `${safeText(file)} (as measurements)`);
    } catch (e) {
      if (e instanceof ConfigError) throw new UserError(formatProblems(e.problems));
      throw e;
    }
    return o.int4Kernel ? { measurements: out, int4Kernel: o.int4Kernel } : { measurements: out };
  }
  try {
    const loaded = loadFile(abs, { cwd: io.cwd });
    if (loaded.kind !== 'measurements') throw new UserError(`${file} is a ${loaded.kind} file, not measurements`);
    const d = loaded.data as { measurements: Measurement[]; ceilings_measured?: Record<string, number>; method?: string };
    const kernel = o.int4Kernel ?? (/tinygemm/i.test(d.method ?? '') ? 'tinygemm' : /marlin/i.test(d.method ?? '') ? 'marlin' : undefined);
    return {
      measurements: d.measurements,
      ...(d.ceilings_measured ? { ceilings: d.ceilings_measured } : {}),
      ...(kernel ? { int4Kernel: kernel } : {}),
    };
  } catch (e) {
    if (e instanceof ConfigError) throw new UserError(formatProblems(e.problems));
    throw e;
  }
}

/** A fit with a non-finite factor or error is refused (exit 2), never printed or written. */
function checkFitFinite(r: CalibrationResult): void {
  const bad: string[] = [];
  const walk = (v: unknown, path: string) => {
    if (typeof v === 'number' && !Number.isFinite(v)) bad.push(`${path} = ${v}`);
    else if (Array.isArray(v)) v.forEach((x, i) => walk(x, `${path}[${i}]`));
    else if (v !== null && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, path ? `${path}.${k}` : k);
  };
  walk(r.efficiency, 'efficiency');
  for (const p of r.params) walk(p.value, p.name);
  walk(r.medianAbsError, 'median |error|');
  walk(r.maxAbsError, 'max |error|');
  if (bad.length > 0) throw new UserError(`the fit did not converge to finite values (${bad.slice(0, 5).join(', ')}); check the measured points`);
}

/** Problems of a hardware profile's YAML text, as `validate` would report them; '' when none. */
async function checkProfileText(file: string, text: string): Promise<string> {
  const { parse: parseYaml } = await import('yaml');
  let data: unknown;
  try {
    data = parseYaml(text);
  } catch (e) {
    return `${safeText(file)}: ${(e as Error).message}`;
  }
  try {
    loadData(data, safeText(file));
    return '';
  } catch (e) {
    if (e instanceof ConfigError) return formatProblems(e.problems);
    throw e;
  }
}

function guessModel(modelId: string | undefined, ids: string[]): string | undefined {
  if (!modelId) return undefined;
  const s = (modelId.split('/').pop() ?? modelId).toLowerCase();
  const hits = ids.filter((id) => s.startsWith(id) || s.includes(id)).sort((a, b) => b.length - a.length);
  return hits[0];
}

/** "3" → 3 points spread evenly; "2,5" → points 2 and 5 (1-based). Returns 0-based indexes. */
export function parseHoldOut(v: string | undefined, n: number): number[] {
  if (v === undefined) return [];
  const bad = (): never => {
    throw new UserError(`option '--hold-out <n|list>' argument '${v}' is invalid: must be a count below ${n} or a comma list of point numbers 1..${n}`);
  };
  if (v.includes(',')) {
    const idx = v.split(',').filter((s) => s.trim() !== '').map((s) => Number(s.trim()));
    if (idx.some((i) => !Number.isInteger(i) || i < 1 || i > n) || idx.length >= n) bad();
    return [...new Set(idx.map((i) => i - 1))];
  }
  const k = Number(v);
  if (!Number.isInteger(k) || k < 0 || k >= n) bad();
  const out: number[] = [];
  for (let j = 0; j < k; j++) out.push(Math.min(n - 1, Math.floor(((j + 0.5) * n) / k)));
  return [...new Set(out)];
}

function report(hw: Hardware, r: CalibrationResult, skipped: string[]): string {
  const pct = (v: number): string => `${v >= 0 ? '+' : ''}${(v * 100).toFixed(1)} %`;
  const apct = (v: number | null): string => (v === null ? '-' : `${(v * 100).toFixed(1)} %`);
  const held = new Map(r.heldOut.map((p) => [p.index, p]));
  const w = Math.max(...r.fitted.map((p) => p.label.length), ...r.heldOut.map((p) => p.label.length), 5);
  const lines = [`calibration of ${hw.id}: predicted vs measured (ms)`, ''];
  const holdHead = r.heldOutMode === 'leave-one-out' ? 'leave-one-out' : r.heldOutMode === 'explicit' ? 'held out' : '';
  lines.push(`${'#'.padStart(3)}  ${'point'.padEnd(w)}  ${'measured'.padStart(9)}  ${'predicted'.padStart(9)}  ${'error'.padStart(8)}${holdHead ? `  ${holdHead.padStart(13)}` : ''}`);
  const row = (p: PointResult, fitted: boolean): string => {
    const h = held.get(p.index);
    const cv = r.heldOutMode === 'leave-one-out' && h ? `${h.predictedMs.toFixed(3).padStart(9)} ${pct(h.error).padStart(8)}` : '';
    return `${String(p.index).padStart(3)}  ${p.label.padEnd(w)}  ${p.measuredMs.toFixed(3).padStart(9)}  ${p.predictedMs.toFixed(3).padStart(9)}  ${(fitted ? pct(p.error) : `(${pct(p.error)})`).padStart(8)}${cv ? `  ${cv}` : ''}`;
  };
  const all = [...r.fitted.map((p) => ({ p, fitted: true })), ...(r.heldOutMode === 'explicit' ? r.heldOut.map((p) => ({ p, fitted: false })) : [])].sort((a, b) => a.p.index - b.p.index);
  for (const { p, fitted } of all) lines.push(row(p, fitted));
  lines.push('');
  lines.push(`fitted points (${r.fitted.length}): median |error| ${apct(r.medianAbsError)}, max ${apct(r.maxAbsError)}`);
  if (r.heldOutMode !== 'none') {
    lines.push(`${r.heldOutMode === 'leave-one-out' ? 'leave-one-out' : 'held-out points'} (${r.heldOut.length}): median |error| ${apct(r.heldOutMedianAbsError)}, max ${apct(r.heldOutMaxAbsError)}`);
    const bf = errorStats(r.heldOut.filter((p) => p.weights === 'bf16' || p.weights === 'fp8'));
    if (bf) lines.push(`  of which bf16 and fp8: median ${apct(bf.median)}, max ${apct(bf.max)}`);
  }
  lines.push('', 'fitted factors:');
  for (const p of r.params) lines.push(`  ${p.name.padEnd(26)} ${p.value.toPrecision(3)}`);
  const e = r.efficiency;
  lines.push(`efficiency: weights_stream ${JSON.stringify(e.weights_stream)}, kv_read ${e.kv_read}, compute ${JSON.stringify(e.compute)}, prefill ${JSON.stringify(e.prefill)}, step_overhead_ms ${e.step_overhead_ms}${e.int4_batch_knee !== undefined ? `, int4_batch_knee ${e.int4_batch_knee}` : ''}`);
  for (const s of skipped) lines.push(`skipped: ${s}`);
  return `${lines.join('\n')}\n`;
}
