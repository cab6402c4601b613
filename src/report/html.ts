/**
 * The self-contained HTML report: answer → summary table → charts → assumptions →
 * methodology → warnings. No external URL of any kind (a Content-Security-Policy meta tag
 * forbids network access), a print stylesheet, every user string through `escapeHtml`.
 *
 * Static mode: charts are inline SVG rendered in Node; the page runs no script at all.
 * Interactive mode: the same SVGs (for print and no-JS), plus vega's UMD build and the
 * charts' compiled Vega specs inlined; a small script swaps each SVG for a live view with
 * tooltips. Specs are compiled by vega-lite in Node, so the page needs only vega's runtime.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { OptionResult, Quantiles, SimulationResult } from '../sim/result.js';
import { escapeHtml, formatCount, formatNumber, formatPercent, formatTokenRange, formatTokens, formatUsd, jsonForScript } from './format.js';
import { buildChartSpecs } from './specs.js';
import { headline, judgesSlo, optionFacts, verdictGroups, verdictOf } from './headline.js';
import { inThreadRenderer, type ChartRenderer } from './render.js';
import { API_COST_RULE, FLEET_CONVENTIONS } from '../cost/index.js';
import { CAPACITY_RULE, STEP_RULE } from '../perf/index.js';

export interface ReportOptions {
  /** inline the vega runtime for tooltips (larger file; still no network) */
  interactive?: boolean;
  /** where the charts are drawn (default: this thread); the HTML is the same either way */
  renderer?: ChartRenderer;
}

/** Path of vega's minified UMD build (the one inlined in interactive reports). */
export function vegaRuntimePath(): string {
  const entry = createRequire(import.meta.url).resolve('vega');
  return join(dirname(entry), 'vega.min.js');
}


/** "Median saving: $3.37 K/month." or "Median extra cost: $2.05 K/month." */
function savingsNote(o: OptionResult): string {
  const s = o.savings_per_month.p50;
  return s >= 0 ? ` Median saving at your volume: ${formatUsd(s)}/month.` : ` Median extra cost at your volume: ${formatUsd(-s)}/month.`;
}

/**
 * The answer for one option, as one or two plain sentences (plain text, not yet escaped).
 * Covers: infeasible (says why), never breaks even in most trials, cheaper in every trial.
 */
export function answerSentence(result: SimulationResult, o: OptionResult): string {
  const api = result.api.label;
  const vol = `${formatTokens(result.volume_tokens_per_month.p50)} tokens/month`;
  if (!o.feasible) {
    return `Self-hosting ${o.label} is not possible as configured: ${o.infeasible_reason ?? 'no reason given'}.`;
  }
  const be = o.breakeven_tokens_per_month;
  const never = o.never_breaks_even_share;
  const partly =
    o.feasible_share < 1 ? ` It can run as configured in only ${formatPercent(o.feasible_share)} of trials (memory, TPOT or TTFT target not met in the rest).` : '';
  return answerCore(o, be, never, api, vol) + sloNote(result, o) + partly;
}

/**
 * Issue 15's workloads, in words (plain text, not yet escaped): a routing option's share, model
 * and stated quality assumption; batch runs that miss their deadline; the deferred batch share
 * and how much of it misses the batch window; an existing fleet's sunk
 * cost; the self-hosted prefix cache's hit at the typical request.
 */
