/**
 * Calibrating a serving engine on a GPU from serving benchmarks: the points people already
 * have. Three formats:
 *
 *   vLLM   `vllm bench serve --save-result` JSON, one file per `--max-concurrency` (fields:
 *          max_concurrency, completed, total_input_tokens, total_output_tokens,
 *          output_throughput, mean_tpot_ms, mean_ttft_ms, model_id)
 *   TRT    `trtllm-bench throughput` console output (maximum load: "Total Output Throughput
 *          (tokens/sec):", "Average Input Length (tokens):", "Average Output Length (tokens):",
 *          "Average time-per-output-token [TPOT] (ms):", "Model:")
 *   CSV    header `isl,osl,concurrency,output_tok_s,tpot_ms,ttft_ms` (concurrency empty or
 *          "inf" = maximum load; tpot_ms/ttft_ms may be empty)
 *
 * The fit: the engine's kernel_efficiency and scheduler_ms (the two factors of its step,
 * capacity.ts) by least squares on log(predicted/measured) of output tok/s and TPOT, each point
 * predicted by `replicaCapacity` with the engine's max sequences capped at the benchmark's
 * concurrency (a closed loop of C clients keeps C sequences running). Nelder–Mead, then
 * leave-one-out: each point predicted by a fit on the others. O(points² × ~2,000 capacities).
 */
import type { PerfConfig } from '../perf/index.js';
import { replicaCapacity, type EngineCaps } from '../perf/index.js';
import { nelderMead } from './fit.js';

export interface ServingPoint {
  /** file (and row) it came from */
  source: string;
  /** model id as the benchmark wrote it (null when the format has none) */
  modelId: string | null;
  inputTokens: number;
  outputTokens: number;
  /** concurrent requests the client kept in flight; null = maximum load */
  concurrency: number | null;
  outputTokensPerS: number;
  tpotMs: number | null;
  ttftMs: number | null;
}

export type ServingParse = { ok: true; format: 'vllm' | 'trtllm-bench' | 'csv'; points: ServingPoint[] } | { ok: false; message: string };

// the config number rule (finite, within ±1e15; src/config/range.ts) for benchmark fields too
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) && Math.abs(v) <= 1e15 ? v : null);

function fromVllm(name: string, o: Record<string, unknown>, i: number | null): ServingPoint | string {
  const where = i === null ? name : `${name}[${i}]`;
  const conc = num(o['max_concurrency']);
  if (conc === null || conc < 1) return `${where}: no max_concurrency: a vLLM result taken without --max-concurrency cannot tell how many requests were in flight; rerun with --max-concurrency C`;
  const done = num(o['completed']);
  const tin = num(o['total_input_tokens']);
  const tout = num(o['total_output_tokens']);
  const thr = num(o['output_throughput']);
  if (done === null || done <= 0 || tin === null || tout === null || thr === null || thr <= 0) return `${where}: needs completed > 0, total_input_tokens, total_output_tokens and output_throughput > 0`;
  return {
    source: where,
    modelId: typeof o['model_id'] === 'string' ? o['model_id'] : null,
    inputTokens: tin / done,
    outputTokens: tout / done,
    concurrency: conc,
    outputTokensPerS: thr,
    tpotMs: num(o['mean_tpot_ms']),
    ttftMs: num(o['mean_ttft_ms']),
  };
}

function fromTrtllm(name: string, text: string): ServingPoint | string {
  const grab = (label: string): number | null => {
    const re = new RegExp(`^\\s*${label.replace(/[[\]()/]/g, (c) => `\\${c}`)}\\s*:\\s*([0-9.eE+-]+)`, 'm');
    const m = re.exec(text);
    return m ? Number(m[1]) : null;
  };
  const thr = grab('Total Output Throughput (tokens/sec)');
  const isl = grab('Average Input Length (tokens)');
  const osl = grab('Average Output Length (tokens)');
  if (thr === null || isl === null || osl === null) return `${name}: a trtllm-bench throughput report needs "Total Output Throughput (tokens/sec)", "Average Input Length (tokens)" and "Average Output Length (tokens)"`;
  const model = /^\s*Model\s*:\s*(\S+)/m.exec(text);
  return {
    source: name,
    modelId: model ? model[1]! : null,
    inputTokens: isl,
    outputTokens: osl,
    concurrency: null,
    outputTokensPerS: thr,
    tpotMs: grab('Average time-per-output-token [TPOT] (ms)'),
    ttftMs: grab('Average time-to-first-token [TTFT] (ms)'),
  };
}

