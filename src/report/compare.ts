/**
 * Comparing two result JSONs: parse (with a clear message for a file that is not a result,
 * or has another major schema version), diff (inputs, per-option shifts, options only in
 * one), and write the diff as text or as a small self-contained HTML page.
 */
import { RESULT_SCHEMA_VERSION, RANDOM_STREAMS_BEFORE, type InputSummary, type OptionResult, type Quantiles, type SimulationResult } from '../sim/result.js';
import { escapeHtml, formatCount, formatPercent, formatTokens, formatUsd } from './format.js';
import { headline } from './headline.js';
import { renderSvg } from './render.js';
import type { TopLevelSpec } from 'vega-lite';

/** Why a file cannot be compared; the caller turns it into a UserError. */
export class ResultFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ResultFileError';
  }
}

function major(version: string): number {
  const m = /^(\d+)\./.exec(version);
  return m ? Number(m[1]) : NaN;
}

/**
 * Parse a result JSON's text. Throws ResultFileError naming `name` when the text is not JSON,
 * lacks the result's top-level fields, or has a major schema version other than this tool's.
 */
export function parseResultJson(text: string, name: string): SimulationResult {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new ResultFileError(`${name}: not a result JSON (not valid JSON: ${(err as Error).message})`);
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) throw new ResultFileError(`${name}: not a result JSON (expected an object with schema_version, scenario, api, options)`);
  const o = data as Record<string, unknown>;
  if (typeof o['schema_version'] !== 'string') throw new ResultFileError(`${name}: not a result JSON (no schema_version; is it a workload file? run \`breakeven simulate\` first)`);
  const want = major(RESULT_SCHEMA_VERSION);
  if (major(o['schema_version']) !== want) {
    throw new ResultFileError(`${name}: result schema_version ${o['schema_version']} cannot be read by this version (reads ${want}.x); re-run the simulation with this version`);
  }
  const missing = ['tool', 'scenario', 'api', 'options', 'inputs', 'volume_tokens_per_month'].filter((k) => !(k in o));
  if (missing.length > 0 || !Array.isArray(o['options']) || !Array.isArray(o['inputs'])) {
    throw new ResultFileError(`${name}: not a result JSON (missing ${missing.length > 0 ? missing.join(', ') : 'options/inputs arrays'})`);
  }
  return data as SimulationResult;
}

/** An input whose definition changed (as written); sampled percentiles are not compared. */
export interface InputChange {
  path: string;
  a: Pick<InputSummary, 'written' | 'p50'> | null;
  b: Pick<InputSummary, 'written' | 'p50'> | null;
}

export interface OptionShift {
  id: string;
  label: string;
  feasible: [boolean, boolean];
  p_cheaper: [number, number];
  breakeven: [Quantiles | null, Quantiles | null];
  never_breaks_even_share: [number, number];
  cost_per_million_tokens_p50: [number, number];
  cost_per_month_p50: [number, number];
}

export interface ResultDiff {
  names: [string, string];
  /** each run's first-screen answer sentence */
  headlines: [string, string];
  /** loud warnings: the runs answer different questions (model, API, horizon) or differ only by sampling */
  flags: string[];
  scenarios: [SimulationResult['scenario'], SimulationResult['scenario']];
  volume_p50: [number, number];
  api: [{ label: string; cost_per_million_tokens_p50: number }, { label: string; cost_per_million_tokens_p50: number }];
  inputs: InputChange[];
  options: OptionShift[];
  only_in_a: { id: string; label: string }[];
  only_in_b: { id: string; label: string }[];
}

function sameNumber(x: number, y: number): boolean {
  return x === y || Math.abs(x - y) <= 1e-9 * Math.max(Math.abs(x), Math.abs(y));
}

