/**
 * `calibrate --serving`: engine factors from serving benchmarks (three formats), held-out
 * errors, the under-determined warning, and bad input (exit 2 with what is wrong).
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { memoryIO, UserError } from '../../src/cli/io.js';
import { registerCalibrate } from '../../src/cli/calibrate.js';
import { fitServing, parseServingFile } from '../../src/calibration/index.js';
import { replicaCapacity, type EngineCaps } from '../../src/perf/index.js';
import { expectRel, FIXTURES, h100, models } from './helpers.js';

const DIR = `${FIXTURES}/../serving`;

async function run(args: string[]) {
  const io = memoryIO();
  const program = new Command().exitOverride();
  registerCalibrate(program, io);
  for (const c of program.commands) c.exitOverride();
  await program.parseAsync(['node', 'breakeven', ...args, '--catalog-root', FIXTURES]);
  return io;
}

const cfg = { hardware: h100(), model: models()['llama-3.1-8b']!, weights: 'bf16' as const, kvCache: 'bf16' as const, tp: 1 };
const truth: EngineCaps = { id: 'vllm', maxSeqs: 1024, tokenBudget: 8192, schedulerS: 0.001, kernelEfficiency: 0.8, kvReservation: 'mean' };

/** a CSV of points the model itself produces with kernel_efficiency 0.8, scheduler 1 ms */
function syntheticCsv(concurrencies: number[]): string {
  const rows = concurrencies.map((c) => {
    const cap = replicaCapacity(cfg, { ...truth, maxSeqs: c }, { inputTokens: 1000, outputTokens: 200, engineEfficiency: 1 });
    if (!cap.feasible) throw new Error(cap.reason);
    return `1000,200,${c},${cap.outputTokensPerS},${cap.stepMs},`;
  });
  const dir = mkdtempSync(join(tmpdir(), 'serving-'));
  const f = join(dir, 'sweep.csv');
  writeFileSync(f, ['isl,osl,concurrency,output_tok_s,tpot_ms,ttft_ms', ...rows].join('\n'));
  return f;
}

describe('calibrate --serving', () => {
  it('recovers the factors that made the points, with leave-one-out errors near 0', async () => {
    const f = syntheticCsv([1, 8, 32, 128]);
    const io = await run(['calibrate', '--hardware', 'h100-sxm', '--serving', f, '--model', 'llama-3.1-8b', '--weights', 'bf16', '--json']);
    const j = JSON.parse(io.stdout);
    expectRel(j.kernel_efficiency, 0.8, 0.02);
    expectRel(j.scheduler_ms, 1, 0.05);
    expect(j.held_out_max_abs_error).toBeLessThan(0.02);
    expect(j.warning).toBeNull();
    expect(io.stderr).toBe('');
  });

  it('one point fits anything: it says so', async () => {
    const io = await run(['calibrate', '--hardware', 'h100-sxm', '--serving', syntheticCsv([32]), '--model', 'llama-3.1-8b', '--weights', 'bf16']);
    expect(io.stderr).toBe('warning: one point cannot determine two factors (kernel_efficiency, scheduler_ms): any pair on a curve fits it; measure at two or more concurrencies\n');
    expect(io.stdout).toMatch(/kernel_efficiency: /);
  });

  it('reads trtllm-bench throughput output (maximum load)', () => {
    const r = parseServingFile('trtllm-bench.txt', readFileSync(`${DIR}/trtllm-bench.txt`, 'utf8'));
    expect(r).toEqual({
      ok: true,
      format: 'trtllm-bench',
      points: [{ source: 'trtllm-bench.txt', modelId: 'nvidia/Llama-3.1-8B-Instruct-FP8', inputTokens: 1000, outputTokens: 1000, concurrency: null, outputTokensPerS: 15220, tpotMs: 31, ttftMs: 2100 }],
    });
    if (r.ok) expect(fitServing({ ...cfg, weights: 'fp8', kvCache: 'fp8' }, truth, r.points).warning).toMatch(/^one point cannot determine/);
  });

  it('bad input: not a format, no concurrency, mixed models (exit 2 with what is wrong)', async () => {
    await expect(run(['calibrate', '--hardware', 'h100-sxm', '--serving', `${DIR}/notes.txt`])).rejects.toThrow(
      new UserError(`${DIR}/notes.txt: not a serving benchmark this reads: expected vLLM \`bench serve --save-result\` JSON, \`trtllm-bench throughput\` output, or a CSV with the header isl,osl,concurrency,output_tok_s,tpot_ms,ttft_ms`),
    );
    await expect(run(['calibrate', '--hardware', 'h100-sxm', '--serving', `${DIR}/vllm-no-concurrency.json`])).rejects.toThrow(/no max_concurrency: a vLLM result taken without --max-concurrency cannot tell how many requests were in flight/);
    await expect(run(['calibrate', '--hardware', 'h100-sxm', '--serving', `${DIR}/vllm-c16-8b.json`, `${DIR}/vllm-c16-70b.json`])).rejects.toThrow(
      new UserError('the benchmark files mix models (meta-llama/Llama-3.1-8B-Instruct, meta-llama/Llama-3.1-70B-Instruct): calibrate one model at a time'),
    );
    await expect(run(['calibrate', '--hardware', 'h100-sxm', '--serving', `${DIR}/vllm-c16-8b.json`, '--engine', 'vlm'])).rejects.toThrow(/unknown engine "vlm". Did you mean "vllm"\?/);
  });
});
