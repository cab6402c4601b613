// Report rendering cost on workloads/default.yaml (needs dist/: `npm run build`):
//   node bench/report.js wait [warm|cold|no-ahead]  the CLI's way: a render worker started
//                                 before loading the workload, warming up (if two cores idle,
//                                 or as forced) while start-up and then the trials leave two
//                                 cores idle, drawing the charts of the plan alone
//                                 (throughput) while the trials run and those of the early
//                                 summary as soon as they are done (neither with no-ahead);
//                                 prints the seconds from the trials done to HTML ready
//                                 (summarising included)
//   node bench/report.js charts   in this thread: loading vega, then each chart's compile and
//                                 draw, first (JIT-cold) and warm (median of 3), with the rows
//                                 of data Vega gets; the in-thread report total cold and warm
// Each prints one JSON line.
// As in the CLI (cli/main.ts), the CPU-counter window `auto` reads the machine's load over
// starts first and the rest loads after it, so the render threads see the same reading.
await import('../dist/util/cpu-window.js');
const { loadWorkload } = await import('../dist/config/index.js');
const { simulate, throughputCurves } = await import('../dist/sim/index.js');
const { buildChartSpecs, earlyCharts, renderReport, startRenderWorker, throughputCharts } = await import('../dist/report/index.js');
const { compileSpec, loadModules, renderSvg } = await import('../dist/report/render.js');

const mode = process.argv[2] ?? 'wait';
const file = new URL('../workloads/default.yaml', import.meta.url).pathname;
const now = () => performance.now() / 1000;
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

if (mode === 'wait') {
  // `wait warm` / `wait cold` force the warm-up on or off (default: as the CLI decides)
  const force = process.argv[3];
  // the CLI's order: the renderer first, then the workload (cli/simulate.ts)
  const renderer = startRenderWorker(force === 'warm' || force === 'cold' ? { warmUp: force === 'warm' } : {});
  const loaded = loadWorkload(file);
  const onThreads = force === 'cold' ? () => renderer.setWarmUp(false) : (_threads, spare) => renderer.setWarmUp(spare >= 2);
  const onPlan = force === 'no-ahead' ? undefined : (plan) => renderer.prerender(throughputCharts(throughputCurves(plan)).map((c) => ({ key: c.key, spec: c.spec })));
  // as the CLI: the charts the early summary decides go to the renderer as soon as the trials
  // are done, and the wait runs from then (it includes summarising the rest)
  let t = NaN;
  const onTrialsDone = (early) => {
    t = now();
    if (force !== 'no-ahead') renderer.prerender(earlyCharts(early).map((c) => ({ key: c.key, spec: c.spec })));
  };
  const { result } = await simulate(loaded, { workers: 'auto', onThreads, onPlan, onTrialsDone });
  await renderReport(result, { renderer });
  const wait = now() - t;
  await renderer.close();
  process.stdout.write(`${JSON.stringify({ mode, render_wait_s: Number(wait.toFixed(3)) })}\n`);
} else {
  const { result } = await simulate(loadWorkload(file), { workers: 1 });
  const charts = buildChartSpecs(result);
  let t = now();
  await loadModules();
  const load = now() - t;
  /** rows of inline data a spec hands to Vega (all layers and panels) */
  const rows = (spec) => {
    let n = 0;
    const walk = (v) => {
      if (v === null || typeof v !== 'object') return;
      if (Array.isArray(v)) return v.forEach(walk);
      if (v.data && Array.isArray(v.data.values)) n += v.data.values.length;
      for (const [k, x] of Object.entries(v)) if (k !== 'data') walk(x);
    };
    walk(spec);
    return n;
  };
  const per = [];
  const passes = 4;
  const totals = [];
  const times = charts.map(() => []);
  for (let p = 0; p < passes; p++) {
    const t0 = now();
    for (let i = 0; i < charts.length; i++) {
      const c = charts[i];
      t = now();
      await compileSpec(c.spec);
      const compile = now() - t;
      t = now();
      await renderSvg(c.spec, c.key);
      times[i].push({ compile, total: now() - t });
    }
    totals.push(now() - t0);
  }
  for (let i = 0; i < charts.length; i++) {
    const warm = times[i].slice(1);
    per.push({
      chart: charts[i].key,
      rows: rows(charts[i].spec),
      first_ms: Math.round(times[i][0].total * 1000),
      warm_ms: Math.round(median(warm.map((x) => x.total)) * 1000),
      warm_compile_ms: Math.round(median(warm.map((x) => x.compile)) * 1000),
    });
  }
  t = now();
  await renderReport(result);
  const report = now() - t;
  process.stdout.write(
    `${JSON.stringify({ mode, vega_load_s: Number(load.toFixed(3)), charts_first_pass_s: Number(totals[0].toFixed(3)), charts_warm_pass_s: Number(median(totals.slice(1)).toFixed(3)), report_warm_s: Number(report.toFixed(3)), per_chart: per })}\n`,
  );
}