/** What changed from `a` to `b` (inputs by path, options by id). */
export function diffResults(a: SimulationResult, b: SimulationResult, names: [string, string]): ResultDiff {
  const ia = new Map(a.inputs.map((i) => [i.path, i]));
  const ib = new Map(b.inputs.map((i) => [i.path, i]));
  const paths = [...new Set([...ia.keys(), ...ib.keys()])];
  const inputs: InputChange[] = [];
  for (const p of paths) {
    const x = ia.get(p);
    const y = ib.get(p);
    // as written: the same definition sampled with another seed or trial count is noise, not a change
    if (x && y && x.written === y.written && x.dist === y.dist) continue;
    inputs.push({ path: p, a: x ? { written: x.written, p50: x.p50 } : null, b: y ? { written: y.written, p50: y.p50 } : null });
  }
  const ob = new Map(b.options.map((o) => [o.id, o]));
  const oa = new Map(a.options.map((o) => [o.id, o]));
  const options: OptionShift[] = [];
  for (const x of a.options) {
    const y = ob.get(x.id);
    if (!y) continue;
    options.push({
      id: x.id,
      label: y.label,
      feasible: [x.feasible, y.feasible],
      p_cheaper: [x.p_cheaper, y.p_cheaper],
      breakeven: [x.breakeven_tokens_per_month, y.breakeven_tokens_per_month],
      never_breaks_even_share: [x.never_breaks_even_share, y.never_breaks_even_share],
      cost_per_million_tokens_p50: [x.cost_per_million_tokens.p50, y.cost_per_million_tokens.p50],
      cost_per_month_p50: [x.cost_per_month.p50, y.cost_per_month.p50],
    });
  }
  const brief = (o: OptionResult) => ({ id: o.id, label: o.label });
  return {
    names,
    headlines: [headline(a), headline(b)],
    flags: diffFlags(a, b),
    scenarios: [a.scenario, b.scenario],
    volume_p50: [a.volume_tokens_per_month.p50, b.volume_tokens_per_month.p50],
    api: [
      { label: a.api.label, cost_per_million_tokens_p50: a.api.cost_per_million_tokens.p50 },
      { label: b.api.label, cost_per_million_tokens_p50: b.api.cost_per_million_tokens.p50 },
    ],
    inputs,
    options,
    only_in_a: a.options.filter((o) => !ob.has(o.id)).map(brief),
    only_in_b: b.options.filter((o) => !oa.has(o.id)).map(brief),
  };
}

/**
 * Loud flags: a different model, API or horizon means the runs answer different questions;
 * a different seed or trial count means small shifts may be sampling noise.
 */
export function diffFlags(a: SimulationResult, b: SimulationResult): string[] {
  const out: string[] = [];
  if (a.scenario.model !== b.scenario.model) out.push(`MODEL DIFFERS: ${a.scenario.model} → ${b.scenario.model}; the runs answer different questions`);
  if (a.api.id !== b.api.id) out.push(`API DIFFERS: ${a.api.label} → ${b.api.label}; the baseline price changed`);
  if (a.scenario.horizon_months !== b.scenario.horizon_months) out.push(`HORIZON DIFFERS: ${a.scenario.horizon_months} → ${b.scenario.horizon_months} months; monthly averages and payback are not comparable`);
  // a share estimated from n trials has standard error ≤ 0.5/√n; twice that is the noise band
  const n = Math.min(a.scenario.trials, b.scenario.trials);
  const band = n > 0 ? 100 / Math.sqrt(n) : 100;
  const noise = `shifts in shares smaller than about ±${band < 1 ? band.toFixed(1) : band.toFixed(0)} pp may be sampling noise`;
  if (a.scenario.seed !== b.scenario.seed || a.scenario.trials !== b.scenario.trials) {
    out.push(`different seed or trial count (seed ${a.scenario.seed} → ${b.scenario.seed}, ${formatCount(a.scenario.trials)} → ${formatCount(b.scenario.trials)} trials): ${noise}`);
  } else {
    // the same seed drawn by another scheme (results before 2.7.0 drew the inputs in turn from one stream)
    const sa = a.scenario.random_streams ?? RANDOM_STREAMS_BEFORE;
    const sb = b.scenario.random_streams ?? RANDOM_STREAMS_BEFORE;
    if (sa !== sb) out.push(`different random streams (${sa} → ${sb}: the same seed draws other numbers): ${noise}`);
  }
  return out;
}

/** "+8 pp" for a change of shares. */
function pp(a: number, b: number): string {
  const d = (b - a) * 100;
  if (Math.abs(d) < 0.05) return 'no change';
  return `${d > 0 ? '+' : '-'}${Math.abs(d).toFixed(Math.abs(d) < 10 ? 1 : 0)} pp`;
}

