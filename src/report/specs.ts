/**
 * Vega-Lite specs for the report's charts, built from a SimulationResult's pre-binned data
 * (never per-trial arrays). Each chart has a key (the HTML container's `data-chart`), a title,
 * axis titles with units, and a one-line caption saying how to read it.
 *
 * User strings (option labels, API label) only ever go into data values and titles, never
 * into Vega expressions.
 */
import type { TopLevelSpec } from 'vega-lite';
import type { SimulationResult, EarlySummary } from '../sim/result.js';
import { formatCount, formatPercent, formatTokens } from './format.js';
import { inputWords, movesOption } from './inputs.js';
import { gpuName } from './headline.js';

export interface ChartSpec {
  /** stable id, the container's `data-chart` attribute */
  key: string;
  title: string;
  /** one line: how to read the chart */
  caption: string;
  spec: TopLevelSpec;
}

/** Vega expression: an axis value in tokens as "120 M" / "1.2 B". */
export const TOKENS_LABEL =
  "datum.value >= 1e12 ? format(datum.value / 1e12, '~g') + ' T' : datum.value >= 1e9 ? format(datum.value / 1e9, '~g') + ' B' : datum.value >= 1e6 ? format(datum.value / 1e6, '~g') + ' M' : datum.value >= 1e3 ? format(datum.value / 1e3, '~g') + ' K' : format(datum.value, '~g')";
/** Vega expression: an axis value in dollars as "$12 K" / "$1.5 M". */
export const USD_LABEL =
  "(datum.value < 0 ? '-$' : '$') + (abs(datum.value) >= 1e9 ? format(abs(datum.value) / 1e9, '~g') + ' B' : abs(datum.value) >= 1e6 ? format(abs(datum.value) / 1e6, '~g') + ' M' : abs(datum.value) >= 1e3 ? format(abs(datum.value) / 1e3, '~g') + ' K' : format(abs(datum.value), '~g'))";
/** Vega expression: hour of week (0 = Monday 00:00) as a weekday name. */
const WEEKDAY_LABEL = "['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun', ''][floor(datum.value / 24)]";

/** Option colours (Tableau 10 order): option i of the result has PALETTE[i] in every chart. */
const PALETTE = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#8c564b', '#e377c2', '#17becf', '#bcbd22'];
/**
 * Weight formats have their own fixed colours, dashes and point shapes (ColorBrewer Dark2
 * hues, none shared with PALETTE), so fp8 means one look in every throughput chart and two
 * formats whose lines coincide (fp8 and int8 on Hopper) are still told apart.
 */
export const FORMAT_STYLE: Record<string, { color: string; dash: number[]; shape: string }> = {
  bf16: { color: '#1b9e77', dash: [1, 0], shape: 'circle' },
  fp16: { color: '#66a61e', dash: [1, 0], shape: 'square' },
  fp8: { color: '#d95f02', dash: [1, 0], shape: 'triangle-up' },
  int8: { color: '#7570b3', dash: [6, 3], shape: 'diamond' },
  int4: { color: '#e7298a', dash: [2, 2], shape: 'cross' },
};
const FORMAT_FALLBACK = { color: '#666666', dash: [4, 2, 1, 2], shape: 'triangle-down' };
/** Dash patterns for capacity lines, by option index, so lines that coincide stay visible. */
const OPTION_DASH = [[1, 0], [7, 3], [2, 2], [9, 3, 2, 3], [4, 4], [1, 3], [12, 4], [3, 1], [6, 2, 1, 2]];
const API_COLOR = '#555555';
export const WIDTH = 640;

export const CONFIG = {
  font: 'Helvetica, Arial, sans-serif',
  view: { stroke: null },
  title: { fontSize: 14, anchor: 'start', offset: 10 },
  axis: { labelFontSize: 11, titleFontSize: 12, gridColor: '#e6e6e6' },
  legend: { labelFontSize: 11, titleFontSize: 11, labelLimit: 420, orient: 'bottom', direction: 'vertical' },
} as const;

/**
 * The top of every chart spec: schema, title, size (single views; concatenations size their
 * panels) and the shared config, in one key order so output stays byte-stable.
 */
function chartHeader(title: string, height?: number | { step: number }) {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title,
    ...(height !== undefined ? { width: WIDTH, height } : {}),
    config: CONFIG,
  };
}

/** Powers of ten covering [lo, hi] (log-axis tick values). */
export function decadeTicks(lo: number, hi: number): number[] {
  const out: number[] = [];
  if (!(lo > 0) || !(hi > 0)) return out;
  for (let e = Math.floor(Math.log10(lo)); e <= Math.ceil(Math.log10(hi)); e++) {
    const v = 10 ** e;
    if (v >= lo * 0.999 && v <= hi * 1.001) out.push(v);
  }
  return out;
}

