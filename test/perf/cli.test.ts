import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { memoryIO, UserError } from '../../src/cli/io.js';
import { registerPerf } from '../../src/cli/perf.js';
import { registerCalibrate } from '../../src/cli/calibrate.js';
import { FIXTURES, MEASURED } from './helpers.js';

async function run(args: string[]) {
  const io = memoryIO();
  const program = new Command().exitOverride();
  registerPerf(program, io);
  registerCalibrate(program, io);
  for (const c of program.commands) c.exitOverride();
  await program.parseAsync(['node', 'breakeven', ...args, '--catalog-root', FIXTURES]);
  return io;
}

describe('breakeven perf', () => {
  it('answers `serving` for a request shape under an engine, at maximum load and at the SLO', async () => {
    const io = await run(['perf', '--hardware', 'h100-sxm', '--model', 'llama-3.1-8b', '--weights', 'fp8', '--input-tokens', '1000', '--output-tokens', '200', '--engine', 'trtllm', '--tpot-ms', '30', '--ttft-ms', '500', '--json']);
    const j = JSON.parse(io.stdout);
    expect(j.engine).toMatchObject({ id: 'trtllm', max_num_seqs: 2048, max_num_batched_tokens: 8192, kv_reservation: 'max' });
    const m = j.serving.max_load;
    // output tokens/s = batch / step; requests/s = output tokens/s / n_out; prompt tokens per step = B·n_in/n_out
    expect(Math.abs(m.output_tokens_per_s / ((m.batch / m.step_ms) * 1e3) - 1)).toBeLessThan(1e-4);
    expect(Math.abs(m.requests_per_s / (m.output_tokens_per_s / 200) - 1)).toBeLessThan(1e-4);
    expect(m.prompt_tokens_per_step).toBe(m.batch * 5);
    expect(j.serving.at_slo.step_ms).toBeLessThanOrEqual(30);
    expect(j.serving.at_slo.utilisation).toBeLessThanOrEqual(0.98);
    expect(j.serving.at_slo.output_tokens_per_s).toBeLessThan(m.output_tokens_per_s);
  });

  it('serving: bad engine gets a did-you-mean; targets need the request shape', async () => {
    await expect(run(['perf', '--hardware', 'h100-sxm', '--model', 'llama-3.1-8b', '--input-tokens', '1000', '--output-tokens', '200', '--engine', 'sglng'])).rejects.toThrow(
      new UserError('unknown engine "sglng". Did you mean "sglang"? Known: sglang, trtllm, vllm'),
    );
    await expect(run(['perf', '--hardware', 'h100-sxm', '--model', 'llama-3.1-8b', '--input-tokens', '1000'])).rejects.toThrow(/--input-tokens and --output-tokens go together/);
    await expect(run(['perf', '--hardware', 'h100-sxm', '--model', 'llama-3.1-8b', '--tpot-ms', '30'])).rejects.toThrow(/--input-tokens and --output-tokens go together/);
  });

  it('prints one configuration as JSON', async () => {
    const io = await run(['perf', '--hardware', 'h100-sxm', '--model', 'llama-3.1-8b', '--weights', 'bf16', '--kv-cache', 'bf16', '--batch', '64', '--context', '1024', '--json']);
    const j = JSON.parse(io.stdout);
    expect(j.tp).toBe(1);
    expect(j.decode.step_ms).toBeGreaterThan(8);
    expect(j.decode.output_tokens_per_s).toBeCloseTo((64 / j.decode.step_ms) * 1e3, -1);
    expect(j.prefill.prompt_tokens).toBe(2048);
    expect(j.memory.kv_cache_bytes).toBe(64 * 1024 * 131072);
    expect(j.memory).toHaveProperty('max_batch');
    expect(j.memory).toHaveProperty('free_bytes');
  });

  it('a model that does not fit is a user error saying what would', async () => {
    await expect(run(['perf', '--hardware', 'h100-sxm', '--model', 'llama-3.1-70b', '--weights', 'bf16', '--batch', '8', '--tp', '1'])).rejects.toThrow(
      new UserError('llama-3.1-70b bf16 needs 141 GB of weights; h100-sxm tp 1 has 71 GB usable: use tp >= 2 or a smaller weight format'),
    );
    await expect(run(['perf', '--hardware', 'h100-sxm', '--model', 'llama-3.1-8b', '--weights', 'bf16', '--batch', '300', '--context', '4096'])).rejects.toThrow(
      /batch 300 at context 4096 does not fit: at most 102 sequences fit in the KV cache; use --batch 102 or less, an fp8 KV cache, or use tp >= 4/,
    );
  });

  it('unknown ids suggest a close match', async () => {
    await expect(run(['perf', '--hardware', 'h100', '--model', 'llama-3.1-8b'])).rejects.toThrow('unknown hardware "h100". Did you mean "h100-sxm"? Known: h100-sxm');
  });

  it('prints a table over batches and formats without --batch/--weights', async () => {
    const io = await run(['perf', '--hardware', 'h100-sxm', '--model', 'llama-3.1-70b']);
    expect(io.stdout).toMatch(/^llama-3.1-70b on h100-sxm, KV bf16, context 2048/);
    expect(io.stdout).toMatch(/bf16  tp 2, weights 141.1 GB/);
    const j = JSON.parse((await run(['perf', '--hardware', 'h100-sxm', '--model', 'llama-3.1-8b', '--json'])).stdout);
    expect(j.rows.length).toBe(40);
  });
});

describe('breakeven calibrate', () => {
  it('prints predicted vs measured for every point with leave-one-out errors', async () => {
    const io = await run(['calibrate', '--hardware', 'h100-sxm', '--measurements', MEASURED, '--hold-out', '2']);
    expect(io.stdout).toMatch(/^calibration of h100-sxm: predicted vs measured \(ms\)/);
    expect(io.stdout).toMatch(/fitted points \(7\): median \|error\| [\d.]+ %, max [\d.]+ %/);
    expect(io.stdout).toMatch(/held-out points \(2\)/);
    expect(io.stdout.match(/llama-3.1-8b/g)).toHaveLength(9);
  });
});