/**
 * Relative change for people: "-7.7 %" within ±100 %; beyond that a factor ("×9.3",
 * "÷12") instead of "+826 %"; "from 0" / "sign changed" when a percentage means nothing.
 */
export function rel(a: number, b: number): string {
  if (sameNumber(a, b)) return 'no change';
  if (a === 0) return 'from 0';
  if (b === 0) return 'to 0';
  if (Math.sign(a) !== Math.sign(b)) return 'sign changed';
  const ratio = b / a;
  if (ratio >= 2) return `×${Number(ratio.toPrecision(ratio < 10 ? 2 : 3))}`;
  if (ratio <= 0.5) {
    const inv = 1 / ratio;
    return `÷${Number(inv.toPrecision(inv < 10 ? 2 : 3))}`;
  }
  const d = (ratio - 1) * 100;
  return `${d > 0 ? '+' : '-'}${Math.abs(d).toFixed(Math.abs(d) < 9.95 ? 1 : 0)} %`;
}

/** "+$330/month" or "-$1.2 K/month". */
function usdDelta(a: number, b: number): string {
  const d = b - a;
  if (sameNumber(a, b)) return 'no change';
  return `${d > 0 ? '+' : '-'}${formatUsd(Math.abs(d))}/month`;
}

function beText(q: Quantiles | null): string {
  return q === null ? 'never' : `${formatTokens(q.p10)} / ${formatTokens(q.p50)} / ${formatTokens(q.p90)}`;
}

function inputText(i: Pick<InputSummary, 'written' | 'p50'> | null): string {
  return i === null ? '(absent)' : i.written;
}

/** One line per fact, in reading order: [section, lines] pairs shared by text and HTML. */
function diffSections(d: ResultDiff): { title: string; lines: string[] }[] {
  const [na, nb] = d.names;
  const [sa, sb] = d.scenarios;
  const head: string[] = [
    `${na}: ${sa.name}, ${formatCount(sa.trials)} trials, seed ${sa.seed}, ${sa.horizon_months} months, model ${sa.model}`,
    `${nb}: ${sb.name}, ${formatCount(sb.trials)} trials, seed ${sb.seed}, ${sb.horizon_months} months, model ${sb.model}`,
    `volume (p50): ${formatTokens(d.volume_p50[0])} → ${formatTokens(d.volume_p50[1])} tokens/month (${rel(d.volume_p50[0], d.volume_p50[1])})`,
    `API: ${d.api[0].label} ${formatUsd(d.api[0].cost_per_million_tokens_p50)} → ${d.api[1].label} ${formatUsd(d.api[1].cost_per_million_tokens_p50)} per million tokens (p50, ${rel(d.api[0].cost_per_million_tokens_p50, d.api[1].cost_per_million_tokens_p50)})`,
  ];
  const inputs = d.inputs.length === 0 ? ['none'] : d.inputs.map((i) => `${i.path}: ${inputText(i.a)} → ${inputText(i.b)}`);
  const options: string[] = [];
  for (const o of d.options) {
    options.push(`${o.id} (${o.label})`);
    if (o.feasible[0] !== o.feasible[1]) options.push(`  feasible: ${o.feasible[0] ? 'yes' : 'no'} → ${o.feasible[1] ? 'yes' : 'no'}`);
    if (o.feasible[0] && o.feasible[1]) {
      const [ca, cb] = o.cost_per_month_p50;
      options.push(`  $/month (p50): ${formatUsd(ca)} → ${formatUsd(cb)} (${usdDelta(ca, cb)}${sameNumber(ca, cb) ? '' : `, ${rel(ca, cb)}`})`);
    }
    options.push(`  P(cheaper): ${formatPercent(o.p_cheaper[0])} → ${formatPercent(o.p_cheaper[1])} (${pp(o.p_cheaper[0], o.p_cheaper[1])})`);
    const [ba, bb] = o.breakeven;
    const beShift = ba && bb ? ` (median ${rel(ba.p50, bb.p50)})` : '';
    options.push(`  break-even p10/p50/p90: ${beText(ba)} → ${beText(bb)} tokens/month${beShift}`);
    if (o.never_breaks_even_share[0] !== o.never_breaks_even_share[1]) {
      options.push(`  never breaks even: ${formatPercent(o.never_breaks_even_share[0])} → ${formatPercent(o.never_breaks_even_share[1])} of trials`);
    }
    options.push(`  cost per million tokens (p50): ${formatUsd(o.cost_per_million_tokens_p50[0])} → ${formatUsd(o.cost_per_million_tokens_p50[1])} (${rel(o.cost_per_million_tokens_p50[0], o.cost_per_million_tokens_p50[1])})`);
  }
  if (d.options.length === 0) options.push('no option is in both results');
  const sections = [
    ...(d.flags.length > 0 ? [{ title: 'Read first', lines: d.flags }] : []),
    { title: 'Answers', lines: [`${na}: ${d.headlines[0]}`, `${nb}: ${d.headlines[1]}`] },
    { title: 'Runs', lines: head },
    { title: 'Inputs that differ (as written)', lines: inputs },
    { title: 'Options in both', lines: options },
  ];
  if (d.only_in_a.length > 0) sections.push({ title: `Only in ${na}`, lines: d.only_in_a.map((o) => `${o.id} (${o.label})`) });
  if (d.only_in_b.length > 0) sections.push({ title: `Only in ${nb}`, lines: d.only_in_b.map((o) => `${o.id} (${o.label})`) });
  return sections;
}

