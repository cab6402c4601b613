/**
 * `breakeven perf` answers for every bundled GPU, model and format: either finite numbers,
 * or (when the model does not fit even at tp = a whole node) an explicit reason.
 */
import { describe, it, expect } from 'vitest';
import { loadCatalog } from '../../src/config/index.js';
import { minTpThatFits, memoryPlan, decodeStep, prefillTime, replicaCapacity, engineCaps, throughputSource } from '../../src/perf/index.js';
import { run } from '../../src/cli/program.js';
import { memoryIO } from '../../src/cli/io.js';

const catalog = loadCatalog();
const gpus = [...catalog.hardware.values()].map((h) => h.profile);
const models = [...catalog.models.values()].map((m) => m.model);
const WEIGHTS = ['bf16', 'fp16', 'fp8', 'int8', 'int4'] as const;
const KV = ['bf16', 'fp8'] as const;

describe('perf over every bundled GPU × model × format', () => {
  it(`answers ${gpus.length} GPUs × ${models.length} models × ${WEIGHTS.length} weight formats × ${KV.length} KV formats`, () => {
    let fits = 0;
    for (const hardware of gpus) {
      for (const model of models) {
        for (const weights of WEIGHTS) {
          for (const kvCache of KV) {
            const context = 2048;
            const tp = minTpThatFits(hardware, model, weights, kvCache, context);
            if (tp === null) {
              const mp = memoryPlan({ hardware, model, weights, kvCache, tp: hardware.gpus_per_node }, context);
              expect(mp.fits, `${hardware.id} ${model.id} ${weights}`).toBe(false);
              continue;
            }
            fits++;
            const cfg = { hardware, model, weights, kvCache, tp };
            const step = decodeStep(cfg, 8, context);
            const pre = prefillTime(cfg, 2048);
            const where = `${hardware.id} ${model.id} ${weights}/${kvCache} tp${tp}`;
            for (const v of [step.stepMs, step.outputTokensPerS, pre.ms, pre.promptTokensPerS]) {
              expect(Number.isFinite(v) && v > 0, where).toBe(true);
            }
            const cap = replicaCapacity(cfg, engineCaps(catalog.engines.get('vllm')!.engine, hardware), { inputTokens: 1500, outputTokens: 300, tpotMs: 100, engineEfficiency: 0.8 });
            if (cap.feasible) expect(cap.requestsPerS > 0 && Number.isFinite(cap.requestsPerS), where).toBe(true);
            else expect(cap.reason.length, where).toBeGreaterThan(10);
          }
        }
      }
    }
    expect(fits).toBeGreaterThan(0);
  });

  for (const hardware of gpus) {
    it(`perf table for ${hardware.id} (CLI, every format)`, async () => {
      const io = memoryIO();
      const code = await run(['perf', '--hardware', hardware.id, '--model', 'llama-3.1-8b', '--json'], io);
      expect(code, io.stderr).toBe(0);
      const parsed = JSON.parse(io.stdout) as {
        formats: { weights: string; reason: string | null }[];
        rows: { weights: string; batch: number; fits: boolean; step_ms: number | null; output_tokens_per_s: number | null }[];
      };
      expect(parsed.formats.length).toBeGreaterThan(0);
      expect(parsed.rows.length).toBeGreaterThan(0);
      // a batch that fits has a positive step time; one that does not says so (null, not NaN)
      for (const r of parsed.rows) {
        if (r.fits) expect(r.step_ms! > 0 && r.output_tokens_per_s! > 0, `${r.weights} batch ${r.batch}`).toBe(true);
        else expect(r.step_ms).toBeNull();
      }
    });
  }
});

describe('how each GPU’s throughput is known', () => {
  it('a transferred profile carries exactly its source’s efficiency factors (the transfer rule)', () => {
    for (const { profile } of catalog.hardware.values()) {
      const from = profile.efficiency_transferred_from;
      if (from === undefined) continue;
      const src = catalog.hardware.get(from)?.profile;
      expect(src, `${profile.id}: transferred from unknown ${from}`).toBeDefined();
      expect(src!.calibration, `${profile.id}: ${from} must be calibrated`).toBeDefined();
      const e = profile.efficiency;
      const s = src!.efficiency;
      for (const key of ['weights_stream', 'compute', 'prefill'] as const) {
        for (const [fmt, v] of Object.entries(e[key])) expect(v, `${profile.id} ${key}.${fmt}`).toBe((s[key] as Record<string, number | undefined>)[fmt]);
      }
      expect([e.kv_read, e.step_overhead_ms, e.int4_batch_knee]).toEqual([s.kv_read, s.step_overhead_ms, s.int4_batch_knee]);
    }
  });

  it('every bundled GPU says how its throughput is known', () => {
    const kinds = Object.fromEntries([...catalog.hardware.values()].map(({ profile }) => [profile.id, throughputSource(profile).kind]));
    expect(kinds).toEqual({ 'a100-80gb': 'transferred', a10g: 'transferred', 'h100-sxm': 'fitted', h200: 'fitted', l4: 'transferred', l40s: 'transferred', mi300x: 'estimate' });
    expect(throughputSource(catalog.hardware.get('l4')!.profile).text).toMatch(/^not measured: efficiency transferred from h100-sxm/);
  });

  it('every engine preset has sources and a date; vLLM picks its large-GPU defaults on an H100, not on an A100', () => {
    const engines = [...catalog.engines.values()].map((e) => e.engine);
    expect(engines.map((e) => e.id).sort()).toEqual(['sglang', 'trtllm', 'vllm']);
    for (const e of engines) expect(e.sources.length > 0 && /^\d{4}-\d{2}-\d{2}$/.test(e.date), e.id).toBe(true);
    const vllm = catalog.engines.get('vllm')!.engine;
    expect(engineCaps(vllm, catalog.hardware.get('h100-sxm')!.profile)).toMatchObject({ maxSeqs: 1024, tokenBudget: 8192 });
    expect(engineCaps(vllm, catalog.hardware.get('a100-80gb')!.profile)).toMatchObject({ maxSeqs: 256, tokenBudget: 2048 });
    expect(engineCaps(vllm, catalog.hardware.get('l4')!.profile)).toMatchObject({ maxSeqs: 256, tokenBudget: 2048 });
  });
});