export function workloadNote(result: SimulationResult, o: OptionResult): string {
  // "(median; 80 % of trials 0 %-20 %)", or "(median, and in 80 % of trials)" when p10 = p90: never "0 %-0 %"
  const spread = (q: { p10: number; p90: number }): string =>
    q.p10 === q.p90 ? 'median, and in 80 % of trials' : `median; 80 % of trials ${formatPercent(q.p10)}-${formatPercent(q.p90)}`;
  let note = '';
  if (o.routing) {
    const sh = o.routing.share;
    const share = sh.p10 === sh.p90 ? formatPercent(sh.p50) : `${formatPercent(sh.p10)}-${formatPercent(sh.p90)}`;
    note += ` Routes ${share} of requests to ${o.model} on this fleet and the rest to ${result.api.label}; the cost is both together. Quality assumption (not modelled): ${o.routing.quality_assumption}`;
    if (!/[.!?]$/.test(note)) note += '.';
  }
  const missed = o.batch_runs_missed_share;
  if (missed && result.batch_jobs) {
    const bj = result.batch_jobs;
    note += ` Batch jobs: ${formatPercent(missed.p50)} of runs (${spread(missed)}) miss their ${formatNumber(bj.deadline_hours)}-hour deadline on this fleet; what a missed run has left goes to the API at standard prices, included in the cost.`;
  }
  const deferred = o.deferred_missed_share;
  const dbs = result.deferred_batch_share;
  if (deferred && dbs) {
    note += ` Batch share served off-peak: the fleet is sized for the interactive calls only; the ${formatPercent(dbs.share.p50)} (median) that can wait for a batch API wait up to ${formatNumber(dbs.window_hours)} hours for capacity they leave free, at full batch. ${formatPercent(deferred.p50)} of them (${spread(deferred)}) miss the window on this fleet and go to the API at standard prices, included in the cost.`;
  }
  if (o.policy === 'existing') note += ' The fleet is one you already have: its capex or reservation is sunk and not counted; power, operations and what it cannot serve are.';
  const pc = o.perf?.prefix_cache;
  if (pc) {
    note += ` Prefix cache: ${formatPercent(pc.hit)} of prompt tokens served from the engine's cache at the typical request (${formatCount(pc.cached_tokens)} tokens cached in the ${formatPercent(pc.reserve_fraction)} of KV memory set aside), so only the rest is prefilled.`;
  }
  return note;
}

/** What the SLO does to the verdict: P(cheaper) counts only trials that meet the target. */
function sloNote(result: SimulationResult, o: OptionResult): string {
  const target = formatPercent(result.slo.attainment_target);
  const miss = 1 - o.p_meets_slo;
  if (miss <= 0) return '';
  const ignoring = o.p_cheaper_ignoring_slo > o.p_cheaper ? ` Ignoring the SLO it would be cheaper in ${formatPercent(o.p_cheaper_ignoring_slo)} of trials.` : '';
  return ` It misses the ${target} SLO target in ${formatPercent(miss)} of trials (median ${formatPercent(o.slo_attainment?.p50)} of hours served in time); those trials do not count as cheaper.${ignoring}`;
}

/**
 * How big the fleet is, in GPUs (median over trials; the peak for autoscaled fleets):
 * " Fleet: 4 replicas × 2 GPUs = 8 GPUs (median)." Empty when the option never runs.
 */
export function fleetNote(o: OptionResult): string {
  if (!o.feasible || o.gpus === null) return '';
  const gpus = o.gpus.p50;
  const replicas = gpus / o.tp;
  const peak = o.policy === 'autoscale' ? ', at the autoscaled peak' : o.policy === 'existing' ? ', yours and any rented at the busiest hour' : '';
  const plural = (n: number, w: string) => `${formatNumber(n)} ${w}${n === 1 ? '' : 's'}`;
  return ` Fleet: ${plural(replicas, 'replica')} × ${plural(o.tp, 'GPU')} = ${plural(gpus, 'GPU')} (median${peak}).`;
}

/** Whether a median saving means anything: the option runs and meets the SLO in most trials. */
export function savingsApply(o: OptionResult): boolean {
  return o.feasible && o.feasible_share >= 0.5 && o.p_meets_slo >= 0.5;
}

function answerCore(o: OptionResult, be: Quantiles | null, never: number, api: string, vol: string): string {
  const head =
    o.p_cheaper >= 1
      ? `Self-hosting ${o.label} is cheaper than ${api} in every trial at ${vol}`
      : o.p_cheaper <= 0
        ? `Self-hosting ${o.label} is cheaper than ${api} in no trial at ${vol}`
        : `Self-hosting ${o.label} is cheaper than ${api} in ${formatPercent(o.p_cheaper)} of trials at ${vol}`;
  if (be === null || never >= 1) {
    return `${head}; it never breaks even: within the volumes searched, ${api} stays cheaper in every trial.`;
  }
  if (never >= 0.5) {
    return `${head}; in ${formatPercent(never)} of trials it never breaks even at any volume searched, so ${api} is the safer choice (where it does break even, the median is ${formatTokens(be.p50)} tokens/month).`;
  }
  const neverNote = never > 0 ? `; in ${formatPercent(never)} of trials it never breaks even` : '';
  return `${head}; it breaks even at ${formatTokens(be.p50)} tokens/month (median; 80 % of trials between ${formatTokens(be.p10, 2)} and ${formatTokens(be.p90, 2)})${neverNote}.`;
}

