/**
 * What `breakeven perf` does once its options are parsed (perf.ts declares the command): the
 * throughput model for one GPU and model. With --batch and --weights it prints one
 * configuration (decode step, prefill, memory); otherwise a table over batch sizes and weight
 * formats. Exit 2 when the configuration does not fit, with what would. Loaded only when a
 * command needs it, so `--help` and the other commands do not pay for the config loader.
 */
import { resolve as resolvePath } from 'node:path';
import type { CliIO } from './io.js';
import { UserError } from './io.js';
import { loadCatalog, suggestSimilar, type Hardware, type Model } from '../config/index.js';
import type { KvFormat, WeightFormat } from '../config/index.js';
import {
  decodeStep,
  doesNotFitReason,
  engineCaps,
  memoryPlan,
  minTpThatFits,
  perfMessages,
  prefillTime,
  replicaCapacity,
  tableFormats,
  ttftUtilisation,
  type PerfConfig,
} from '../perf/index.js';
import type { Engine } from '../config/index.js';

type Fmt = WeightFormat;
type Kv = KvFormat;

const TABLE_BATCHES = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512];


/** Look up an id in a catalog map, or a UserError with a did-you-mean suggestion. */
export function lookup<T>(map: Map<string, T>, kind: string, id: string): T {
  const e = map.get(id);
  if (e !== undefined) return e;
  const known = [...map.keys()].sort();
  throw new UserError(perfMessages.unknownId(kind, id, suggestSimilar(id, known), known));
}

export function loadPerfCatalog(io: CliIO, root: string | undefined) {
  return loadCatalog(root !== undefined ? { root: resolvePath(io.cwd, root), cwd: io.cwd } : { cwd: io.cwd });
}

export interface PerfOpts {
  hardware: string;
  model: string;
  weights?: Fmt;
  kvCache: Kv;
  batch?: number;
  context: number;
  promptTokens: number;
  tp?: number;
  json?: boolean;
  catalogRoot?: string;
  inputTokens?: number;
  outputTokens?: number;
  engine: string;
  tpotMs?: number;
  ttftMs?: number;
  prefixHit?: number;
  prefixReserve?: number;
}

/** Run the command with parsed options (the declaration's action). */
export function runPerf(io: CliIO, opts: PerfOpts): void {
  const cat = loadPerfCatalog(io, opts.catalogRoot);
  const hw = lookup(cat.hardware, 'hardware', opts.hardware).profile;
  const model = lookup(cat.models, 'model', opts.model).model;
  const engine = lookup(cat.engines, 'engine', opts.engine).engine;
  if ((opts.inputTokens === undefined) !== (opts.outputTokens === undefined)) throw new UserError(perfMessages.servingNeedsBoth());
  if (opts.inputTokens !== undefined && opts.outputTokens !== undefined) serving(io, hw, model, engine, opts, opts.inputTokens, opts.outputTokens);
  else if (opts.tpotMs !== undefined || opts.ttftMs !== undefined || opts.prefixHit !== undefined || opts.prefixReserve !== undefined) throw new UserError(perfMessages.servingNeedsBoth());
  else if (opts.batch !== undefined && opts.weights !== undefined) single(io, hw, model, opts, opts.weights, opts.batch);
  else table(io, hw, model, opts);
}




/**
 * `serving`: the capacity the simulator uses (src/perf/capacity.ts) for one request shape,
 * at maximum load (the figure `trtllm-bench throughput` and `vllm bench serve --request-rate
 * inf` report) and, with targets, at the SLO.
 */