/**
 * A log domain around [lo, hi] widened to whole 1-2-5 steps, so the ends carry ticks and a
 * marker at either end sits inside the plot. Degenerate or non-positive input → [1, 10].
 */
export function paddedLogDomain(lo: number, hi: number): [number, number] {
  if (!(lo > 0) || !(hi > 0) || !Number.isFinite(lo) || !Number.isFinite(hi)) return [1, 10];
  const down = (x: number) => {
    const e = 10 ** Math.floor(Math.log10(x));
    const m = x / e;
    return (m >= 5 ? 5 : m >= 2 ? 2 : 1) * e;
  };
  const up = (x: number) => {
    const e = 10 ** Math.floor(Math.log10(x));
    const m = x / e;
    return (m <= 1 ? 1 : m <= 2 ? 2 : m <= 5 ? 5 : 10) * e;
  };
  let a = down(lo * 0.999);
  let b = up(hi * 1.001);
  if (b <= a) b = up(a * 2.0001);
  return [a, b];
}

/**
 * Readable log-axis ticks: powers of ten when the domain spans at least two of them, else
 * 1-2-5 steps (so a panel never shows a single tick). O(decades).
 */
export function logTicks(lo: number, hi: number): number[] {
  const decades = decadeTicks(lo, hi);
  if (decades.length >= 3) return decades;
  const out: number[] = [];
  for (let e = Math.floor(Math.log10(lo)); e <= Math.ceil(Math.log10(hi)); e++) {
    for (const m of [1, 2, 5]) {
      const v = m * 10 ** e;
      if (v >= lo * 0.999 && v <= hi * 1.001) out.push(v);
    }
  }
  return out;
}

/** Dashed vertical rule at the scenario's volume, no text (the caption names it). */
function volumeMarker(volume: number) {
  return {
    name: 'volume_marker',
    data: { values: [{ v: volume }] },
    mark: { type: 'rule', strokeDash: [4, 3], color: '#333', strokeWidth: 1.5 },
    encoding: { x: { field: 'v', type: 'quantitative' }, tooltip: [{ field: 'v', title: 'Your volume (tokens/month)', format: '.3s' }] },
  };
}

/** Options that have chart data (feasible ones; infeasible options are explained in text). */
export function chartedOptions<O extends { feasible: boolean }>(result: { options: readonly O[] }): O[] {
  return result.options.filter((o) => o.feasible);
}

/** What every chart but the tornado reads: a whole result, or the early summary of one the CLI has before the rest is summarised (sim `earlySummary`). */
type EarlyChartData = EarlySummary;

/** Colour scale shared by every chart: API first (grey), then options in result order. */
/** Legend settings for option colours: long labels are the norm ("Llama-3.1-70B FP8 on 2×H100 SXM (hybrid ...)"). */
const OPTION_LEGEND = { labelLimit: 900, orient: 'bottom', direction: 'vertical', symbolOpacity: 1 } as const;

/** The colour of option `o` (by its index in the result, so it is the same in every chart). */
export function optionColor<O>(result: { options: readonly O[] }, o: O): string {
  return PALETTE[result.options.indexOf(o) % PALETTE.length]!;
}

function colorScale(result: { options: readonly { label: string }[]; api: { label: string } }, withApi: boolean) {
  const labels = result.options.map((o) => o.label);
  const domain = withApi ? [result.api.label, ...labels] : labels;
  const range = withApi ? [API_COLOR, ...labels.map((_, i) => PALETTE[i % PALETTE.length]!)] : labels.map((_, i) => PALETTE[i % PALETTE.length]!);
  return { domain, range };
}

/** Dashed vertical rule at the scenario's volume, labelled at the top or the bottom of the plot. */
function volumeRuleLayer(volume: number, place: { top: true } | { top: false; height: number }) {
  const yTop = place.top;
  return {
    data: { values: [{ v: volume, text: `your volume: ${formatTokens(volume)} tokens/month` }] },
    layer: [
      { name: 'volume_marker', mark: { type: 'rule', strokeDash: [4, 3], color: '#333' }, encoding: { x: { field: 'v', type: 'quantitative' } } },
      {
        mark: { type: 'text', align: 'left', dx: 4, dy: yTop ? 6 : -6, baseline: yTop ? 'top' : 'bottom', fontSize: 11, color: '#333' },
        encoding: { x: { field: 'v', type: 'quantitative' }, y: { value: place.top ? 0 : place.height }, text: { field: 'text' } },
      },
    ],
  };
}

