/** The console summary names, per option, how much of a deferred batch share missed the window (self_hosted.batch_share: deferred). */
import { describe, it, expect } from 'vitest';
import { summaryTable } from '../../src/cli/simulate.js';
import { K, loaded, run } from '../sim/workload-fixture.js';

describe('console summary with a deferred batch share', () => {
  it('one line after the table: the share deferred, the window, and each option\'s median miss', async () => {
    // flat 1.5 K/h, half deferrable, one replica for the interactive half: 2/3 of the deferred calls miss (test/sim/workloads.test.ts)
    const l = loaded({ traffic: { requests_per_day: 24 * 1.5 * K }, apiPricing: { batch_share: 0.5 }, selfHosted: { batch_share: 'deferred' }, trials: 3 });
    const { result } = await run(l);
    const text = summaryTable(result, await import('../../src/report/index.js'));
    expect(text).toContain('\nbatch share served off-peak: 50 % of calls (p50) wait up to 24 h for free capacity; missed, to the API at standard prices (p50): opt0 67 %\n');
    const off = await run(loaded({ traffic: { requests_per_day: 24 * 1.5 * K }, apiPricing: { batch_share: 0.5 }, trials: 3 }));
    expect(summaryTable(off.result, await import('../../src/report/index.js'))).not.toContain('off-peak');
  });
});
