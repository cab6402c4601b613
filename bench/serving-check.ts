/**
 * Serving-level check: the capacity model (src/perf/capacity.ts) against published
 * maximum-load output throughput, one table per engine:
 *
 *   trtllm  engines/published/trtllm-perf-overview.json (TensorRT-LLM's performance overview)
 *   vllm    engines/published/vllm-published.json (vLLM's own figures at fixed ISL/OSL)
 *
 *   npx tsx bench/serving-check.ts [--engine trtllm|vllm|sglang] [--table trtllm|vllm|PATH] [--kv fp8] [--fit]
 *
 * The table follows --engine (sglang has none; pass --table). A row may carry the KV format
 * and the engine caps the measured version ran with (max_num_seqs, max_num_batched_tokens):
 * they replace the preset's for that row, so the row checks the preset's kernel factor and
 * scheduler time. Prints every row's error (predicted/published − 1) and median/worst |error|
 * per GPU/model column and overall.
 *
 * A 'latency' row (vLLM's benchmark_latency.py: one fixed batch run to completion) is
 * predicted as its prefill step plus its decode steps by the preset's step rule.
 *
 * --fit grid-searches the engine's kernel_efficiency and scheduler_ms on the h100-sxm rows
 * only (least squares on log error; rows with exclude_from_fit are kept out) and prints the
 * result and the held-out error; the other rows are never fitted:
 * they check the transfer to a GPU the preset was not set on. It refuses fewer than 3 fit
 * rows (two factors from one or two points fit anything). A benchmark, not a test.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadCatalog, type Engine, type KvFormat, type WeightFormat } from '../src/config/index.js';
import { engineCaps, engineStepMs, replicaCapacity } from '../src/perf/index.js';

interface Row {
  model: string;
  hardware: string;
  tp: number;
  weights: WeightFormat;
  kv_cache?: KvFormat;
  input_tokens: number;
  output_tokens: number;
  output_tokens_per_s: number;
  max_num_seqs?: number;
  max_num_batched_tokens?: number;
  /** 'latency': one fixed batch run to completion (benchmark_latency.py); default: maximum-load throughput */
  benchmark?: 'throughput' | 'latency';
  /** the fixed batch of a 'latency' row */
  batch?: number;
  /** a row kept out of --fit (a different engine version than the preset describes); it is still checked */
  exclude_from_fit?: boolean;
  published?: string;
}

const args = process.argv.slice(2);
const opt = (name: string, dflt: string): string => {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] !== undefined ? args[i + 1]! : dflt;
};
const engineId = opt('--engine', 'trtllm');
const TABLES: Record<string, string> = {
  trtllm: '../engines/published/trtllm-perf-overview.json',
  vllm: '../engines/published/vllm-published.json',
};
const tableArg = opt('--table', engineId);
const tablePath = TABLES[tableArg] !== undefined ? fileURLToPath(new URL(TABLES[tableArg]!, import.meta.url)) : tableArg;
if (TABLES[tableArg] === undefined && !tableArg.endsWith('.json')) {
  console.error(`no published table for engine ${tableArg} (tables: ${Object.keys(TABLES).join(', ')}); pass --table trtllm|vllm|PATH`);
  process.exit(2);
}
const kvDefault = opt('--kv', 'fp8') as KvFormat;
const table = JSON.parse(readFileSync(tablePath, 'utf8')) as { source: string; rows: Row[] };
const cat = loadCatalog();
const base = cat.engines.get(engineId)?.engine;
if (!base) throw new Error(`no engine ${engineId}`);

function predict(e: Engine, r: Row): { tokS: number; batch: number; limit: string } {
  const hw = cat.hardware.get(r.hardware)!.profile;
  const model = cat.models.get(r.model)!.model;
  const caps = engineCaps(e, hw);
  const asRun = { ...caps, maxSeqs: r.max_num_seqs ?? caps.maxSeqs, tokenBudget: r.max_num_batched_tokens ?? caps.tokenBudget };
  const cfg = { hardware: hw, model, weights: r.weights, kvCache: r.kv_cache ?? kvDefault, tp: r.tp };
  if (r.benchmark === 'latency') {
    // one batch of b prompts: a prefill step of b·n_in tokens (the batch's first tokens), then
    // n_out − 1 decode steps of b rows at contexts n_in + 1 … n_in + n_out − 1
    const b = r.batch ?? 1;
    let ms = engineStepMs(cfg, asRun, 0, 0, b * r.input_tokens, r.input_tokens);
    for (let j = 1; j < r.output_tokens; j++) ms += engineStepMs(cfg, asRun, b, r.input_tokens + j, 0, 0);
    return { tokS: (b * r.output_tokens) / (ms / 1e3), batch: b, limit: 'fixed batch' };
  }
  const cap = replicaCapacity(cfg, asRun, {
    inputTokens: r.input_tokens,
    outputTokens: r.output_tokens,
    engineEfficiency: 1,
  });
  if (!cap.feasible) return { tokS: 0, batch: 0, limit: cap.reason };
  return { tokS: cap.outputTokensPerS, batch: cap.batch, limit: cap.limitedBy };
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const n = s.length;
  return n % 2 ? s[(n - 1) / 2]! : (s[n / 2 - 1]! + s[n / 2]!) / 2;
};

