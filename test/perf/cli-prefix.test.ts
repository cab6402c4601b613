/** `breakeven perf --prefix-hit/--prefix-reserve`, in-process (the pattern of cli.test.ts). */
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { memoryIO } from '../../src/cli/io.js';
import { registerPerf } from '../../src/cli/perf.js';
import { FIXTURES } from './helpers.js';

async function run(args: string[]) {
  const io = memoryIO();
  const program = new Command().exitOverride();
  registerPerf(program, io);
  for (const c of program.commands) c.exitOverride();
  await program.parseAsync(['node', 'breakeven', ...args, '--catalog-root', FIXTURES]);
  return io;
}
const shape = ['perf', '--hardware', 'h100-sxm', '--model', 'llama-3.1-8b', '--weights', 'fp8', '--input-tokens', '8000', '--output-tokens', '200'];

describe('breakeven perf --prefix-hit', () => {
  it('prefills (1 − hit)·n_in per request: prompt tokens per step B·(1 − h)·n_in/n_out, faster TTFT, more requests/s', async () => {
    const none = JSON.parse((await run([...shape, '--json'])).stdout);
    const half = JSON.parse((await run([...shape, '--prefix-hit', '0.5', '--json'])).stdout);
    expect(none.prefix_cache).toBeUndefined();
    // 8,000 × (1 − 0.5) = 4,000 tokens prefilled per request
    expect(half.prefix_cache).toEqual({ hit: 0.5, reserve_fraction: 0, prefilled_tokens_per_request: 4000 });
    const m = half.serving.max_load;
    // B·(1 − h)·n_in/n_out = B × 0.5 × 40 = 20·B
    expect(m.prompt_tokens_per_step).toBe(m.batch * 20);
    expect(m.ttft_ms_no_queue).toBeLessThan(none.serving.max_load.ttft_ms_no_queue);
    expect(m.requests_per_s).toBeGreaterThan(none.serving.max_load.requests_per_s);
    // no reserve: the memory batch is unchanged
    expect(half.serving.max_batch_memory).toBe(none.serving.max_batch_memory);
  });

  it('a reserve lowers the memory batch; the text line states the cache', async () => {
    const none = JSON.parse((await run([...shape, '--json'])).stdout);
    const r = JSON.parse((await run([...shape, '--prefix-hit', '0', '--prefix-reserve', '0.5', '--json'])).stdout);
    // half the free KV memory reserved: floor((free/2) / per-sequence) is within one of M/2, M = floor(free / per-sequence)
    expect(Math.abs(r.serving.max_batch_memory - none.serving.max_batch_memory / 2)).toBeLessThanOrEqual(1);
    const text = (await run([...shape, '--prefix-hit', '0.6'])).stdout;
    expect(text).toContain('8000 in / 200 out, prefix cache hit 0.6 (3200 tokens prefilled per request), 0 of KV memory reserved');
  });

  it('bad shares are refused with the option and the rule; the flag needs the request shape', async () => {
    await expect(run([...shape, '--prefix-hit', '1.5'])).rejects.toThrow(/--prefix-hit <share>.*a share from 0 to 1/);
    await expect(run([...shape, '--prefix-reserve', '0.95'])).rejects.toThrow(/a share from 0 to 0.9/);
    await expect(run(['perf', '--hardware', 'h100-sxm', '--model', 'llama-3.1-8b', '--prefix-hit', '0.5'])).rejects.toThrow(/--prefix-hit and --prefix-reserve need them/);
  });
});