function serving(io: CliIO, hw: Hardware, model: Model, engine: Engine, o: PerfOpts, nIn: number, nOut: number): void {
  const weights = o.weights ?? 'bf16';
  const context = nIn + nOut / 2;
  const tp = tpFor(hw, model, weights, o.kvCache, context, o.tp);
  const cfg: PerfConfig = { hardware: hw, model, weights, kvCache: o.kvCache, tp };
  const caps = engineCaps(engine, hw);
  const prefix = o.prefixHit !== undefined || o.prefixReserve !== undefined;
  // perf's hit is the hit itself: no working-set bound (0), the reserve only takes memory
  const prefixCache = prefix ? { hitRate: o.prefixHit ?? 0, reserveFraction: o.prefixReserve ?? 0, workingSetTokens: 0 } : undefined;
  const w = { inputTokens: nIn, outputTokens: nOut, engineEfficiency: 1, prefixCache };
  const max = replicaCapacity(cfg, caps, w);
  if (!max.feasible) throw new UserError(max.reason);
  const block = (c: typeof max, utilisation: number) => ({
    output_tokens_per_s: round(c.outputTokensPerS * utilisation),
    output_tokens_per_s_per_gpu: round((c.outputTokensPerS * utilisation) / tp),
    requests_per_s: round(c.requestsPerS * utilisation),
    batch: c.batch,
    limited_by: c.limitedBy,
    step_ms: round(c.stepMs),
    prompt_tokens_per_step: round(c.chunkTokens),
    ttft_ms_no_queue: round(c.ttftPrefillS * 1e3),
    utilisation: round(utilisation),
  });
  let atSlo: ReturnType<typeof block> | null = null;
  if (o.tpotMs !== undefined || o.ttftMs !== undefined) {
    const slo = replicaCapacity(cfg, caps, { ...w, tpotMs: o.tpotMs });
    if (!slo.feasible) throw new UserError(slo.reason);
    let u = 1;
    if (o.ttftMs !== undefined) {
      const b = ttftUtilisation(cfg, caps, { ...w, tpotMs: o.tpotMs }, slo, o.ttftMs);
      if (!b.feasible) throw new UserError(b.reason);
      u = b.maxUtilisation;
    }
    atSlo = block(slo, u);
  }
  const out = {
    hardware: hw.id,
    model: model.id,
    weights,
    kv_cache: o.kvCache,
    tp,
    engine: { id: engine.id, version: engine.version, max_num_seqs: caps.maxSeqs, max_num_batched_tokens: caps.tokenBudget, scheduler_ms: engine.scheduler_ms, kernel_efficiency: engine.kernel_efficiency, kv_reservation: engine.kv_reservation },
    input_tokens: nIn,
    output_tokens: nOut,
    ...(prefixCache ? { prefix_cache: { hit: prefixCache.hitRate, reserve_fraction: prefixCache.reserveFraction, prefilled_tokens_per_request: round((1 - prefixCache.hitRate) * nIn) } } : {}),
    serving: { max_load: block(max, 1), at_slo: atSlo, tpot_ms: o.tpotMs ?? null, ttft_ms: o.ttftMs ?? null, max_batch_memory: max.maxBatchMemory },
    calibration: hw.calibration ?? null,
  };
  if (o.json) {
    io.out(`${JSON.stringify(out, null, 2)}\n`);
    return;
  }
  const line = (label: string, b: ReturnType<typeof block>): string =>
    `${label} ${b.output_tokens_per_s} output tok/s (${b.output_tokens_per_s_per_gpu} per GPU), ${b.requests_per_s} requests/s; batch ${b.batch} (${b.limited_by}), step ${b.step_ms} ms with ${b.prompt_tokens_per_step} prompt tokens, TTFT ${b.ttft_ms_no_queue} ms without queueing${b.utilisation < 1 ? `, at ${(b.utilisation * 100).toFixed(0)} % utilisation` : ''}`;
  io.out(
    [
      `${model.id} ${weights} (KV ${o.kvCache}) on ${hw.id} tp ${tp} under ${engine.id} ${engine.version} (max ${caps.maxSeqs} sequences, ${caps.tokenBudget} tokens per step), ${nIn} in / ${nOut} out${prefixCache ? `, prefix cache hit ${prefixCache.hitRate} (${round((1 - prefixCache.hitRate) * nIn)} tokens prefilled per request), ${prefixCache.reserveFraction} of KV memory reserved` : ''}`,
      line('max load', out.serving.max_load),
      ...(atSlo ? [line(`at SLO (${[o.tpotMs !== undefined ? `TPOT ${o.tpotMs} ms` : '', o.ttftMs !== undefined ? `TTFT ${o.ttftMs} ms` : ''].filter(Boolean).join(', ')})`, atSlo)] : []),
      '',
    ].join('\n'),
  );
}