function logTokenAxis(title: string, lo: number, hi: number) {
  return {
    field: 'v',
    type: 'quantitative',
    scale: { type: 'log', domain: [lo, hi], nice: false },
    axis: { title, values: decadeTicks(lo, hi), labelExpr: TOKENS_LABEL, grid: true },
  };
}

/** (1) P(self-hosting cheaper) vs monthly tokens, one line per option, rule at the scenario volume. */
function breakevenCurve(result: EarlyChartData): ChartSpec | null {
  const grid = result.curves.grid.tokens_per_month;
  const opts = chartedOptions(result).filter((o) => result.curves.p_cheaper[o.id]?.length === grid.length);
  if (grid.length === 0 || opts.length === 0) return null;
  const values = opts.flatMap((o) => grid.map((v, i) => ({ v, p: result.curves.p_cheaper[o.id]![i]!, series: o.label })));
  const lo = grid[0]!;
  const hi = grid[grid.length - 1]!;
  const title = 'Chance that self-hosting is cheaper, by monthly volume';
  return {
    key: 'breakeven-curve',
    title,
    caption: `Read up from your volume (dashed line): each line's height is the share of trials in which that option costs less than ${result.api.label}. Where a line crosses 50 % is roughly its median break-even volume.`,
    spec: {
      ...chartHeader(title, 280),
      layer: [
        {
          data: { values },
          mark: { type: 'line', strokeWidth: 2, point: { size: 18 } },
          encoding: {
            x: logTokenAxis('Monthly volume (tokens/month, log scale)', lo, hi),
            y: { field: 'p', type: 'quantitative', scale: { domain: [0, 1] }, axis: { title: 'P(cheaper), % of trials', format: '.0%' } },
            color: { field: 'series', type: 'nominal', title: 'Option', scale: colorScale(result, false), legend: OPTION_LEGEND },
            tooltip: [
              { field: 'series', title: 'Option' },
              { field: 'v', title: 'Tokens/month', format: '.3s' },
              { field: 'p', title: 'P(cheaper)', format: '.0%' },
            ],
          },
        },
        { data: { values: [{ y: 0.5 }] }, mark: { type: 'rule', color: '#999', strokeDash: [2, 2] }, encoding: { y: { field: 'y', type: 'quantitative' } } },
        volumeRuleLayer(result.volume_tokens_per_month.p50, { top: false, height: 280 }),
      ],
    } as TopLevelSpec,
  };
}

/** (2) Break-even volume distribution per option: histogram (share of trials) + CDF. */
function breakevenDistribution(result: EarlyChartData): ChartSpec | null {
  const opts = chartedOptions(result).filter((o) => (result.breakeven_histograms[o.id]?.counts.length ?? 0) > 0);
  if (opts.length === 0) return null;
  const trials = result.scenario.trials;
  const title = 'Break-even volume: distribution over trials';
  // one x-scale for every panel: the union of the histograms' ranges and the scenario volume
  const volume = result.volume_tokens_per_month.p50;
  let lo = volume > 0 ? volume : Infinity;
  let hi = volume > 0 ? volume : 0;
  for (const o of opts) {
    const e = result.breakeven_histograms[o.id]!.edges;
    lo = Math.min(lo, e[0]!);
    hi = Math.max(hi, e[e.length - 1]!);
  }
  [lo, hi] = paddedLogDomain(lo, hi);
  const ticks = logTicks(lo, hi);
  const panels = opts.map((o, idx) => {
    const h = result.breakeven_histograms[o.id]!;
    const total = trials > 0 ? trials : h.counts.reduce((a, b) => a + b, 0) || 1;
    let acc = 0;
    const values = h.counts.map((c, i) => {
      acc += c;
      return { lo: h.edges[i]!, hi: h.edges[i + 1]!, share: c / total, cdf: acc / total };
    });
    const color = optionColor(result, o);
    const x = {
      field: 'lo',
      type: 'quantitative',
      scale: { type: 'log', domain: [lo, hi], nice: false },
      axis: { title: idx === opts.length - 1 ? 'Break-even volume (tokens/month, log scale)' : null, values: ticks, labelExpr: TOKENS_LABEL, labelOverlap: true },
    };
    const neverNote = o.never_breaks_even_share > 0 ? ` — never breaks even in ${formatPercent(o.never_breaks_even_share)} of trials` : '';
    return {
      title: { text: `${o.label}${neverNote}`, fontSize: 12, fontWeight: 'normal' },
      width: WIDTH,
      height: 140,
      layer: [
        {
          data: { values },
          mark: { type: 'rect', color, opacity: 0.55 },
          encoding: {
            x,
            x2: { field: 'hi' },
            y: { field: 'share', type: 'quantitative', axis: { title: '% of trials', format: '.0%' } },
            tooltip: [
              { field: 'lo', title: 'From (tokens/month)', format: '.3s' },
              { field: 'hi', title: 'To (tokens/month)', format: '.3s' },
              { field: 'share', title: 'Share of trials', format: '.1%' },
            ],
          },
        },
        {
          data: { values },
          mark: { type: 'line', color: '#222', strokeWidth: 1.5, interpolate: 'step-after' },
          encoding: {
            x: { ...x, field: 'hi' },
            y: { field: 'cdf', type: 'quantitative', scale: { domain: [0, 1] }, axis: { title: 'Cumulative %', format: '.0%', orient: 'right' } },
          },
        },
        volumeMarker(volume),
      ],
      resolve: { scale: { y: 'independent' } },
    };
  });
  return {
    key: 'breakeven-distribution',
    title,
    caption: `Bars: share of trials whose break-even volume falls in each bin. Black step line: share of trials that have broken even by that volume; it stops short of 100 % when some trials never break even. Dashed line: your volume (${formatTokens(volume)} tokens/month). Every panel shares one x-axis, so panels compare directly.`,
    spec: { ...chartHeader(title), vconcat: panels, spacing: 24 } as TopLevelSpec,
  };
}

