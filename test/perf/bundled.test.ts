/**
 * `breakeven perf` answers for every bundled GPU, model and format: either finite numbers,
 * or (when the model does not fit even at tp = a whole node) an explicit reason.
 */
import { describe, it, expect } from 'vitest';
import { loadCatalog } from '../../src/config/index.js';
import { minTpThatFits, memoryPlan, decodeStep, prefillTime, replicaCapacity, engineCaps } from '../../src/perf/index.js';
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