/** A model error share with one decimal: 0.061 → "6.1 %". */
function errorPct(x: number | null): string {
  return x === null || !Number.isFinite(x) ? 'n/a' : `${(x * 100).toFixed(1)} %`;
}

function q3(q: Quantiles | null, f: (x: number) => string): string {
  if (q === null) return 'n/a';
  return `${f(q.p10)} / <b>${f(q.p50)}</b> / ${f(q.p90)}`;
}

/** "4 (4-6)" GPUs; "n/a" until the result reports them. */
function gpusCell(o: OptionResult): string {
  const g = o.gpus;
  if (g === undefined || g === null) return '<span class="muted">n/a</span>';
  return g.p10 === g.p90 ? formatNumber(g.p50) : `${formatNumber(g.p50)} <span class="sub">(${formatNumber(g.p10)}-${formatNumber(g.p90)})</span>`;
}

/** "99.5 %; 90 % of trials" (median attainment; P(meets target)); "n/a" when not reported. */
function sloCell(o: OptionResult): string {
  const a = o.slo_attainment;
  if (a === undefined || a === null) return '<span class="muted">n/a</span>';
  return `${formatPercent(a.p50)}${o.p_meets_slo !== undefined ? `<br><span class="sub">${formatPercent(o.p_meets_slo)} of trials</span>` : ''}`;
}

function summaryTable(result: SimulationResult): string {
  const rows = result.options.map((o) => {
    if (!o.feasible) {
      return `<tr class="infeasible"><th scope="row">${escapeHtml(o.label)}</th><td colspan="11">cannot run: ${escapeHtml(o.infeasible_reason ?? 'no reason given')}</td></tr>`;
    }
    const sav = o.savings_per_month.p50;
    return `<tr>
<th scope="row">${escapeHtml(o.label)}</th>
<td class="num">${formatPercent(o.p_cheaper)}${o.feasible_share < 1 ? `<br><span class="sub">cannot run in ${formatPercent(1 - o.feasible_share)}</span>` : ''}</td>
<td class="num">${gpusCell(o)}</td>
<td class="num">${sloCell(o)}</td>
<td class="num">${q3(o.breakeven_tokens_per_month, (x) => formatTokens(x, 2))}</td>
<td class="num">${formatPercent(o.never_breaks_even_share)}</td>
<td class="num">${formatUsd(o.cost_per_million_tokens.p50)}</td>
<td class="num">${formatUsd(o.cost_per_month.p50)}</td>
<td class="num ${sav < 0 ? 'neg' : 'pos'}">${formatUsd(sav)}</td>
<td class="num">${formatPercent(o.utilisation.p50)}</td>
<td class="num">${formatNumber(o.violation_hours.p50)} / ${formatNumber(o.violation_hours.p90)}</td>
<td class="num">${formatPercent(o.overflow_share.p50)}</td>
</tr>`;
  });
  const api = result.api;
  rows.push(`<tr class="api"><th scope="row">${escapeHtml(api.label)} (API, for reference)</th><td class="num">-</td><td class="num">-</td><td class="num">-</td><td class="num">-</td><td class="num">-</td><td class="num">${formatUsd(api.cost_per_million_tokens.p50)}</td><td class="num">${formatUsd(api.cost_per_month.p50)}</td><td class="num">-</td><td class="num">-</td><td class="num">-</td><td class="num">-</td></tr>`);
  return `<table class="summary">
<thead><tr>
<th scope="col">Option</th>
<th scope="col">${judgesSlo(result) ? 'Cheaper than API and within the SLO' : 'Cheaper than API'}<br><span class="sub">% of trials, at your volume</span></th>
<th scope="col">GPUs<br><span class="sub">median (p10-p90); peak for elastic fleets</span></th>
<th scope="col">SLO attainment<br><span class="sub">median share of hours; trials meeting the target</span></th>
<th scope="col">Break-even volume, tokens/month<br><span class="sub">p10 / <b>median</b> / p90</span></th>
<th scope="col">Never breaks even</th>
<th scope="col">Cost per million tokens<br><span class="sub">median</span></th>
<th scope="col">Monthly cost<br><span class="sub">median</span></th>
<th scope="col">Monthly savings vs API<br><span class="sub">median; negative = API cheaper</span></th>
<th scope="col">GPU utilisation<br><span class="sub">median</span></th>
<th scope="col">SLO violation hours per trial<br><span class="sub">median / p90</span></th>
<th scope="col">Tokens sent to API (overflow)<br><span class="sub">median</span></th>
</tr></thead>
<tbody>
${rows.join('\n')}
</tbody>
</table>
<p class="note">p10 / p50 / p90: the 10th, 50th (median) and 90th percentiles over ${formatCount(result.scenario.trials)} trials; 80 % of trials fall between p10 and p90. Break-even percentiles are over the trials that break even at all. Costs and savings at your volume (${escapeHtml(formatTokens(result.volume_tokens_per_month.p50))} tokens/month), US dollars.</p>`;
}