/** (3) Monthly cost vs volume: p10–p90 band and p50 line for the API and each option (log-log). */
function costFan(result: EarlyChartData): ChartSpec | null {
  const grid = result.curves.grid.tokens_per_month;
  const series: { id: string; label: string }[] = [{ id: 'api', label: result.api.label }, ...chartedOptions(result).map((o) => ({ id: o.id, label: o.label }))];
  const values = series.flatMap((s) => {
    const f = result.curves.cost_fan[s.id];
    if (!f || f.p50.length !== grid.length) return [];
    return grid.map((v, i) => ({ v, lo: f.p10[i]!, mid: f.p50[i]!, hi: f.p90[i]!, series: s.label }));
  });
  const positive = values.filter((d) => d.lo > 0);
  if (positive.length === 0) return null;
  const lo = grid[0]!;
  const hi = grid[grid.length - 1]!;
  const title = 'Monthly cost by monthly volume';
  let ylo = Infinity;
  let yhi = 0;
  for (const d of positive) {
    ylo = Math.min(ylo, d.lo);
    yhi = Math.max(yhi, d.hi);
  }
  ylo = 10 ** Math.floor(Math.log10(ylo));
  yhi = 10 ** Math.ceil(Math.log10(yhi));
  const color = { field: 'series', type: 'nominal', title: 'Cost of', scale: colorScale(result, true), legend: OPTION_LEGEND };
  return {
    key: 'cost-fan',
    title,
    caption: 'Lines: median monthly cost; shaded bands: 10th-90th percentile over trials. Where an option\'s line runs below the API\'s, self-hosting is cheaper at that volume. Both axes are logarithmic.',
    spec: {
      ...chartHeader(title, 320),
      layer: [
        {
          data: { values: positive },
          layer: [
            {
              mark: { type: 'area', opacity: 0.14 },
              encoding: {
                x: logTokenAxis('Monthly volume (tokens/month, log scale)', lo, hi),
                // decade ticks only: a log axis over 6 decades otherwise labels 2-3 ticks per decade
                y: { field: 'lo', type: 'quantitative', scale: { type: 'log', domain: [ylo, yhi], nice: false }, axis: { title: 'Monthly cost (US$/month, log scale)', labelExpr: USD_LABEL, values: decadeTicks(ylo, yhi) } },
                y2: { field: 'hi' },
                color,
              },
            },
            {
              mark: { type: 'line', strokeWidth: 2 },
              encoding: {
                x: logTokenAxis('Monthly volume (tokens/month, log scale)', lo, hi),
                y: { field: 'mid', type: 'quantitative', scale: { type: 'log', domain: [ylo, yhi], nice: false } },
                color,
                tooltip: [
                  { field: 'series', title: 'Cost of' },
                  { field: 'v', title: 'Tokens/month', format: '.3s' },
                  { field: 'mid', title: 'Median $/month', format: '$,.0f' },
                  { field: 'lo', title: 'p10 $/month', format: '$,.0f' },
                  { field: 'hi', title: 'p90 $/month', format: '$,.0f' },
                ],
              },
            },
          ],
        },
        volumeRuleLayer(result.volume_tokens_per_month.p50, { top: true }),
      ],
    } as TopLevelSpec,
  };
}