const CSV_HEADER = ['isl', 'osl', 'concurrency', 'output_tok_s', 'tpot_ms', 'ttft_ms'];

function fromCsv(name: string, text: string): ServingPoint[] | string {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '' && !l.trim().startsWith('#'));
  const head = lines[0]!.split(',').map((s) => s.trim().toLowerCase());
  if (head.join(',') !== CSV_HEADER.join(',')) return `${name}: a CSV must have the header ${CSV_HEADER.join(',')}`;
  const out: ServingPoint[] = [];
  for (let r = 1; r < lines.length; r++) {
    const cells = lines[r]!.split(',').map((s) => s.trim());
    const where = `${name} line ${r + 1}`;
    const val = (k: number): number | null => (cells[k] === undefined || cells[k] === '' ? null : Number(cells[k]));
    const isl = val(0);
    const osl = val(1);
    const thr = val(3);
    const c = cells[2] === undefined || cells[2] === '' || cells[2]!.toLowerCase() === 'inf' ? null : Number(cells[2]);
    const bad = [isl, osl, thr].some((x) => x === null || !Number.isFinite(x) || x <= 0 || x > 1e15) || (c !== null && !(Number.isInteger(c) && c >= 1));
    if (bad) return `${where}: isl, osl and output_tok_s must be numbers > 0 and concurrency a whole number >= 1 (or empty / inf for maximum load)`;
    const tpot = val(4);
    const ttft = val(5);
    out.push({ source: where, modelId: null, inputTokens: isl!, outputTokens: osl!, concurrency: c, outputTokensPerS: thr!, tpotMs: tpot !== null && tpot > 0 ? tpot : null, ttftMs: ttft !== null && ttft > 0 ? ttft : null });
  }
  if (out.length === 0) return `${name}: the CSV has a header and no rows`;
  return out;
}

/**
 * Read one serving-benchmark file of any of the three formats (see the module comment), or
 * say why it is none of them. O(size).
 */
export function parseServingFile(name: string, text: string): ServingParse {
  const t = text.trim();
  if (t.startsWith('{') || t.startsWith('[')) {
    let raw: unknown;
    try {
      raw = JSON.parse(t);
    } catch {
      return { ok: false, message: `${name}: not valid JSON` };
    }
    const list = Array.isArray(raw) ? raw : [raw];
    const points: ServingPoint[] = [];
    for (let i = 0; i < list.length; i++) {
      const o = list[i];
      if (typeof o !== 'object' || o === null || !('output_throughput' in o || 'mean_tpot_ms' in o)) {
        return { ok: false, message: `${name}: JSON that is not a vLLM \`bench serve --save-result\` file (no output_throughput / mean_tpot_ms)` };
      }
      const p = fromVllm(name, o as Record<string, unknown>, Array.isArray(raw) ? i : null);
      if (typeof p === 'string') return { ok: false, message: p };
      points.push(p);
    }
    return { ok: true, format: 'vllm', points };
  }
  if (/Total Output Throughput \(tokens\/sec\)/.test(t)) {
    const p = fromTrtllm(name, t);
    return typeof p === 'string' ? { ok: false, message: p } : { ok: true, format: 'trtllm-bench', points: [p] };
  }
  if (/^\s*isl\s*,/i.test(t)) {
    const p = fromCsv(name, t);
    return typeof p === 'string' ? { ok: false, message: p } : { ok: true, format: 'csv', points: p };
  }
  return {
    ok: false,
    message: `${name}: not a serving benchmark this reads: expected vLLM \`bench serve --save-result\` JSON, \`trtllm-bench throughput\` output, or a CSV with the header ${CSV_HEADER.join(',')}`,
  };
}

/** Model ids of the points, or the message saying they mix models. */
export function checkOneModel(points: readonly ServingPoint[]): string | null {
  const ids = [...new Set(points.map((p) => p.modelId).filter((m): m is string => m !== null))];
  return ids.length > 1 ? `the benchmark files mix models (${ids.join(', ')}): calibrate one model at a time` : null;
}

export interface ServingPrediction {
  point: ServingPoint;
  predictedTokS: number;
  predictedTpotMs: number;
  /** predicted / measured − 1 of output tok/s */
  error: number;
}

export interface ServingFit {
  kernelEfficiency: number;
  schedulerMs: number;
  fitted: ServingPrediction[];
  /** leave-one-out predictions (empty with one point) */
  heldOut: ServingPrediction[];
  medianAbsError: number;
  maxAbsError: number;
  heldOutMedianAbsError: number | null;
  heldOutMaxAbsError: number | null;
  /** why the points cannot pin the factors down, if they cannot */
  warning: string | null;
}