/**
 * "vs other APIs": each feasible option against each extra baseline (workload compare_apis),
 * one row per pair: P(cheaper and within the SLO), monthly savings p50 (p10 / p90) and
 * break-even p50 against that API. Empty when the workload lists none. Every string escaped.
 * O(options × baselines).
 */
function versusSection(result: SimulationResult): string {
  const apis = result.compare_apis ?? [];
  if (apis.length === 0) return '';
  const rows: string[] = [];
  for (const o of result.options) {
    for (const a of apis) {
      const v = o.vs_apis?.[a.id];
      const head = `<th scope="row">${escapeHtml(o.label)}</th><td>${escapeHtml(a.label)}<br><span class="sub">${formatUsd(a.cost_per_month.p50)}/month</span></td>`;
      if (!o.feasible || v === undefined) {
        rows.push(`<tr class="infeasible">${head}<td colspan="3">${o.feasible ? 'not compared' : 'cannot run'}</td></tr>`);
        continue;
      }
      const sav = v.savings_per_month;
      const never = v.breakeven_tokens_per_month === null || v.never_breaks_even_share >= 0.5;
      rows.push(
        `<tr>${head}<td class="num">${formatPercent(v.p_cheaper)}</td><td class="num ${sav.p50 < 0 ? 'neg' : 'pos'}">${formatUsd(sav.p50)}<br><span class="sub">${formatUsd(sav.p10)} / ${formatUsd(sav.p90)}</span></td><td class="num">${never ? 'never (most trials)' : escapeHtml(formatTokens(v.breakeven_tokens_per_month!.p50, 2))}</td></tr>`,
      );
    }
  }
  return `<section id="vs-apis">
<h2>vs other APIs</h2>
<table class="summary vs-apis">
<thead><tr>
<th scope="col">Option</th>
<th scope="col">API baseline<br><span class="sub">its median monthly cost</span></th>
<th scope="col">${judgesSlo(result) ? 'Cheaper and within the SLO' : 'Cheaper'}<br><span class="sub">% of trials</span></th>
<th scope="col">Monthly savings vs this API<br><span class="sub">median; p10 / p90</span></th>
<th scope="col">Break-even, tokens/month<br><span class="sub">median</span></th>
</tr></thead>
<tbody>
${rows.join('\n')}
</tbody>
</table>
<p class="note">The same trials as the summary, priced at each API (same token counts, traffic, cache, batch, retry and price-decline draws). The verdict, the answer and the charts are against ${escapeHtml(result.api.label)}, the primary baseline; overflow and routed traffic stay priced at it.</p>
</section>`;
}