/**
 * First month (1-based, as in `cumulative_cost.months`) from which an option's median
 * cumulative cost stays at or below the API's; null if it never does within the horizon.
 */
export function paybackFromSeries(option: readonly number[], api: readonly number[]): number | null {
  let first: number | null = null;
  for (let i = 0; i < Math.min(option.length, api.length); i++) {
    if (option[i]! <= api[i]!) {
      if (first === null) first = i;
    } else first = null;
  }
  return first;
}

/** (4) Cumulative cost over the horizon, with each option's payback point. */
function cumulativeCost(result: EarlyChartData): ChartSpec | null {
  const { months, series } = result.cumulative_cost;
  const api = series['api'];
  if (months.length === 0 || !api) return null;
  const sel: { id: string; label: string }[] = [{ id: 'api', label: result.api.label }, ...chartedOptions(result).map((o) => ({ id: o.id, label: o.label }))];
  const values = sel.flatMap((s) => {
    const f = series[s.id];
    if (!f || f.p50.length !== months.length) return [];
    return months.map((m, i) => ({ m, lo: f.p10[i]!, mid: f.p50[i]!, hi: f.p90[i]!, series: s.label }));
  });
  // payback marks only where the option has a set-up cost (payback_month not null), at the
  // JSON's median month; labels stacked by option so two marks never print on each other
  const payback = chartedOptions(result)
    .filter((o) => o.payback_month !== null && Number.isFinite(o.payback_month.p50))
    .flatMap((o, k) => {
      const f = series[o.id];
      if (!f) return [];
      const m = Math.min(months[months.length - 1]!, Math.max(months[0]!, Math.round(o.payback_month!.p50)));
      const i = months.indexOf(m);
      if (i < 0) return [];
      // label on the side with more room: right of the dot in the first half of the horizon
      const right = i < months.length / 2;
      return [{ m, mid: f.p50[i]!, series: o.label, text: `pays back in month ${m} (median)`, dy: -10 - 13 * k, right }];
    });
  const title = `Cumulative cost over ${result.scenario.horizon_months} months, with traffic growth`;
  const color = { field: 'series', type: 'nominal', title: 'Cost of', scale: colorScale(result, true), legend: OPTION_LEGEND };
  const x = { field: 'm', type: 'quantitative', scale: { domain: [months[0]!, months[months.length - 1]!], nice: false }, axis: { title: 'Month of the horizon', tickMinStep: 1 } };
  return {
    key: 'cumulative-cost',
    title,
    caption: `Total spent from the start to the end of each month (median line, 10th-90th percentile band). A dot marks the median payback month (as in the result JSON) of options with a set-up cost to recover (owned hardware); rented fleets have none, so no dot.`,
    spec: {
      ...chartHeader(title, 300),
      layer: [
        {
          data: { values },
          layer: [
            { mark: { type: 'area', opacity: 0.12 }, encoding: { x, y: { field: 'lo', type: 'quantitative', axis: { title: 'Cumulative cost (US$)', labelExpr: USD_LABEL } }, y2: { field: 'hi' }, color } },
            {
              mark: { type: 'line', strokeWidth: 2 },
              encoding: {
                x,
                y: { field: 'mid', type: 'quantitative' },
                color,
                tooltip: [
                  { field: 'series', title: 'Cost of' },
                  { field: 'm', title: 'Month' },
                  { field: 'mid', title: 'Median cumulative $', format: '$,.0f' },
                ],
              },
            },
          ],
        },
        {
          data: { values: payback },
          layer: [
            { mark: { type: 'point', filled: true, size: 70, stroke: '#000', strokeWidth: 1 }, encoding: { x, y: { field: 'mid', type: 'quantitative' }, color } },
            ...payback.map((p) => ({
              transform: [{ filter: { field: 'series', equal: p.series } }],
              mark: { type: 'text', align: p.right ? 'left' : 'right', dx: p.right ? 8 : -8, dy: p.dy, fontSize: 10 },
              encoding: { x, y: { field: 'mid', type: 'quantitative' }, text: { field: 'text' }, color },
            })),
          ],
        },
      ],
    } as TopLevelSpec,
  };
}

