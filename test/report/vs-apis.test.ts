/**
 * The report's "vs other APIs" table (workload compare_apis): present only when the result has
 * extra baselines, every label escaped, savings signed, infeasible options said in words; old
 * results without the fields render as before.
 */
import { describe, expect, it } from 'vitest';
import { renderReport, versusFacts } from '../../src/report/index.js';
import type { SimulationResult } from '../../src/sim/result.js';
import { loadFixture, XSS } from './fixtures/variants.js';

function withBaseline(): SimulationResult {
  const r = loadFixture();
  r.compare_apis = [{ id: 'evil', label: `Evil ${XSS}`, mix: [{ api: 'evil', share: 1 }], cost_per_million_tokens: { p10: 1, p50: 1, p90: 1, mean: 1 }, cost_per_month: { p10: 2000, p50: 2000, p90: 2000, mean: 2000 } }];
  for (const o of r.options) o.vs_apis = { evil: { p_cheaper: 0.25, savings_per_month: { p10: -3000, p50: -1500, p90: 500, mean: -1400 }, breakeven_tokens_per_month: { p10: 1e9, p50: 2e9, p90: 4e9, mean: 2.2e9 }, never_breaks_even_share: 0.1 } };
  return r;
}

describe('vs other APIs', () => {
  it('a table row per option and baseline, labels escaped', async () => {
    const r = withBaseline();
    r.options[0]!.label = `opt ${XSS}`;
    const html = await renderReport(r, {});
    const at = html.indexOf('<section id="vs-apis">');
    expect(at).toBeGreaterThan(html.indexOf('<section id="summary">'));
    const section = html.slice(at, html.indexOf('</section>', at));
    expect(section).not.toContain(XSS);
    expect(section).toContain('Evil &lt;img src=x onerror=alert(1)&gt;');
    expect(section.match(/<tr[ >]/g)!.length).toBe(r.options.length + 1); // + the header
    expect(section).toContain('-$1.5 K');
  }, 30_000);

  it('absent without compare_apis, and from results written before them', async () => {
    const html = await renderReport(loadFixture(), {});
    expect(html).not.toContain('id="vs-apis"');
  }, 30_000);

  it('the console line in words', () => {
    const r = withBaseline();
    const o = r.options.find((x) => x.feasible)!;
    expect(versusFacts(r, o, r.compare_apis[0]!)).toBe(`vs Evil ${XSS} ($2 K/month): cheaper and within the SLO in 25 % of trials; saves -$1.5 K/month (p50); break-even 2 B tokens/month`);
  });
});
