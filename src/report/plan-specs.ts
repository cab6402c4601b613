/**
 * Vega-Lite specs for the plan report: the two Pareto frontiers (median $/month vs decode
 * step, median vs p90 $/month) and GPUs needed across volumes. Built from the PlanResult
 * (a few hundred points at most). Candidate ids only go into data values, never into
 * Vega expressions.
 */
import type { TopLevelSpec } from 'vega-lite';
import type { PlanResult } from '../plan/index.js';
import { CONFIG, TOKENS_LABEL, USD_LABEL, WIDTH, type ChartSpec } from './specs.js';

const header = (title: string) => ({ $schema: 'https://vega.github.io/schema/vega-lite/v6.json', title, width: WIDTH, height: 300, config: CONFIG });

function frontierChart(key: string, title: string, caption: string, points: { id: string; x: number; y: number; frontier: boolean }[], xTitle: string, xUsd: boolean): ChartSpec {
  const spec = {
    ...header(title),
    data: { values: points.map((p) => ({ ...p, status: p.frontier ? 'on the frontier' : 'dominated' })) },
    layer: [
      {
        mark: { type: 'point', filled: true, size: 40, opacity: 0.45 },
        encoding: {
          x: { field: 'x', type: 'quantitative', title: xTitle, scale: { zero: false }, ...(xUsd ? { axis: { labelExpr: USD_LABEL } } : {}) },
          y: { field: 'y', type: 'quantitative', title: 'median cost, $/month', scale: { zero: false }, axis: { labelExpr: USD_LABEL } },
          color: { field: 'status', type: 'nominal', title: null, scale: { domain: ['on the frontier', 'dominated'], range: ['#d62728', '#1f77b4'] } },
          tooltip: [{ field: 'id', type: 'nominal', title: 'candidate' }, { field: 'x', type: 'quantitative', title: xTitle, format: ',.4~g' }, { field: 'y', type: 'quantitative', title: '$/month', format: ',.0f' }],
        },
      },
      {
        transform: [{ filter: 'datum.frontier' }],
        mark: { type: 'line', color: '#d62728', point: { color: '#d62728', size: 50 } },
        encoding: { x: { field: 'x', type: 'quantitative' }, y: { field: 'y', type: 'quantitative' }, order: { field: 'x', type: 'quantitative' } },
      },
    ],
  } as unknown as TopLevelSpec;
  return { key, title, caption, spec };
}

/** The plan report's charts (empty when nothing was simulated). */
export function buildPlanChartSpecs(r: PlanResult): ChartSpec[] {
  const eligible = r.candidates.filter((c) => c.eligible);
  if (eligible.length === 0) return [];
  const charts: ChartSpec[] = [];
  const onTpot = new Set(r.pareto.cost_vs_tpot);
  const withPerf = eligible.filter((c) => c.perf !== null);
  if (withPerf.length > 0) {
    charts.push(
      frontierChart(
        'pareto-latency',
        'Cost vs latency: median $/month against time per output token',
        'Each dot is a candidate that meets the SLO; red ones are the frontier: no other is both cheaper and faster per token (decode step at the batch the TPOT target allows). Left and down is better.',
        withPerf.map((c) => ({ id: c.id, x: c.perf!.decode_step_ms, y: c.cost_per_month.p50, frontier: onTpot.has(c.id) })),
        'decode step at the chosen batch, ms (TPOT)',
        false,
      ),
    );
  }
  const onRisk = new Set(r.pareto.cost_vs_p90);
  charts.push(
    frontierChart(
      'pareto-risk',
      'Cost vs risk: median against p90 $/month',
      'Each dot is a candidate that meets the SLO; red ones are the frontier: no other has both a lower median and a lower p90 monthly cost (the bad-case bill). Left and down is better.',
      eligible.map((c) => ({ id: c.id, x: c.cost_per_month.p90, y: c.cost_per_month.p50, frontier: onRisk.has(c.id) })),
      'p90 cost, $/month',
      true,
    ),
  );
  if (r.volumes.series.length > 0) {
    const values = r.volumes.series.flatMap((s) =>
      s.points.filter((p) => p.gpus !== null).map((p) => ({ id: s.id, scale: p.scale, tokens: p.tokens_per_month, p50: p.gpus!.p50, p90: p.gpus!.p90 })),
    );
    const spec = {
      ...header('GPUs needed across volumes'),
      data: { values },
      layer: [
        {
          mark: { type: 'line', point: true },
          encoding: {
            x: { field: 'tokens', type: 'quantitative', title: 'volume, tokens/month (median)', scale: { type: 'log' }, axis: { labelExpr: TOKENS_LABEL } },
            y: { field: 'p50', type: 'quantitative', title: 'GPUs (median; ticks: p90)' },
            color: { field: 'id', type: 'nominal', title: 'candidate' },
            tooltip: [{ field: 'id', type: 'nominal' }, { field: 'scale', type: 'quantitative', title: '× volume' }, { field: 'p50', type: 'quantitative', title: 'GPUs p50' }, { field: 'p90', type: 'quantitative', title: 'GPUs p90' }],
          },
        },
        {
          mark: { type: 'tick', thickness: 2 },
          encoding: { x: { field: 'tokens', type: 'quantitative' }, y: { field: 'p90', type: 'quantitative' }, color: { field: 'id', type: 'nominal' } },
        },
      ],
    } as unknown as TopLevelSpec;
    charts.push({
      key: 'volumes',
      title: 'GPUs needed across volumes',
      caption: `The best ${r.volumes.series.length} candidates re-simulated at ${r.volumes.scales.join('×, ')}× the scenario's requests per day (${r.volumes.trials} trials each): lines are the median GPU count, ticks the p90. A hybrid fleet may keep 0 GPUs at low volume and send everything to the API.`,
      spec,
    });
  }
  return charts;
}
