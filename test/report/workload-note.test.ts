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
});