let engine = base;
if (args.includes('--fit')) {
  const h100 = table.rows.filter((r) => r.hardware === 'h100-sxm' && r.exclude_from_fit !== true);
  if (h100.length < 3) {
    console.error(`--fit: ${h100.length} h100-sxm row(s) cannot determine two factors (kernel_efficiency, scheduler_ms); not fitted`);
    process.exit(2);
  }
  let best = { loss: Infinity, k: 0, s: 0 };
  for (let k = 0.8; k <= 2.0001; k += 0.01) {
    for (let s = 0; s <= 3.0001; s += 0.05) {
      const e = { ...base, kernel_efficiency: Number(k.toFixed(2)), scheduler_ms: Number(s.toFixed(2)) };
      const loss = h100.reduce((a, r) => a + Math.log(predict(e, r).tokS / r.output_tokens_per_s) ** 2, 0);
      if (loss < best.loss) best = { loss, k: e.kernel_efficiency, s: e.scheduler_ms };
    }
  }
  engine = { ...base, kernel_efficiency: best.k, scheduler_ms: best.s };
  console.log(`fitted on ${h100.length} h100-sxm rows: kernel_efficiency ${best.k}, scheduler_ms ${best.s}`);
}

console.log(`table: ${table.source.split('. ')[0]}`);
console.log(`engine ${engine.id}: kernel_efficiency ${engine.kernel_efficiency}, scheduler_ms ${engine.scheduler_ms}; KV cache ${kvDefault} unless the row says`);
console.log('model          gpu       tp  fmt   ISL/OSL      published  predicted   error  batch limit');
const all: number[] = [];
const byCol = new Map<string, number[]>();
for (const r of table.rows) {
  const p = predict(engine, r);
  const err = p.tokS / r.output_tokens_per_s - 1;
  all.push(Math.abs(err));
  const col = `${r.model} ${r.hardware} tp${r.tp}`;
  byCol.set(col, [...(byCol.get(col) ?? []), Math.abs(err)]);
  console.log(
    `${r.model.padEnd(14)} ${r.hardware.padEnd(9)} ${String(r.tp).padStart(2)}  ${r.weights.padEnd(5)} ${`${r.input_tokens}/${r.output_tokens}`.padEnd(11)} ${String(r.output_tokens_per_s).padStart(9)} ${Math.round(p.tokS).toString().padStart(10)} ${(err * 100).toFixed(1).padStart(6)} % ${String(p.batch).padStart(5)} ${p.limit}`,
  );
}
for (const [col, es] of byCol) console.log(`${col}: median |error| ${(median(es) * 100).toFixed(1)} %, worst ${(Math.max(...es) * 100).toFixed(1)} %`);
console.log(`all ${all.length} rows: median |error| ${(median(all) * 100).toFixed(1)} %, worst ${(Math.max(...all) * 100).toFixed(1)} %`);
// by kind of row, and (with --fit) the rows the fit did not see
const summary = (label: string, rows: Row[]): void => {
  if (rows.length === 0) return;
  const es = rows.map((r) => Math.abs(predict(engine, r).tokS / r.output_tokens_per_s - 1));
  console.log(`${label} (${rows.length} rows): median |error| ${(median(es) * 100).toFixed(1)} %, worst ${(Math.max(...es) * 100).toFixed(1)} %`);
};
summary('maximum-throughput rows', table.rows.filter((r) => r.benchmark !== 'latency'));
summary('fixed-batch latency rows', table.rows.filter((r) => r.benchmark === 'latency'));
if (args.includes('--fit')) {
  summary('fitted rows (h100-sxm)', table.rows.filter((r) => r.hardware === 'h100-sxm' && r.exclude_from_fit !== true));
  summary('held-out rows (other GPUs)', table.rows.filter((r) => r.hardware !== 'h100-sxm' && r.exclude_from_fit !== true));
}
