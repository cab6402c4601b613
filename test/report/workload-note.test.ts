/** Issue 15's notes in the report's answers: routing share, model and quality assumption; a sunk fleet. */
import { describe, it, expect } from 'vitest';
import { workloadNote } from '../../src/report/html.js';
import type { SimulationResult, OptionResult } from '../../src/sim/result.js';

const result = { api: { label: 'GPT-4o' } } as unknown as SimulationResult;
const option = (o: Partial<OptionResult>): OptionResult => ({ model: 'llama-3.1-8b', policy: 'fixed', routing: null, ...o }) as OptionResult;

describe('workloadNote', () => {
  it('states the routed share, the model, the API for the rest and the quality assumption verbatim', () => {
    const n = workloadNote(result, option({ routing: { share: { p10: 0.6, p50: 0.7, p90: 0.8, mean: 0.7 }, quality_assumption: 'the 8B is as good on FAQs' } }));
    expect(n).toContain('Routes 60 %-80 % of requests to llama-3.1-8b on this fleet and the rest to GPT-4o');
    expect(n).toContain('Quality assumption (not modelled): the 8B is as good on FAQs.');
  });
  it('says a fixed share once, and that an existing fleet counts no capex', () => {
    expect(workloadNote(result, option({ routing: { share: { p10: 0.7, p50: 0.7, p90: 0.7, mean: 0.7 }, quality_assumption: 'ok.' } }))).toContain('Routes 70 % of');
    expect(workloadNote(result, option({ policy: 'existing' }))).toContain('its capex or reservation is sunk and not counted');
    expect(workloadNote(result, option({}))).toBe('');
  });
  it('says how many batch runs miss their deadline, and where their rest goes', () => {
    const r = { api: { label: 'GPT-4o' }, batch_jobs: { deadline_hours: 8, api_batch_window_hours: 24, api_batch_prices: false, runs: 364 } } as unknown as SimulationResult;
    const n = workloadNote(r, option({ batch_runs_missed_share: { p10: 0.5, p50: 1, p90: 1, mean: 0.9 } }));
    expect(n).toContain('Batch jobs: 100 % of runs (median; 80 % of trials 50 %-100 %) miss their 8-hour deadline on this fleet');
    expect(n).toContain('goes to the API at standard prices');
  });
  it('says that the batch share is served off-peak, and how much of it misses the window', () => {
    const r = { api: { label: 'GPT-4o' }, deferred_batch_share: { window_hours: 24, share: { p10: 0.02, p50: 0.1, p90: 0.18, mean: 0.1 } } } as unknown as SimulationResult;
    const n = workloadNote(r, option({ deferred_missed_share: { p10: 0, p50: 0.05, p90: 0.2, mean: 0.08 } }));
    expect(n).toBe(
      ' Batch share served off-peak: the fleet is sized for the interactive calls only; the 10 % (median) that can wait for a batch API wait up to 24 hours for capacity they leave free, at full batch. 5 % of them (median; 80 % of trials 0 %-20 %) miss the window on this fleet and go to the API at standard prices, included in the cost.',
    );
    // a spread of one value is said once, never "0 %-0 %"
    const none = workloadNote(r, option({ deferred_missed_share: { p10: 0, p50: 0, p90: 0, mean: 0 } }));
    expect(none).toContain('0 % of them (median, and in 80 % of trials) miss the window');
    expect(none).not.toContain('0 %-0 %');
    // no note without deferral
    expect(workloadNote(result, option({ deferred_missed_share: null }))).toBe('');
  });
  it('states the prefix-cache hit at the typical request and the memory set aside for it', () => {
    const n = workloadNote(result, option({ perf: { prefix_cache: { hit: 0.37, cached_tokens: 83831, reserve_fraction: 0.2 } } as OptionResult['perf'] }));
    expect(n).toContain('Prefix cache: 37 % of prompt tokens served from the engine\'s cache at the typical request (83,831 tokens cached in the 20 % of KV memory set aside)');
    expect(workloadNote(result, option({ perf: { prefix_cache: null } as unknown as OptionResult['perf'] }))).toBe('');
  });
});