/** (5) Tornado per option: inputs by |rank correlation with break-even volume|, largest first. */
function tornado(result: SimulationResult, top = 10): ChartSpec | null {
  const opts = chartedOptions(result).filter((o) => o.sensitivity.length > 0);
  if (opts.length === 0) return null;
  const title = 'What moves the break-even volume most';
  const panels = opts.map((o) => {
    const rows = o.sensitivity
      .filter((s) => Number.isFinite(s.breakeven_rank_correlation) && movesOption(s.input, o))
      .sort((a, b) => Math.abs(b.breakeven_rank_correlation) - Math.abs(a.breakeven_rank_correlation) || a.input.localeCompare(b.input))
      .slice(0, top)
      .map((s, rank) => ({
        input: `${rank + 1}. ${inputWords(s.input, (id) => gpuName(result, id))}`,
        path: s.input,
        rank,
        rho: s.breakeven_rank_correlation,
        effect: s.breakeven_rank_correlation >= 0 ? 'higher input → higher break-even (worse for self-hosting)' : 'higher input → lower break-even (better for self-hosting)',
      }));
    return {
      title: { text: o.label, fontSize: 12, fontWeight: 'normal' },
      width: WIDTH - 220,
      height: { step: 18 },
      data: { values: rows },
      mark: { type: 'bar' },
      encoding: {
        y: { field: 'input', type: 'nominal', sort: { field: 'rank', order: 'ascending' }, axis: { title: null, labelLimit: 600 } },
        x: { field: 'rho', type: 'quantitative', scale: { domain: [-1, 1], nice: false }, axis: { title: 'Rank correlation with break-even volume (Spearman ρ)', values: [-1, -0.5, 0, 0.5, 1], format: '.1~f' } },
        color: {
          field: 'effect',
          type: 'nominal',
          title: null,
          scale: {
            domain: ['higher input → higher break-even (worse for self-hosting)', 'higher input → lower break-even (better for self-hosting)'],
            range: ['#d6604d', '#4393c3'],
          },
          legend: { labelLimit: 900, orient: 'bottom', direction: 'vertical' },
        },
        tooltip: [
          { field: 'input', title: 'Input' },
          { field: 'path', title: 'Field' },
          { field: 'rho', title: 'ρ', format: '.2f' },
        ],
      },
    };
  });
  return {
    key: 'tornado',
    title,
    caption: 'Longer bars are inputs whose uncertainty moves the break-even volume most; narrow those first. Red: raising the input raises the break-even (self-hosting needs more volume to pay); blue: lowers it. Each option lists only inputs that can change its cost (its own GPU\'s prices for its pricing model, plus traffic, API and operations).',
    spec: { ...chartHeader(title), vconcat: panels, spacing: 20, resolve: { scale: { color: 'shared' } } } as TopLevelSpec,
  };
}

/**
 * (6) Throughput vs batch per weight format, memory and TPOT limits as rules; one chart per
 * GPU/model/tp. From the curves alone (`result.throughput_curves`, or sim's `throughputCurves`
 * of the plan before the trials: the same specs).
 */
