import { describe, it, expect } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readTrace } from '../../src/traffic/index.js';
import { loadWorkload } from '../../src/config/index.js';
import { simulate } from '../../src/sim/index.js';
import { UserError } from '../../src/cli/io.js';

const dir = mkdtempSync(join(tmpdir(), 'trace-'));
const hours = Array.from({ length: 168 }, (_, h) => 100 + 50 * Math.sin((2 * Math.PI * h) / 24));

describe('readTrace', () => {
  it('reads the named column, skipping blank lines', () => {
    const f = join(dir, 'ok.csv');
    writeFileSync(f, 'hour,requests\n' + hours.map((v, h) => `${h},${v}`).join('\n') + '\n\n');
    const t = readTrace(f, 'requests');
    expect(t.length).toBe(168);
    expect(t[6]).toBeCloseTo(hours[6]!, 12);
  });
  it('names the line and the rule for a bad cell, and the columns for a missing one', () => {
    const f = join(dir, 'bad.csv');
    writeFileSync(f, 'hour,requests\n' + hours.map((v, h) => `${h},${h === 30 ? 'lots' : v}`).join('\n'));
    expect(() => readTrace(f, 'requests')).toThrow(new UserError(`${f}: line 32: column "requests" must be a number >= 0 and <= 1e+15 (got "lots")`));
    expect(() => readTrace(f, 'calls')).toThrow(/no column "calls" in the header \(columns: hour, requests\)/);
  });
});

describe('trace replay in a workload', () => {
  it('demand follows the trace hour by hour when there is no noise', async () => {
    writeFileSync(join(dir, 'week.csv'), 'hour,requests\n' + hours.map((v, h) => `${h},${v}`).join('\n'));
    const wl = join(dir, 'trace.yaml');
    writeFileSync(
      wl,
      `kind: workload
name: trace replay
description: a measured week, replayed
horizon_months: 1
model: llama-3.1-8b
api: gpt-4o-mini
traffic:
  requests_per_day: 2400
  input_tokens: 1000
  output_tokens: 200
  noise: { cv: 0, autocorrelation: 0 }
  trace: { file: week.csv, column: requests }
self_hosted:
  options:
    - { gpu: l4, weights: fp8, fleet: { policy: fixed } }
`,
    );
    const { result } = await simulate(loadWorkload(wl), { trials: 2, workers: 1 });
    const demand = result.traffic_week.demand_tokens_per_hour;
    for (let h = 0; h < 168; h++) expect(Math.abs(demand[h]! - hours[h]! * 1200) / (hours[h]! * 1200)).toBeLessThan(1e-5);
  });
});
