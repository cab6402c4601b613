/**
 * Plan-time help for options that cannot do what was asked: a warning when a GPU has no
 * native tensor rate for the weight format (FP8 on Ampere: emulated, not refused), and a
 * "try tp: N" hint when the TTFT target is below the prefill time at the chosen tp.
 */
import { describe, expect, it } from 'vitest';
import { loadWorkloadData } from '../../src/config/index.js';
import { simulate } from '../../src/sim/index.js';

function workload(ttftMs: number, tp?: number) {
  return {
    kind: 'workload',
    name: 'hints',
    description: '',
    model: 'llama-3.1-70b',
    api: 'gpt-4o',
    traffic: { requests_per_day: 20000, input_tokens: 8000, output_tokens: 200 },
    self_hosted: { slo: { ttft_ms: ttftMs }, options: [{ gpu: 'a100-80gb', weights: 'fp8', ...(tp !== undefined ? { tp } : {}), fleet: { policy: 'fixed' } }] },
    simulation: { trials: 6 },
  };
}

async function run(ttftMs: number, tp?: number) {
  return (await simulate(loadWorkloadData(workload(ttftMs, tp)), { workers: 1 })).result;
}

describe('format and TTFT hints', () => {
  it('FP8 on an A100 (no FP8 tensor rate) is emulated and says so', async () => {
    const r = await run(60_000);
    expect(r.options[0]!.feasible).toBe(true);
    expect(r.warnings.join('\n')).toMatch(/a100-80gb-fp8-fixed: NVIDIA A100 SXM 80GB has no native FP8 tensor rate, so FP8 is emulated, not refused/);
  }, 30_000);
  it('a TTFT target below the prefill time names the tp that would meet it, within one node', async () => {
    // 8,000-token prompts of a 70B model take seconds to prefill on 2×A100 (the default tp);
    // the hint names the smallest power-of-two tp that meets 1.5 s, and that tp does
    let r = await run(1500);
    expect(r.options[0]!.feasible).toBe(false);
    const m = /^TTFT target 1500 ms is below the prefill time alone \(\d+ ms\); try tp: (\d+) /.exec(r.options[0]!.infeasible_reason ?? '');
    expect(m, r.options[0]!.infeasible_reason ?? '').not.toBeNull();
    const tp = Number(m![1]);
    expect((await run(1500, tp)).options[0]!.feasible).toBe(true);
    if (tp / 2 > 2) expect((await run(1500, tp / 2)).options[0]!.feasible).toBe(false);
    // 0.3 s is out of reach even on a whole 8-GPU node
    r = await run(300);
    expect(r.options[0]!.infeasible_reason).toMatch(/; even tp: 8 \(a whole 8-GPU node\) would not meet it/);
  }, 30_000);
});