export function throughputCharts(curves: SimulationResult['throughput_curves']): ChartSpec[] {
  return curves.flatMap((tc, idx) => {
    if (tc.points.length === 0) return [];
    const formats = [...new Set(tc.points.map((p) => p.weights))];
    const memLabel = 'memory limit (KV cache full)';
    const tpotLabel = `TPOT limit (${tc.tpot_ms ?? '?'} ms/token)`;
    const limits = formats.flatMap((w) => {
      const out: { batch: number; weights: string; limit: string; text: string }[] = [];
      const mem = tc.max_batch_memory[w];
      if (mem !== undefined && mem > 0) out.push({ batch: mem, weights: w, limit: memLabel, text: `${w} memory` });
      const tpot = tc.max_batch_tpot[w];
      if (tpot !== undefined && tpot !== null && tpot > 0) out.push({ batch: tpot, weights: w, limit: tpotLabel, text: `${w} TPOT` });
      return out;
    });
    const batches = tc.points.map((p) => p.batch).concat(limits.map((l) => l.batch));
    const bmin = Math.max(1, Math.min(...batches));
    const bmax = Math.max(...batches);
    const title = `Throughput per GPU vs batch: ${tc.model} on ${tc.tp}×${tc.gpu}, mean context ${formatCount(tc.context_tokens)} tokens`;
    const x = { field: 'batch', type: 'quantitative', scale: { type: 'log', base: 2, domain: [bmin, bmax * 1.05], nice: false }, axis: { title: 'Decode batch (concurrent sequences per replica, log scale)' } };
    const style = (w: string) => FORMAT_STYLE[w] ?? FORMAT_FALLBACK;
    const color = { field: 'weights', type: 'nominal', title: 'Weights', scale: { domain: formats, range: formats.map((w) => style(w).color) } };
    const dash = { field: 'weights', type: 'nominal', title: 'Weights', scale: { domain: formats, range: formats.map((w) => style(w).dash) } };
    const shape = { field: 'weights', type: 'nominal', title: 'Weights', scale: { domain: formats, range: formats.map((w) => style(w).shape) } };
    const key = curves.length === 1 ? 'throughput' : `throughput-${idx + 1}`;
    return [
      {
        key,
        title,
        caption: 'Output tokens per second per GPU as the batch grows. Each weight format has one colour, dash and marker in every throughput chart. A format can only run up to its solid vertical rule (KV-cache memory full) and, to meet the latency target, up to its dashed vertical rule (time per output token); the lower of the two sets capacity.',
        spec: {
          ...chartHeader(title, 300),
          layer: [
            {
              data: { values: tc.points },
              layer: [
                { mark: { type: 'line', strokeWidth: 2 }, encoding: { x, y: { field: 'output_tokens_per_s_per_gpu', type: 'quantitative', axis: { title: 'Output tokens/s per GPU' } }, color, strokeDash: dash } },
                { mark: { type: 'point', filled: true, size: 40 }, encoding: { x, y: { field: 'output_tokens_per_s_per_gpu', type: 'quantitative' }, color, shape, strokeDash: dash } },
              ],
              encoding: {
                tooltip: [
                  { field: 'weights', title: 'Weights' },
                  { field: 'batch', title: 'Batch' },
                  { field: 'output_tokens_per_s_per_gpu', title: 'tok/s per GPU', format: ',.0f' },
                  { field: 'step_ms', title: 'Step (ms)', format: '.1f' },
                ],
              },
            },
            // limits: memory solid, TPOT dashed (fixed dashes; the caption says which is which)
            ...[memLabel, tpotLabel].map((limit, k) => ({
              data: { values: limits },
              transform: [{ filter: { field: 'limit', equal: limit } }],
              mark: { type: 'rule', strokeWidth: 1.5, strokeDash: k === 0 ? [1, 0] : [5, 3] },
              encoding: {
                x,
                color,
                tooltip: [
                  { field: 'limit', title: 'Limit' },
                  { field: 'weights', title: 'Weights' },
                  { field: 'batch', title: 'Max batch' },
                ],
              },
            })),
          ],
        } as TopLevelSpec,
      },
    ];
  });
}

/**
 * (7) One sampled traffic week: the hourly demand (grey area) and, per option, the hourly
 * demand its fleet serves within the SLO (its busiest minute fits: the same rule the table's
 * violation hours count), as coloured steps each with its own dash so coinciding lines stay
 * visible. Demand above a line is a violation (or overflow) hour, visibly.
 */
function trafficWeek(result: EarlyChartData): ChartSpec | null {
  const tw = result.traffic_week;
  if (tw.hours.length === 0) return null;
  const demand = tw.hours.map((h, i) => ({ h, y: tw.demand_tokens_per_hour[i]! }));
  const opts = chartedOptions(result).filter((o) => tw.capacity_tokens_per_hour[o.id] !== undefined);
  const cap = opts.flatMap((o) => {
    const c = tw.capacity_tokens_per_hour[o.id]!;
    return tw.hours.map((h, i) => ({ h, y: c[i]!, series: o.label }));
  });
  const title = 'A sampled week of traffic and the demand each option\'s fleet can serve within the SLO';
  const x = { field: 'h', type: 'quantitative', scale: { domain: [tw.hours[0]!, tw.hours[tw.hours.length - 1]! + 1], nice: false }, axis: { title: 'Hour of the week (Monday 00:00 to Sunday 24:00)', values: [0, 24, 48, 72, 96, 120, 144], labelExpr: WEEKDAY_LABEL, labelAlign: 'left' } };
  const labels = result.options.map((o) => o.label);
  const dashes = result.options.map((_, i) => OPTION_DASH[i % OPTION_DASH.length]!);
  const colors = result.options.map((_, i) => PALETTE[i % PALETTE.length]!);
  return {
    key: 'traffic-week',
    title,
    caption: 'Grey area: tokens demanded each hour in one simulated week (one trial). Coloured steps: for each option, the most hourly demand its running fleet serves within the SLO, i.e. with the hour\'s busiest minute still fitting (the rule the table\'s violation hours count). Where grey rises above a line, that hour is an SLO violation (or overflow to the API); the gap below a line is paid-for idle capacity.',
    spec: {
      ...chartHeader(title, 260),
      layer: [
        {
          data: { values: demand },
          mark: { type: 'area', color: '#cccccc', opacity: 0.8, interpolate: 'step-after' },
          encoding: {
            x,
            y: { field: 'y', type: 'quantitative', axis: { title: 'Tokens per hour', labelExpr: TOKENS_LABEL } },
            tooltip: [
              { field: 'h', title: 'Hour of week' },
              { field: 'y', title: 'Mean demand (tokens/h)', format: '.3s' },
            ],
          },
        },
        {
          data: { values: cap },
          mark: { type: 'line', strokeWidth: 2, interpolate: 'step-after' },
          encoding: {
            x,
            y: { field: 'y', type: 'quantitative' },
            color: { field: 'series', type: 'nominal', title: 'Capacity of', scale: { domain: labels, range: colors }, legend: OPTION_LEGEND },
            strokeDash: { field: 'series', type: 'nominal', title: 'Capacity of', scale: { domain: labels, range: dashes }, legend: OPTION_LEGEND },
            tooltip: [
              { field: 'series', title: 'Option' },
              { field: 'h', title: 'Hour of week' },
              { field: 'y', title: 'Capacity (tokens/h)', format: '.3s' },
            ],
          },
        },
      ],
    } as TopLevelSpec,
  };
}

