/**
 * Where the charts are drawn does not change a byte: a render worker (started before the work
 * it overlaps, as the CLI does) and this thread give the same HTML, static and interactive;
 * each chart is compiled once and that Vega spec is what the interactive page carries.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { buildChartSpecs, earlyCharts, inThreadRenderer, renderReport, startRenderWorker, throughputCharts } from '../../src/report/index.js';
import { loadModules, renderCharts, renumberSvgIds, withPrerender, type ChartInput, type RenderedChart } from '../../src/report/render.js';
import { WARM_UP_CHARTS } from '../../src/report/warm-up-charts.js';
import { edgeCaseResult, hostileResult, loadFixture } from './fixtures/variants.js';

// warming up whatever the machine's load, so the tests see the warm-up run before real work
const worker = startRenderWorker({ warmUp: true });
afterAll(() => worker.close());

describe('chart renderers', () => {
  it('the worker and this thread give byte-identical reports (static and interactive)', async () => {
    // the hostile result: user strings in titles and data cross the thread boundary intact
    const result = hostileResult();
    for (const interactive of [false, true]) {
      const here = await renderReport(result, { interactive });
      const there = await renderReport(result, { interactive, renderer: worker });
      expect(there === here, `${interactive ? 'interactive' : 'static'}`).toBe(true);
    }
  }, 120_000);

  it('draws every chart once, in order, with the compiled spec the interactive page embeds', async () => {
    const result = loadFixture();
    const charts = buildChartSpecs(result);
    const drawn = await inThreadRenderer.render(charts);
    expect(drawn.map((d) => d.key)).toEqual(charts.map((c) => c.key));
    for (const d of drawn) {
      expect(d.svg.startsWith('<svg'), d.key).toBe(true);
      expect(d.vega).toHaveProperty('marks');
    }
    const html = await renderReport(result, { interactive: true });
    const embedded = JSON.parse(/<script type="application\/json" id="vega-specs">([\s\S]*?)<\/script>/.exec(html)![1]!.replace(/\\u003c/g, '<')) as Record<string, unknown>;
    expect(Object.keys(embedded)).toEqual(drawn.map((d) => d.key));
    for (const d of drawn) expect(embedded[d.key], d.key).toEqual(JSON.parse(JSON.stringify(d.vega)));
  }, 120_000);

  it('vega and vega-lite from their UMD builds (what the renderer loads) draw the bytes their ES modules draw', async () => {
    const [esVega, esVl, umd] = await Promise.all([import('vega'), import('vega-lite'), loadModules()]);
    expect(umd.vega.version).toBe(esVega.version);
    expect(umd.vl.version).toBe(esVl.version);
    // the edge cases too: an infeasible option, one that never breaks even, one always cheaper
    for (const result of [loadFixture(), edgeCaseResult()]) {
      const charts = buildChartSpecs(result);
      const drawn = await inThreadRenderer.render(charts);
      for (let i = 0; i < charts.length; i++) {
        const compiled = esVl.compile(charts[i]!.spec).spec;
        expect(drawn[i]!.vega, charts[i]!.key).toEqual(compiled);
        const view = new esVega.View(esVega.parse(compiled), { renderer: 'none', logger: esVega.logger(esVega.None) });
        const svg = renumberSvgIds(await view.toSVG(), `chart-${charts[i]!.key}`);
        view.finalize();
        expect(drawn[i]!.svg === svg, charts[i]!.key).toBe(true);
      }
    }
  }, 120_000);

  it('a worker told to stop warming up draws the same bytes; so do one that never warms up and one told to start later', async () => {
    const result = hostileResult();
    const here = await renderReport(result);
    for (const [warmUp, later] of [[true, false], [false, false], [false, true]] as const) {
      const w = startRenderWorker({ warmUp });
      try {
        w.setWarmUp(later);
        // a render request arrives while the warm-up may still be drawing: it waits its turn
        expect((await renderReport(result, { renderer: w })) === here, `warmUp: ${warmUp}, then ${later}`).toBe(true);
      } finally {
        await w.close();
      }
    }
  }, 120_000);

  it('the warm-up draws every chart kind the report has, without an error (the worker would swallow it)', async () => {
    expect(WARM_UP_CHARTS.map((c) => c.key)).toEqual(buildChartSpecs(loadFixture()).map((c) => `warm-up-${c.key}`));
    const drawn = await renderCharts(WARM_UP_CHARTS);
    for (const d of drawn) expect(d.svg.startsWith('<svg'), d.key).toBe(true);
  }, 120_000);

  it('charts drawn ahead (the throughput charts, from the curves alone, while the trials run) give the same report, byte for byte', async () => {
    const result = loadFixture();
    const here = await renderReport(result);
    const w = startRenderWorker({ warmUp: false });
    try {
      const ahead = throughputCharts(result.throughput_curves);
      expect(ahead.length).toBeGreaterThan(0);
      w.prerender(ahead.map((c) => ({ key: c.key, spec: c.spec })));
      expect((await renderReport(result, { renderer: w })) === here).toBe(true);
      // the report's own throughput charts are the ones drawn ahead: same keys, same specs
      const all = buildChartSpecs(result);
      for (const c of ahead) expect(all.find((x) => x.key === c.key)?.spec).toEqual(c.spec);
    } finally {
      await w.close();
    }
  }, 120_000);

  it('the curves the CLI draws ahead (throughputCurves of the plan, before the trials) are the result\'s, for every bundled scenario', async () => {
    const { simulate, throughputCurves } = await import('../../src/sim/index.js');
    const { loadWorkload } = await import('../../src/config/index.js');
    const { readdirSync } = await import('node:fs');
    const files = readdirSync('workloads').filter((f) => f.endsWith('.yaml'));
    expect(files.length).toBeGreaterThan(10);
    for (const f of files) {
      let ahead: unknown;
      const { result } = await simulate(loadWorkload(`workloads/${f}`), { trials: 3, workers: 1, onPlan: (plan) => (ahead = throughputCurves(plan)) });
      expect(ahead, f).toEqual(result.throughput_curves);
    }
  }, 120_000);

  it('the charts the CLI draws once the trials are done (earlyCharts of the early summary) are the whole result\'s, for every bundled scenario', async () => {
    const { simulate } = await import('../../src/sim/index.js');
    const { loadWorkload } = await import('../../src/config/index.js');
    const { readdirSync } = await import('node:fs');
    const files = readdirSync('workloads').filter((f) => f.endsWith('.yaml'));
    for (const f of files) {
      let early: import('../../src/sim/index.js').EarlySummary | undefined;
      const { result } = await simulate(loadWorkload(`workloads/${f}`), { trials: 40, workers: 1, onTrialsDone: (e) => (early = e) });
      // every field of the early summary is the result's own
      expect(early, f).toEqual({
        api: { label: result.api.label },
        scenario: { horizon_months: result.scenario.horizon_months, trials: result.scenario.trials },
        options: result.options.map((o) => ({ id: o.id, label: o.label, feasible: o.feasible, pricing: o.pricing, payback_month: o.payback_month, never_breaks_even_share: o.never_breaks_even_share })),
        volume_tokens_per_month: result.volume_tokens_per_month,
        curves: result.curves,
        breakeven_histograms: result.breakeven_histograms,
        cumulative_cost: result.cumulative_cost,
        traffic_week: result.traffic_week,
        utilisation_by_hour_of_week: result.utilisation_by_hour_of_week,
      });
      // so its charts are the whole result's (the renderer's drawings ahead are taken)
      const whole = new Map(buildChartSpecs(result).map((c) => [c.key, c.spec]));
      const ahead = earlyCharts(early!);
      expect(ahead.length, f).toBeGreaterThan(0);
      for (const c of ahead) expect(c.spec, `${f}: ${c.key}`).toEqual(whole.get(c.key));
    }
    // a scenario with owned hardware marks its payback on the cumulative chart drawn ahead
    let early: import('../../src/sim/index.js').EarlySummary | undefined;
    await simulate(loadWorkload('workloads/enterprise-pipeline.yaml'), { trials: 40, workers: 1, onTrialsDone: (e) => (early = e) });
    expect(early!.options.some((o) => o.payback_month !== null)).toBe(true);
    expect(JSON.stringify(earlyCharts(early!).find((c) => c.key === 'cumulative-cost')!.spec)).toContain('pays back in month');
  }, 120_000);

  it('drawing ahead: a later render takes a drawing of the same key and spec, draws the rest in one request, keeps the order, and redraws one that failed', async () => {
    const requests: string[][] = [];
    let failNext = false;
    const draw = async (charts: readonly ChartInput[]): Promise<RenderedChart[]> => {
      requests.push(charts.map((c) => c.key));
      if (failNext) {
        failNext = false;
        throw new Error('drawing failed');
      }
      return charts.map((c) => ({ key: c.key, vega: {} as RenderedChart['vega'], svg: `<svg>${c.key}:${JSON.stringify(c.spec)}</svg>` }));
    };
    const chart = (key: string, n = 1): ChartInput => ({ key, spec: { mark: 'point', data: { values: [{ n }] } } as ChartInput['spec'] });
    const r = withPrerender(draw);
    r.prerender([chart('t1'), chart('t2')]);
    const out = await r.render([chart('a'), chart('t2'), chart('b'), chart('t1')]);
    expect(out.map((c) => c.key)).toEqual(['a', 't2', 'b', 't1']);
    expect(out[1]!.svg).toBe('<svg>t2:{"mark":"point","data":{"values":[{"n":1}]}}</svg>');
    expect(requests).toEqual([['t1', 't2'], ['a', 'b']]);
    // the same key with another spec is another drawing
    requests.length = 0;
    await r.render([chart('t1', 2)]);
    expect(requests).toEqual([['t1']]);
    // a drawing ahead that failed is drawn again when asked for
    const r2 = withPrerender(draw);
    failNext = true;
    r2.prerender([chart('x')]);
    requests.length = 0;
    const again = await r2.render([chart('x'), chart('y')]);
    expect(again.map((c) => c.key)).toEqual(['x', 'y']);
    expect(requests).toEqual([['y'], ['x']]);
  });

  it('a renderer that cannot start, or ends on its own, leaves the report to this thread: the same bytes, and the reason said once', async () => {
    const result = hostileResult();
    const here = await renderReport(result);
    const cases = [
      { entry: 'test/report/fixtures/no-such-renderer.mjs', said: /the chart renderer stopped \(exit 1\): Error: Cannot find module/ },
      { entry: 'test/report/fixtures/dying-renderer.mjs', said: /the chart renderer stopped \(exit 3\)/ },
    ];
    for (const { entry, said } of cases) {
      const reasons: string[] = [];
      const w = startRenderWorker({ warmUp: false, entry, onFallback: (why) => reasons.push(why) });
      try {
        // drawn ahead too: a drawing ahead never falls back to this thread (it would run beside
        // the trials); the report draws it again
        w.prerender(throughputCharts(result.throughput_curves).map((c) => ({ key: c.key, spec: c.spec })));
        expect((await renderReport(result, { renderer: w })) === here, entry).toBe(true);
        expect((await renderReport(result, { renderer: w })) === here, `${entry}, again`).toBe(true);
        expect(reasons, entry).toHaveLength(1);
        expect(reasons[0], entry).toMatch(said);
      } finally {
        await w.close();
      }
    }
  }, 120_000);

  it('closing waits for the renderer to end, even when a drawing ahead is answered meanwhile (no exit 13)', () => {
    // in a process of its own: an emptied event loop ends that process, not this test's
    const held = join(mkdtempSync(join(tmpdir(), 'breakeven-render-')), 'held');
    try {
      const r = spawnSync(process.execPath, ['--import', 'tsx', 'test/report/fixtures/close-while-answering.ts', 'test/report/fixtures/answer-on-term-renderer.mjs', held], { encoding: 'utf8', timeout: 60_000 });
      expect({ code: r.status, stdout: r.stdout, stderr: r.stderr }).toEqual({ code: 0, stdout: 'closed\n', stderr: '' });
      expect(existsSync(held), 'the renderer held the request when it was closed').toBe(true);
    } finally {
      rmSync(dirname(held), { recursive: true, force: true });
    }
  }, 60_000);

  it('a closed worker refuses new work with a message instead of hanging', async () => {
    const w = startRenderWorker();
    await w.close();
    await w.close();
    await expect(w.render(buildChartSpecs(loadFixture()).slice(0, 1))).rejects.toThrow(/closed|stopped/);
  }, 60_000);
});