function assumptionsTable(result: SimulationResult): string {
  if (result.inputs.length === 0) return '<p>No uncertain inputs.</p>';
  const rows = result.inputs.map(
    (i) =>
      `<tr><th scope="row"><code>${escapeHtml(i.path)}</code></th><td><code>${escapeHtml(i.written)}</code></td><td>${escapeHtml(i.dist)}</td><td class="num">${formatNumber(i.p10)}</td><td class="num">${formatNumber(i.p50)}</td><td class="num">${formatNumber(i.p90)}</td><td>${i.source === null ? '<span class="muted">none given</span>' : escapeHtml(i.source)}</td></tr>`,
  );
  return `<table class="inputs">
<thead><tr><th scope="col">Input</th><th scope="col">As written</th><th scope="col">Distribution</th><th scope="col">p10</th><th scope="col">p50</th><th scope="col">p90</th><th scope="col">Source</th></tr></thead>
<tbody>
${rows.join('\n')}
</tbody>
</table>`;
}

function calibrationText(result: SimulationResult): string {
  if (result.calibration.length === 0) return '<p>The throughput model was not calibrated against measurements for these GPUs; treat its η factors as defaults.</p>';
  const rows = result.calibration.map(
    (c) =>
      `<tr><th scope="row">${escapeHtml(c.gpu)}</th><td>${escapeHtml(c.fitted_on)}</td><td class="num">${errorPct(c.median_abs_error)}</td><td class="num">${errorPct(c.max_abs_error)}</td><td class="num">${errorPct(c.held_out_median_abs_error)}</td><td class="num">${errorPct(c.held_out_max_abs_error)}</td></tr>`,
  );
  return `<table class="calibration">
<thead><tr><th scope="col">GPU</th><th scope="col">Fitted on</th><th scope="col">Median |error|</th><th scope="col">Max |error|</th><th scope="col">Held-out median |error|</th><th scope="col">Held-out max |error|</th></tr></thead>
<tbody>
${rows.join('\n')}
</tbody>
</table>`;
}

/** How each option's GPU throughput is known (fitted, transferred, estimate), one row per GPU. */
function throughputSources(result: SimulationResult): string {
  const seen = new Map<string, { engine: string; note: string }>();
  for (const o of result.options) if (o.perf !== null && !seen.has(o.gpu)) seen.set(o.gpu, { engine: o.perf.engine, note: o.perf.throughput_source_note });
  if (seen.size === 0) return '';
  const rows = [...seen.entries()].map(([gpu, s]) => `<tr><th scope="row">${escapeHtml(gpu)}</th><td>${escapeHtml(s.note)}</td><td>${escapeHtml(s.engine)}</td></tr>`);
  return `<table class="throughput-source">
<thead><tr><th scope="col">GPU</th><th scope="col">How its throughput is known</th><th scope="col">Engine preset</th></tr></thead>
<tbody>
${rows.join('\n')}
</tbody>
</table>`;
}