function tpFor(hw: Hardware, model: Model, weights: Fmt, kv: Kv, context: number, tp: number | undefined): number {
  return tp ?? minTpThatFits(hw, model, weights, kv, context) ?? hw.gpus_per_node;
}

function single(io: CliIO, hw: Hardware, model: Model, o: PerfOpts, weights: Fmt, batch: number): void {
  const tp = tpFor(hw, model, weights, o.kvCache, o.context, o.tp);
  const cfg: PerfConfig = { hardware: hw, model, weights, kvCache: o.kvCache, tp };
  const reason = doesNotFitReason(cfg, o.context);
  if (reason !== null) throw new UserError(reason);
  const mem = memoryPlan(cfg, o.context);
  if (batch > mem.maxBatch) {
    const bigger = minTpForBatch(hw, cfg, o.context, batch);
    throw new UserError(perfMessages.batchTooLarge(batch, mem.maxBatch, o.context, bigger, tp));
  }
  const d = decodeStep(cfg, batch, o.context);
  const p = prefillTime(cfg, o.promptTokens);
  const out = {
    hardware: hw.id,
    model: model.id,
    weights,
    kv_cache: o.kvCache,
    tp,
    batch,
    context_tokens: o.context,
    decode: {
      step_ms: round(d.stepMs),
      output_tokens_per_s: round(d.outputTokensPerS),
      output_tokens_per_s_per_gpu: round(d.outputTokensPerS / tp),
      memory_ms: round(d.memMs),
      compute_ms: round(d.computeMs),
      overhead_ms: round(d.overheadMs),
      allreduce_ms: round(d.allreduceMs),
      bound_by: d.boundBy,
    },
    prefill: { prompt_tokens: o.promptTokens, ms: round(p.ms), prompt_tokens_per_s: round(p.promptTokensPerS) },
    memory: {
      weights_bytes: Math.round(mem.weightsBytes),
      kv_bytes_per_token: mem.kvBytesPerToken,
      kv_cache_bytes: Math.round(batch * o.context * mem.kvBytesPerToken),
      free_bytes: Math.round(mem.freeBytes),
      max_batch: mem.maxBatch,
    },
    calibration: hw.calibration ?? null,
  };
  if (o.json) {
    io.out(`${JSON.stringify(out, null, 2)}\n`);
    return;
  }
  const gb = (b: number): string => `${(b / 1e9).toFixed(1)} GB`;
  io.out(
    [
      `${model.id} ${weights} (KV ${o.kvCache}) on ${hw.id} tp ${tp}, batch ${batch}, context ${o.context}`,
      `decode   step ${out.decode.step_ms} ms (${d.boundBy}-bound), ${out.decode.output_tokens_per_s} output tok/s (${out.decode.output_tokens_per_s_per_gpu} per GPU)`,
      `prefill  ${o.promptTokens} tokens in ${out.prefill.ms} ms, ${out.prefill.prompt_tokens_per_s} tok/s`,
      `memory   weights ${gb(mem.weightsBytes)}, KV cache ${gb(out.memory.kv_cache_bytes)} of ${gb(mem.freeBytes)} free, max batch ${mem.maxBatch} at this context`,
      hw.calibration
        ? `model error on ${hw.calibration.fitted_on}: median ${pct(hw.calibration.median_abs_error)}, max ${pct(hw.calibration.max_abs_error)}${hw.calibration.held_out_median_abs_error !== undefined ? `; held out: median ${pct(hw.calibration.held_out_median_abs_error)}, max ${pct(hw.calibration.held_out_max_abs_error ?? 0)}` : ''}`
        : `${hw.id} is not calibrated: its efficiency factors are estimates`,
      '',
    ].join('\n'),
  );
}