function predict(cfg: PerfConfig, base: EngineCaps, k: number, schedS: number, p: ServingPoint): { tokS: number; tpotMs: number } {
  const e: EngineCaps = { ...base, kernelEfficiency: k, schedulerS: schedS, maxSeqs: p.concurrency === null ? base.maxSeqs : Math.min(base.maxSeqs, p.concurrency) };
  const c = replicaCapacity(cfg, e, { inputTokens: p.inputTokens, outputTokens: p.outputTokens, engineEfficiency: 1 });
  if (!c.feasible) return { tokS: 0, tpotMs: Infinity };
  return { tokS: c.outputTokensPerS, tpotMs: c.stepMs };
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const n = s.length;
  return n % 2 ? s[(n - 1) / 2]! : (s[n / 2 - 1]! + s[n / 2]!) / 2;
}

/** x = [log k, log(sched_ms + 0.01)]: both factors stay in their ranges. */
function fitOn(cfg: PerfConfig, base: EngineCaps, pts: readonly ServingPoint[], x0: readonly number[]): { k: number; schedS: number } {
  const decode = (x: readonly number[]) => ({ k: Math.exp(x[0]!), schedS: Math.max(0, Math.exp(x[1]!) - 0.01) / 1e3 });
  const loss = (x: readonly number[]): number => {
    const { k, schedS } = decode(x);
    let s = 0;
    for (const p of pts) {
      const q = predict(cfg, base, k, schedS, p);
      if (!(q.tokS > 0)) return 1e9;
      s += Math.log(q.tokS / p.outputTokensPerS) ** 2;
      if (p.tpotMs !== null) s += Math.log(q.tpotMs / p.tpotMs) ** 2;
    }
    // weak prior toward the preset (keeps a one-point fit well posed)
    return s + 1e-4 * ((x[0]! - x0[0]!) ** 2 + (x[1]! - x0[1]!) ** 2);
  };
  const r = nelderMead(loss, x0, { step: 0.3, maxEvaluations: 1500, tolerance: 1e-14, restarts: 2 });
  return decode(r.x);
}

/**
 * Fit an engine's kernel_efficiency and scheduler_ms on one GPU and model to serving points
 * (see the module comment), with leave-one-out errors and a warning when the points cannot
 * determine both factors (one configuration, or one point, fits any pair on a curve).
 */
export function fitServing(cfg: PerfConfig, base: EngineCaps, points: readonly ServingPoint[]): ServingFit {
  const x0 = [Math.log(base.kernelEfficiency), Math.log(base.schedulerS * 1e3 + 0.01)];
  const all = fitOn(cfg, base, points, x0);
  const pred = (k: number, s: number, p: ServingPoint): ServingPrediction => {
    const q = predict(cfg, base, k, s, p);
    return { point: p, predictedTokS: q.tokS, predictedTpotMs: q.tpotMs, error: q.tokS / p.outputTokensPerS - 1 };
  };
  const fitted = points.map((p) => pred(all.k, all.schedS, p));
  const heldOut: ServingPrediction[] = [];
  if (points.length > 1) {
    for (let i = 0; i < points.length; i++) {
      const rest = points.filter((_, j) => j !== i);
      const f = fitOn(cfg, base, rest, x0);
      heldOut.push(pred(f.k, f.schedS, points[i]!));
    }
  }
  const shapes = new Set(points.map((p) => `${p.concurrency ?? 'max'}/${Math.round(p.inputTokens)}/${Math.round(p.outputTokens)}`));
  const warning =
    points.length < 2
      ? `one point cannot determine two factors (kernel_efficiency, scheduler_ms): any pair on a curve fits it; measure at two or more concurrencies`
      : shapes.size < 2
        ? `${points.length} points of one configuration cannot determine two factors (kernel_efficiency, scheduler_ms); measure at two or more concurrencies or request shapes`
        : null;
  const abs = (xs: ServingPrediction[]) => xs.map((p) => Math.abs(p.error));
  return {
    kernelEfficiency: Number(all.k.toPrecision(3)),
    schedulerMs: Number((all.schedS * 1e3).toPrecision(3)),
    fitted,
    heldOut,
    medianAbsError: median(abs(fitted)),
    maxAbsError: Math.max(...abs(fitted)),
    heldOutMedianAbsError: heldOut.length > 0 ? median(abs(heldOut)) : null,
    heldOutMaxAbsError: heldOut.length > 0 ? Math.max(...abs(heldOut)) : null,
    warning,
  };
}