/** The command that reproduces this result. */
export function reproduceCommand(result: SimulationResult): string {
  const file = result.scenario.file ?? '<scenario file>';
  const quoted = /^[A-Za-z0-9_./-]+$/.test(file) ? file : `'${file.replace(/'/g, `'\\''`)}'`;
  return `breakeven simulate ${quoted} --trials ${result.scenario.trials} --seed ${result.scenario.seed}`;
}

/** `breakeven simulate --from <name>.json`: the JSON the CLI wrote next to this report. */
export function fromCommand(result: SimulationResult): string {
  const file = result.scenario.file ?? 'result.yaml';
  const stem = (file.split('/').pop() ?? file).replace(/\.[^.]*$/, '');
  const json = `${stem}.json`;
  return `breakeven simulate --from ${/^[A-Za-z0-9_.-]+$/.test(json) ? json : `'${json.replace(/'/g, `'\\''`)}'`}`;
}

function methodology(result: SimulationResult): string {
  return `<h3>Throughput model</h3>
<p>${escapeHtml(STEP_RULE)}</p>
<p>${escapeHtml(CAPACITY_RULE)}</p>
<h4>Calibration (measured error of the throughput model)</h4>
${calibrationText(result)}
${throughputSources(result)}
<h3>Traffic model</h3>
<p>Hourly demand over the horizon: <code>base × growth(month) × diurnal(hour) × weekly(day) × noise(hour) × spikes(hour)</code>, with mean-1 Gamma noise and Poisson bursts; provisioning covers the peak minute of each hour, not its mean.</p>
<h3>Cost model</h3>
<p>API: ${escapeHtml(API_COST_RULE)}</p>
<p>Self-hosted, per hour: GPUs provisioned × $/GPU-hour (by pricing model) + operations overhead (+ amortised capex and power for owned hardware). Each fleet policy (fixed, autoscaling, hybrid overflow to the API) is one option; hours where demand exceeds capacity count as SLO violations or overflow, never dropped.</p>
<h4>Conventions</h4>
<ul>${FLEET_CONVENTIONS.map((c) => `<li><b>${escapeHtml(c.topic)}.</b> ${escapeHtml(c.text)}</li>`).join('')}</ul>
<h3>Break-even</h3>
<p>In each trial demand is scaled by a factor <i>s</i>; the break-even volume is the smallest monthly volume from which self-hosting stays cheaper than the API (log-grid scan, then bisection). Every option is evaluated on the same random draws (common random numbers), so comparisons between options are paired. Sensitivities are Spearman rank correlations of each input with the break-even volume over trials.</p>
<h3>Reproduce</h3>
<p>${escapeHtml(result.tool.name)} ${escapeHtml(result.tool.version)}, result schema ${escapeHtml(result.schema_version)}; ${formatCount(result.scenario.trials)} trials, seed ${escapeHtml(result.scenario.seed)}, horizon ${escapeHtml(result.scenario.horizon_months)} months.</p>
<pre class="cmd"><code>${escapeHtml(reproduceCommand(result))}</code></pre>
<p>This run's JSON embeds the workload as written and the catalog entries it used (with their sources and dates), so anyone with the JSON can reproduce it byte for byte, without the files:</p>
<pre class="cmd"><code>${escapeHtml(fromCommand(result))}</code></pre>`;
}

export const CSS = `
:root { --fg: #1b1b1b; --muted: #666; --line: #ddd; --good: #1a7f37; --bad: #b42318; --warn: #9a6700; }
* { box-sizing: border-box; }
body { font: 15px/1.45 Helvetica, Arial, sans-serif; color: var(--fg); margin: 0 auto; max-width: 1120px; padding: 20px 28px 60px; }
h1 { font-size: 24px; margin: 0 0 2px; }
h2 { font-size: 19px; margin: 34px 0 10px; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
h3 { font-size: 16px; margin: 18px 0 6px; }
h4 { font-size: 14px; margin: 12px 0 4px; }
.desc { color: var(--muted); margin: 0 0 10px; }
.facts { font-size: 13px; color: var(--muted); margin: 0 0 14px; }
.headline { font-size: 18px; font-weight: 600; margin: 4px 0 14px; padding: 10px 14px; background: #f3f6fb; border-left: 5px solid #1f4e99; }
h3.group { font-size: 14px; margin: 12px 0 4px; } h3.group.self-host { color: var(--good); } h3.group.api, h3.group.slo { color: var(--bad); } h3.group.uncertain { color: var(--warn); }
details summary { cursor: pointer; color: var(--muted); font-size: 12px; } details { font-size: 13px; margin-top: 2px; }
.answers { list-style: none; padding: 0; margin: 0 0 8px; }
.answers li { margin: 0 0 6px; padding: 6px 12px; border-left: 5px solid var(--line); background: #f7f7f7; }
.answers li.self-host { border-color: var(--good); }
.answers li.api, .answers li.slo { border-color: var(--bad); }
.answers li.uncertain { border-color: var(--warn); }
.answers li.infeasible { border-color: #888; }
.badge { display: inline-block; font-size: 11px; font-weight: bold; text-transform: uppercase; letter-spacing: .04em; margin-right: 6px; color: var(--muted); }
.self-host .badge { color: var(--good); } .api .badge, .slo .badge { color: var(--bad); } .uncertain .badge { color: var(--warn); }
table { border-collapse: collapse; width: 100%; font-size: 13px; margin: 6px 0; }
th, td { border-bottom: 1px solid var(--line); padding: 5px 7px; text-align: left; vertical-align: top; }
thead th { font-weight: 600; background: #f3f3f3; vertical-align: bottom; }
td.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
td.neg { color: var(--bad); } td.pos { color: var(--good); }
tr.api { color: var(--muted); } tr.infeasible td { color: var(--bad); }
.sub { font-weight: normal; color: var(--muted); font-size: 11px; }
.note, .muted { color: var(--muted); font-size: 12px; }
figure.chart { margin: 22px 0 30px; page-break-inside: avoid; break-inside: avoid; }
figure.chart svg { max-width: 100%; height: auto; }
figcaption { font-size: 13px; color: #444; margin-top: 4px; max-width: 760px; }
.warnings { border: 1px solid #e5c07b; background: #fff8e6; padding: 8px 14px; }
.warnings li { margin: 3px 0; }
pre.cmd { background: #f3f3f3; padding: 8px 10px; overflow-x: auto; }
code { font-family: Menlo, Consolas, monospace; font-size: 12px; }
@media print {
  body { max-width: none; padding: 0; font-size: 11pt; }
  h2 { page-break-after: avoid; break-after: avoid; }
  .answers li { background: none; }
  a { color: inherit; text-decoration: none; }
  table, tr { page-break-inside: avoid; break-inside: avoid; }
  .chart-live { display: none; } .chart-static { display: block !important; }
}
`;

const INTERACTIVE_BOOT = `(function () {
  var el = document.getElementById('vega-specs');
  if (!el || typeof vega === 'undefined') return;
  var specs = JSON.parse(el.textContent);
  Object.keys(specs).forEach(function (key) {
    var fig = document.querySelector('[data-chart="' + key + '"]');
    if (!fig) return;
    var live = fig.querySelector('.chart-live');
    var stat = fig.querySelector('.chart-static');
    var view = new vega.View(vega.parse(specs[key]), { renderer: 'svg', hover: true });
    view.initialize(live).runAsync().then(function () {
      stat.style.display = 'none';
    }, function (err) {
      console.warn('interactive chart ' + key + ' failed; showing the static one', err);
    });
  });
})();`;

function sha256Base64(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('base64');
}

/**
 * Render the report for `result`. Deterministic: the same result gives byte-identical HTML
 * (no clock, no random ids), whichever renderer draws the charts. Cost: one vega-lite compile
 * and one vega render per chart (20-120 ms each once vega is loaded and warm; bench/report.js
 * prints each chart's), the compiled spec reused for interactive pages.
 */
export async function renderReport(result: SimulationResult, opts: ReportOptions = {}): Promise<string> {
  const interactive = opts.interactive === true;
  const charts = buildChartSpecs(result);
  const rendered = await (opts.renderer ?? inThreadRenderer).render(charts.map((c) => ({ key: c.key, spec: c.spec })));
  const svgs = rendered.map((r) => r.svg);

  const s = result.scenario;
  const vol = result.volume_tokens_per_month;
  const answers = verdictGroups(result)
    .map(
      (g) => `<h3 class="group ${g.verdict}">${escapeHtml(g.title)} <span class="sub">(${g.options.length})</span></h3>
<ul class="answers">
${g.options
  .map((o) => `<li class="${verdictOf(o)}" data-option="${escapeHtml(o.id)}"><b>${escapeHtml(o.label)}</b>: ${escapeHtml(optionFacts(result, o) + '.' + (savingsApply(o) ? savingsNote(o) : '') + workloadNote(result, o))}<details><summary>In full</summary>${escapeHtml(answerSentence(result, o) + fleetNote(o))}</details></li>`)
  .join('\n')}
</ul>`,
    )
    .join('\n');
  const facts = [
    `Your volume: <b>${escapeHtml(formatTokens(vol.p50))} tokens/month</b> (median; 80 % of trials ${escapeHtml(formatTokenRange(vol.p10, vol.p90))})`,
    `API: ${escapeHtml(result.api.label)} at ${formatUsd(result.api.cost_per_million_tokens.p50)} per million tokens, ${formatUsd(result.api.cost_per_month.p50)}/month`,
    `horizon ${escapeHtml(s.horizon_months)} months`,
    `${formatCount(s.trials)} trials, seed ${escapeHtml(s.seed)}`,
  ].join(' · ');
  // GPUs whose throughput is not measured are marked where the verdicts are read
  const unmeasured = [...new Map(result.options.filter((o) => o.perf !== null && o.perf.throughput_source !== 'fitted').map((o) => [o.gpu, o.perf!.throughput_source_note])).entries()];
  const sourceNote =
    unmeasured.length > 0 ? `<p class="note throughput-source">${unmeasured.map(([gpu, note]) => `<b>${escapeHtml(gpu)}</b>: ${escapeHtml(note)}.`).join(' ')}</p>` : '';
  const warnNote =
    result.warnings.length > 0
      ? `<p class="note"><a href="#warnings">${result.warnings.length} warning${result.warnings.length === 1 ? '' : 's'}</a> about this run are listed at the end.</p>`
      : '';

  const figures = charts
    .map(
      (c, i) => `<figure class="chart" data-chart="${escapeHtml(c.key)}" id="fig-${escapeHtml(c.key)}">
<div class="chart-static">${svgs[i]!}</div>${interactive ? '<div class="chart-live"></div>' : ''}
<figcaption><b>How to read it:</b> ${escapeHtml(c.caption)}</figcaption>
</figure>`,
    )
    .join('\n');

  const warnings =
    result.warnings.length > 0
      ? `<h2 id="warnings">Warnings</h2>\n<ul class="warnings">\n${result.warnings.map((w) => `<li>${escapeHtml(w)}</li>`).join('\n')}\n</ul>`
      : '';

  let scripts = '';
  let scriptSrc = "'none'";
  if (interactive) {
    const runtime = readFileSync(vegaRuntimePath(), 'utf8').replace(/<\/(script)/gi, '<\\/$1');
    const compiled: Record<string, unknown> = {};
    for (const r of rendered) compiled[r.key] = r.vega;
    scripts = `<script type="application/json" id="vega-specs">${jsonForScript(compiled)}</script>
<script>${runtime}</script>
<script>${INTERACTIVE_BOOT}</script>`;
    // vega compiles its expressions with Function(), hence 'unsafe-eval'; inline scripts are
    // allowed by hash only, so an injected <script> would not run
    scriptSrc = `'sha256-${sha256Base64(runtime)}' 'sha256-${sha256Base64(INTERACTIVE_BOOT)}' 'unsafe-eval'`;
  }
  const csp = `default-src 'none'; style-src 'unsafe-inline'; img-src data:; script-src ${scriptSrc}; base-uri 'none'; form-action 'none'`;

  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="${escapeHtml(result.tool.name)} ${escapeHtml(result.tool.version)}">
<title>${escapeHtml(s.name)}: self-hosting vs ${escapeHtml(result.api.label)}</title>
<style>${CSS}</style>
</head>
<body data-mode="${interactive ? 'interactive' : 'static'}">
<header>
<h1>${escapeHtml(s.name)}</h1>
<p class="facts">Self-hosting vs ${escapeHtml(result.api.label)} · ${facts}</p>
</header>
<section id="answer">
<h2>The answer</h2>
<p class="headline" id="headline">${escapeHtml(headline(result))}.</p>
${answers}
${sourceNote}
${warnNote}
</section>
<section id="summary">
<h2>Summary</h2>
${summaryTable(result)}
</section>
${versusSection(result)}
${s.description ? `<section id="scenario">\n<h2>The scenario</h2>\n<p class="desc">${escapeHtml(s.description)}</p>\n</section>` : ''}
<section id="charts">
<h2>Charts</h2>
${figures}
</section>
<section id="assumptions">
<h2>Assumptions</h2>
<p class="note">Every uncertain input as the scenario wrote it, the distribution it was read as, and its 10th/50th/90th percentiles.</p>
${assumptionsTable(result)}
</section>
<section id="methodology">
<h2>Methodology</h2>
${methodology(result)}
</section>
${warnings}
${scripts}
</body>
</html>
`;
}