/** The diff as plain text for the terminal (ends with a newline). */
export function formatDiffText(d: ResultDiff): string {
  return diffSections(d)
    .map((s) => `${s.title}:\n${s.lines.map((l) => `  ${l}`).join('\n')}\n`)
    .join('\n');
}

const COMPARE_PALETTE = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#8c564b', '#e377c2', '#17becf', '#bcbd22'];

/** Options of both runs by id (a's order, then b's new ones): one colour per option id in both charts. */
function optionUnion(a: SimulationResult, b: SimulationResult): { id: string; label: string }[] {
  const seen = new Map<string, string>();
  for (const o of [...a.options, ...b.options]) if (!seen.has(o.id)) seen.set(o.id, o.label);
  return [...seen].map(([id, label]) => ({ id, label }));
}

/**
 * The side-by-side charts of a comparison: (1) P(cheaper) against volume for every option of
 * both runs on one plot (run A solid, run B dashed, one colour per option id); (2) median
 * monthly cost per option and the API, run A and run B as adjacent bars. Feasible options only.
 */
export function compareChartSpecs(a: SimulationResult, b: SimulationResult, names: [string, string]): { key: string; title: string; caption: string; spec: TopLevelSpec }[] {
  const union = optionUnion(a, b);
  const ids = union.map((o) => o.id);
  const colours = ids.map((_, i) => COMPARE_PALETTE[i % COMPARE_PALETTE.length]!);
  const curve = (r: SimulationResult, run: string) =>
    r.options
      .filter((o) => o.feasible && r.curves.p_cheaper[o.id]?.length === r.curves.grid.tokens_per_month.length)
      .flatMap((o) => r.curves.grid.tokens_per_month.map((v, i) => ({ v, p: r.curves.p_cheaper[o.id]![i]!, option: o.id, run })));
  const curves = [...curve(a, names[0]), ...curve(b, names[1])];
  const costs = [
    ...[a, b].flatMap((r, k) => [
      { option: 'API', label: r.api.label, run: names[k]!, cost: r.api.cost_per_month.p50 },
      ...r.options.filter((o) => o.feasible).map((o) => ({ option: o.id, label: o.label, run: names[k]!, cost: o.cost_per_month.p50 })),
    ]),
  ];
  const header = (title: string, height: number) => ({
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title,
    width: 640,
    height,
    config: { font: 'Helvetica, Arial, sans-serif', view: { stroke: null }, title: { fontSize: 14, anchor: 'start', offset: 10 }, legend: { labelLimit: 600, orient: 'bottom', direction: 'vertical' } },
  });
  const out: { key: string; title: string; caption: string; spec: TopLevelSpec }[] = [];
  if (curves.length > 0) {
    let lo = Infinity;
    let hi = 0;
    for (const d of curves) {
      lo = Math.min(lo, d.v);
      hi = Math.max(hi, d.v);
    }
    const title = 'Chance that self-hosting is cheaper, by monthly volume: both runs';
    out.push({
      key: 'compare-curves',
      title,
      caption: `One colour per option; solid: ${names[0]}, dashed: ${names[1]}. A line that moved right needs more volume to pay off.`,
      spec: {
        ...header(title, 280),
        data: { values: curves },
        mark: { type: 'line', strokeWidth: 2 },
        encoding: {
          x: { field: 'v', type: 'quantitative', scale: { type: 'log', domain: [lo, hi], nice: false }, axis: { title: 'Monthly volume (tokens/month, log scale)', format: '.2~s' } },
          y: { field: 'p', type: 'quantitative', scale: { domain: [0, 1] }, axis: { title: 'P(cheaper), % of trials', format: '.0%' } },
          color: { field: 'option', type: 'nominal', title: 'Option', scale: { domain: ids, range: colours } },
          strokeDash: { field: 'run', type: 'nominal', title: 'Run', scale: { domain: names, range: [[1, 0], [6, 3]] } },
          detail: { field: 'run' },
        },
      } as TopLevelSpec,
    });
  }
  const title = 'Median monthly cost at each run\'s volume';
  out.push({
    key: 'compare-cost',
    title,
    caption: `Each option's median $/month in ${names[0]} and ${names[1]}, next to the API's.`,
    spec: {
      ...header(title, 0),
      height: { step: 14 },
      data: { values: costs },
      mark: { type: 'bar' },
      encoding: {
        y: { field: 'option', type: 'nominal', title: null, sort: ['API', ...ids], axis: { labelLimit: 400 } },
        yOffset: { field: 'run', type: 'nominal', sort: names },
        x: { field: 'cost', type: 'quantitative', axis: { title: 'US$/month (median)', format: '$,.3~s' } },
        color: { field: 'run', type: 'nominal', title: 'Run', scale: { domain: names, range: ['#4c78a8', '#f58518'] } },
        tooltip: [
          { field: 'label', title: 'Option' },
          { field: 'run', title: 'Run' },
          { field: 'cost', title: '$/month', format: '$,.0f' },
        ],
      },
    } as TopLevelSpec,
  });
  return out;
}

