import { beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { answerSentence, buildChartSpecs, renderReport, reproduceCommand, resultJson, trialsCsv, writeOutputs } from '../../src/report/index.js';
import type { TrialTable } from '../../src/sim/result.js';
import { edgeCaseResult, hostileResult, loadFixture, XSS } from './fixtures/variants.js';

const EXPECTED_CHARTS = ['breakeven-curve', 'breakeven-distribution', 'cost-fan', 'cumulative-cost', 'tornado', 'throughput', 'traffic-week', 'utilisation-heatmap'];

let staticHtml: string;
beforeAll(async () => {
  staticHtml = await renderReport(Object.freeze(loadFixture()), {});
}, 30_000);

describe('renderReport (static)', () => {
  it('has every chart as inline SVG with marks', () => {
    for (const key of EXPECTED_CHARTS) {
      const m = new RegExp(`data-chart="${key}"[^>]*>\\s*<div class="chart-static"><svg[^]*?</svg>`).exec(staticHtml);
      expect(m, key).not.toBeNull();
      expect(m![0]).toMatch(/<path|<line|<rect/);
    }
    expect(buildChartSpecs(loadFixture()).map((c) => c.key)).toEqual(EXPECTED_CHARTS);
  });
  it('references no external URL and runs no script', () => {
    const withoutNs = staticHtml.replace(/xmlns(:xlink)?="http:\/\/www\.w3\.org\/[^"]+"/g, '');
    expect(withoutNs).not.toMatch(/(https?:)?\/\/[a-z0-9.-]+\.[a-z]{2,}/i);
    expect(staticHtml).not.toMatch(/<script/i);
    expect(staticHtml).toMatch(/script-src 'none'/);
  });
  it('is deterministic: same result, same bytes', async () => {
    expect(await renderReport(loadFixture(), {})).toBe(staticHtml);
  }, 30_000);
  it('opens with one answer sentence per option', () => {
    const r = loadFixture();
    expect(answerSentence(r, r.options[0]!)).toBe(
      'Self-hosting Llama-3.1-70B FP8 on 2×H100 SXM (fixed fleet, owned) is cheaper than GPT-4o in 77 % of trials at 2 B tokens/month; it breaks even at 1.3 B tokens/month (median; 80 % of trials between 680 M and 2.5 B); in 4 % of trials it never breaks even.',
    );
    // an option that misses the SLO target in some trials says so, and what it would be without it
    const auto = r.options.find((o) => o.policy === 'autoscale')!;
    expect(answerSentence(r, { ...auto, p_cheaper_ignoring_slo: auto.p_cheaper + 0.05 })).toMatch(
      /\. It misses the 99 % SLO target in 7 % of trials \(median 99\.4 % of hours served in time\); those trials do not count as cheaper\. Ignoring the SLO it would be cheaper in \d+ % of trials\.$/,
    );
    // and how many GPUs it takes: replicas × tp (the fixture's fixed fleet: 2 × 2)
    expect(staticHtml).toContain('Fleet: 2 replicas × 2 GPUs = 4 GPUs (median).');
    expect(staticHtml.indexOf('id="answer"')).toBeLessThan(staticHtml.indexOf('id="summary"'));
    expect(staticHtml.indexOf('id="summary"')).toBeLessThan(staticHtml.indexOf('id="charts"'));
  });
  it('lists every input and the reproduce command', () => {
    const r = loadFixture();
    for (const i of r.inputs) expect(staticHtml).toContain(`<code>${i.path}</code>`);
    expect(reproduceCommand(r)).toBe('breakeven simulate workloads/chat-assistant-70b.yaml --trials 2000 --seed 42');
    expect(staticHtml).toContain(reproduceCommand(r));
    expect(staticHtml).toContain('6.1 %'); // calibration median error
  });
});

describe('renderReport: hostile strings and edge cases', () => {
  it('escapes every user string, in HTML and in SVG text', async () => {
    const html = await renderReport(hostileResult(), {});
    expect(html).not.toContain(XSS);
    expect(html).not.toMatch(/<img/i);
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
  }, 30_000);
  it('says why an option cannot run, when it never breaks even, and when it always wins', () => {
    const r = edgeCaseResult();
    const [a, b, c] = r.options;
    expect(answerSentence(r, a!)).toBe('Self-hosting Llama-3.1-70B FP8 on 2×H100 SXM (fixed fleet, owned) is not possible as configured: weights need 141 GB; does not fit on 1×H100 SXM (needs tp ≥ 2).');
    expect(answerSentence(r, b!)).toMatch(/in 85 % of trials it never breaks even at any volume searched, so GPT-4o is the safer choice/);
    expect(answerSentence(r, c!)).toMatch(/is cheaper than GPT-4o in every trial at 2 B tokens\/month/);
    const noBreak = { ...b!, breakeven_tokens_per_month: null, never_breaks_even_share: 1, p_cheaper: 0 };
    expect(answerSentence(r, noBreak)).toMatch(/in no trial .*; it never breaks even/);
    const partly = { ...c!, feasible_share: 0.7 };
    expect(answerSentence(r, partly)).toMatch(/only 70 % of trials/);
    // the infeasible option has no chart data and no curve
    expect(buildChartSpecs(r).length).toBe(EXPECTED_CHARTS.length);
  });
});

describe('renderReport (interactive)', () => {
  it('inlines vega and compiled specs, allows scripts only by hash', async () => {
    const html = await renderReport(hostileResult(), { interactive: true });
    expect(html).toContain('<script type="application/json" id="vega-specs">');
    expect(html).toMatch(/script-src 'sha256-[A-Za-z0-9+/=]+' 'sha256-[A-Za-z0-9+/=]+' 'unsafe-eval'/);
    expect(html).not.toMatch(/<script src=/i);
    // no user string closes the JSON script block
    const json = /<script type="application\/json" id="vega-specs">([^]*?)<\/script>/.exec(html)![1]!;
    expect(json).not.toContain('<');
    expect(Object.keys(JSON.parse(json) as object)).toEqual(EXPECTED_CHARTS);
  }, 30_000);
});

describe('machine outputs', () => {
  const table: TrialTable = {
    trials: 2,
    options: ['a', 'b,c'],
    metrics: ['breakeven_tokens_per_month', 'cost_per_month'],
    data: [
      [Float64Array.from([1e9, Number.NaN]), Float64Array.from([5000, 5100.5])],
      [Float64Array.from([2e9, 3e9]), Float64Array.from([6000, 6100])],
    ],
  };
  it('writes the trial CSV trial-major with documented columns', () => {
    expect(trialsCsv(table)).toBe('trial,option,breakeven_tokens_per_month,cost_per_month\n0,a,1000000000,5000\n0,"b,c",2000000000,6000\n1,a,,5100.5\n1,"b,c",3000000000,6100\n');
  });
  it('writes json, html and csv together; json round-trips and ends with a newline', () => {
    const dir = mkdtempSync(join(tmpdir(), 'report-out-'));
    try {
      const r = loadFixture();
      const paths = writeOutputs(r, { outDir: join(dir, 'reports'), baseName: 'x', html: '<p>hi</p>', trials: table, csv: true });
      expect(paths.map((p) => p.slice(dir.length))).toEqual(['/reports/x.json', '/reports/x.html', '/reports/x.trials.csv']);
      const text = readFileSync(paths[0]!, 'utf8');
      expect(text).toBe(resultJson(r));
      expect(text.endsWith('}\n')).toBe(true);
      expect(JSON.parse(text)).toEqual(r);
      expect(readdirSync(join(dir, 'reports')).sort()).toEqual(['x.html', 'x.json', 'x.trials.csv']);
      expect(() => writeOutputs(r, { outDir: dir, baseName: 'y', html: '', csv: true })).toThrow(/no per-trial table/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('methodology words come from the code that computes', () => {
  it('prints the step, capacity and API cost rules from their modules, and no hand-written formula', async () => {
    const { STEP_RULE, CAPACITY_RULE } = await import('../../src/perf/index.js');
    const { API_COST_RULE, FLEET_CONVENTIONS } = await import('../../src/cost/index.js');
    const { escapeHtml } = await import('../../src/report/index.js');
    for (const rule of [STEP_RULE, CAPACITY_RULE, API_COST_RULE, ...FLEET_CONVENTIONS.map((c) => c.text)]) expect(staticHtml).toContain(escapeHtml(rule));
    // the v1 text printed a single max(memory, compute) for the whole step and no engine
    expect(staticHtml).not.toContain('t_step = max(');
    expect(CAPACITY_RULE).toContain('engine_efficiency');
  });

  it('the step rule names every term perf/model.ts sums into a step', async () => {
    const { STEP_RULE } = await import('../../src/perf/index.js');
    // stepParts: max(tW, tC) + max(tLmW, tLmC) + max(tKv, tAttC) + tPre + tAct + overhead + all-reduce
    for (const term of ['linear layers', 'lm_head', 'attention', 'activations', 'fixed per-step overhead', 'all-reduces', 'prompt chunk']) expect(STEP_RULE).toContain(term);
  });
});
