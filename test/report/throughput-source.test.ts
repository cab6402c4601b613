/**
 * The report says how each GPU's throughput is known: a GPU that is not fitted on its own
 * measurements is named on the first screen; the methodology carries the capacity rule from
 * src/perf (words users read come from the code that computes) and one row per GPU.
 */
import { describe, expect, it } from 'vitest';
import { renderReport } from '../../src/report/index.js';
import { CAPACITY_RULE } from '../../src/perf/index.js';
import { escapeHtml } from '../../src/report/format.js';
import { loadFixture } from './fixtures/variants.js';

describe('throughput source in the report', () => {
  it('a transferred GPU is marked on the first screen; the methodology shows the rule and a row per GPU', async () => {
    const r = structuredClone(loadFixture());
    const note = 'not measured: efficiency transferred from h100-sxm (test)';
    r.options[0]!.perf = { ...r.options[0]!.perf!, throughput_source: 'transferred', throughput_source_note: note };
    for (const o of r.options) if (o.perf !== null) o.gpu = r.options[0]!.gpu;
    const html = await renderReport(r, {});
    const answer = html.slice(html.indexOf('<section id="answer">'), html.indexOf('<section id="summary">'));
    expect(answer).toContain(`<p class="note throughput-source"><b>${escapeHtml(r.options[0]!.gpu)}</b>: ${escapeHtml(note)}.</p>`);
    expect(html).toContain(escapeHtml(CAPACITY_RULE));
    expect(html).toMatch(/<table class="throughput-source">/);
    const fitted = await renderReport(loadFixture(), {});
    expect(fitted).not.toContain('<p class="note throughput-source">');
  });
});