/** (8) Utilisation heatmap: hour of week × option. */
function utilisationHeatmap(result: EarlyChartData): ChartSpec | null {
  const opts = chartedOptions(result).filter((o) => (result.utilisation_by_hour_of_week[o.id]?.length ?? 0) > 0);
  if (opts.length === 0) return null;
  // rows must read differently: a label shared by two options gets its id appended
  const count = new Map<string, number>();
  for (const o of opts) count.set(o.label, (count.get(o.label) ?? 0) + 1);
  const row = (o: { id: string; label: string }) => (count.get(o.label)! > 1 ? `${o.label} [${o.id}]` : o.label);
  const values = opts.flatMap((o, order) => result.utilisation_by_hour_of_week[o.id]!.map((u, h) => ({ h, h2: h + 1, u, series: row(o), order })));
  const title = 'Utilisation of provisioned capacity by hour of the week';
  return {
    key: 'utilisation-heatmap',
    title,
    caption: 'Each cell: served tokens / capacity in that hour of the week, averaged over trials. Pale cells are hours you pay for idle GPUs; dark cells are hours running near full.',
    spec: {
      ...chartHeader(title, { step: 28 }),
      data: { values },
      mark: { type: 'rect' },
      encoding: {
        x: { field: 'h', type: 'quantitative', scale: { domain: [0, 168], nice: false }, axis: { title: 'Hour of the week (Monday 00:00 to Sunday 24:00)', values: [0, 24, 48, 72, 96, 120, 144], labelExpr: WEEKDAY_LABEL, labelAlign: 'left', grid: false } },
        x2: { field: 'h2' },
        y: { field: 'series', type: 'nominal', axis: { title: null, labelLimit: 0 }, sort: { field: 'order', op: 'min', order: 'ascending' } },
        color: { field: 'u', type: 'quantitative', title: 'Utilisation', scale: { domain: [0, 1], scheme: 'blues' }, legend: { format: '.0%', orient: 'right', direction: 'vertical' } },
        tooltip: [
          { field: 'series', title: 'Option' },
          { field: 'h', title: 'Hour of week' },
          { field: 'u', title: 'Utilisation', format: '.0%' },
        ],
      },
    } as TopLevelSpec,
  };
}

/**
 * The charts an early summary decides (sim `earlySummary`: all but the tornado and the
 * throughput curves, which the CLI draws before the trials), drawn while the rest of the result
 * is summarised: the same specs `buildChartSpecs` makes from the whole result (a test pins
 * this), so the renderer's drawings ahead are taken.
 */
export function earlyCharts(early: EarlySummary): ChartSpec[] {
  const out: (ChartSpec | null)[] = [breakevenCurve(early), breakevenDistribution(early), costFan(early), cumulativeCost(early), trafficWeek(early), utilisationHeatmap(early)];
  return out.filter((c): c is ChartSpec => c !== null);
}

/** Every chart the result has data for, in report order. */
export function buildChartSpecs(result: SimulationResult): ChartSpec[] {
  const out: (ChartSpec | null)[] = [
    breakevenCurve(result),
    breakevenDistribution(result),
    costFan(result),
    cumulativeCost(result),
    tornado(result),
    ...throughputCharts(result.throughput_curves),
    trafficWeek(result),
    utilisationHeatmap(result),
  ];
  return out.filter((c): c is ChartSpec => c !== null);
}