function minTpForBatch(hw: Hardware, cfg: PerfConfig, context: number, batch: number): number | null {
  for (let tp = cfg.tp * 2; tp <= hw.gpus_per_node; tp *= 2) {
    if (memoryPlan({ ...cfg, tp }, context).maxBatch >= batch) return tp;
  }
  return null;
}

function table(io: CliIO, hw: Hardware, model: Model, o: PerfOpts): void {
  const formats = o.weights !== undefined ? [o.weights] : tableFormats(hw);
  const batches = o.batch !== undefined ? [o.batch] : TABLE_BATCHES;
  const rows: { weights: Fmt; tp: number; batch: number; fits: boolean; step_ms: number | null; output_tokens_per_s: number | null; output_tokens_per_s_per_gpu: number | null }[] = [];
  const summary: { weights: Fmt; tp: number | null; weights_bytes: number; max_batch: number; prefill_ms: number | null; reason: string | null }[] = [];
  for (const weights of formats) {
    const minTp = minTpThatFits(hw, model, weights, o.kvCache, o.context);
    const tp = o.tp ?? minTp;
    if (tp === null) {
      const r = doesNotFitReason({ hardware: hw, model, weights, kvCache: o.kvCache, tp: hw.gpus_per_node }, o.context);
      summary.push({ weights, tp: null, weights_bytes: memoryPlan({ hardware: hw, model, weights, kvCache: o.kvCache, tp: 1 }, o.context).weightsBytes, max_batch: 0, prefill_ms: null, reason: r });
      continue;
    }
    const cfg: PerfConfig = { hardware: hw, model, weights, kvCache: o.kvCache, tp };
    const mem = memoryPlan(cfg, o.context);
    const reason = doesNotFitReason(cfg, o.context);
    summary.push({ weights, tp, weights_bytes: Math.round(mem.weightsBytes), max_batch: mem.maxBatch, prefill_ms: reason ? null : round(prefillTime(cfg, o.promptTokens).ms), reason });
    for (const batch of batches) {
      const fits = reason === null && batch <= mem.maxBatch;
      const d = decodeStep(cfg, batch, o.context);
      rows.push({
        weights,
        tp,
        batch,
        fits,
        step_ms: fits ? round(d.stepMs) : null,
        output_tokens_per_s: fits ? round(d.outputTokensPerS) : null,
        output_tokens_per_s_per_gpu: fits ? round(d.outputTokensPerS / tp) : null,
      });
    }
  }
  if (o.json) {
    io.out(`${JSON.stringify({ hardware: hw.id, model: model.id, kv_cache: o.kvCache, context_tokens: o.context, prompt_tokens: o.promptTokens, formats: summary, rows }, null, 2)}\n`);
    return;
  }
  const lines = [`${model.id} on ${hw.id}, KV ${o.kvCache}, context ${o.context}: decode output tokens/s per GPU (step ms)`];
  for (const s of summary) {
    lines.push(
      s.tp === null
        ? `${s.weights.padEnd(5)} does not fit: ${s.reason ?? ''}`
        : `${s.weights.padEnd(5)} tp ${s.tp}, weights ${(s.weights_bytes / 1e9).toFixed(1)} GB, max batch ${s.max_batch}, prefill ${o.promptTokens} tokens ${s.prefill_ms ?? '-'} ms`,
    );
  }
  lines.push('', ['batch'.padStart(6), ...summary.filter((s) => s.tp !== null).map((s) => s.weights.padStart(20))].join(''));
  for (const b of batches) {
    const cells = summary
      .filter((s) => s.tp !== null)
      .map((s) => {
        const r = rows.find((x) => x.weights === s.weights && x.batch === b);
        return (r && r.fits ? `${Math.round(r.output_tokens_per_s_per_gpu ?? 0)} (${r.step_ms?.toFixed(1)})` : 'no room').padStart(20);
      });
    lines.push([String(b).padStart(6), ...cells].join(''));
  }
  io.out(`${lines.join('\n')}\n`);
}

function round(v: number): number {
  return Number(v.toPrecision(5));
}
function pct(v: number): string {
  return `${(v * 100).toFixed(1)} %`;
}