/**
 * The diff as a self-contained HTML page (no script, no external URL; escaped), with the
 * two runs' charts as inline SVG when both results are given. One vega render per chart.
 */
export async function renderCompareHtml(d: ResultDiff, runs?: { a: SimulationResult; b: SimulationResult }): Promise<string> {
  const body = diffSections(d)
    .map((s) => `<h2>${escapeHtml(s.title)}</h2>\n<ul${s.title === 'Read first' ? ' class="flags"' : ''}>\n${s.lines.map((l) => (l.startsWith('  ') ? `<li class="sub">${escapeHtml(l.trim())}</li>` : `<li>${escapeHtml(l)}</li>`)).join('\n')}\n</ul>`)
    .join('\n');
  let charts = '';
  if (runs !== undefined) {
    const specs = compareChartSpecs(runs.a, runs.b, d.names);
    const figs: string[] = [];
    for (const c of specs) figs.push(`<figure class="chart" data-chart="${escapeHtml(c.key)}">${await renderSvg(c.spec, c.key)}<figcaption>${escapeHtml(c.caption)}</figcaption></figure>`);
    charts = `<h2>Charts</h2>\n${figs.join('\n')}`;
  }
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:; script-src 'none'; base-uri 'none'; form-action 'none'">
<title>Comparison: ${escapeHtml(d.names[0])} vs ${escapeHtml(d.names[1])}</title>
<style>
body { font: 15px/1.45 Helvetica, Arial, sans-serif; max-width: 960px; margin: 0 auto; padding: 20px 28px; color: #1b1b1b; }
h1 { font-size: 22px; } h2 { font-size: 17px; border-bottom: 1px solid #ddd; padding-bottom: 3px; margin-top: 26px; }
ul { padding-left: 18px; } li { margin: 2px 0; } li.sub { list-style: none; margin-left: 18px; color: #333; font-size: 14px; }
ul.flags { border: 2px solid #b42318; background: #fdecea; padding: 8px 8px 8px 26px; font-weight: bold; color: #7a1a12; }
figure.chart svg { max-width: 100%; height: auto; } figcaption { font-size: 13px; color: #444; }
</style>
</head>
<body>
<h1>What changed: ${escapeHtml(d.names[0])} → ${escapeHtml(d.names[1])}</h1>
${body}
${charts}
</body>
</html>
`;
}
