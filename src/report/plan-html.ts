/**
 * The plan report: self-contained HTML with the same conventions as the simulate report (no
 * external URL, a Content-Security-Policy that forbids network and script, inline SVG charts
 * rendered in Node, every user string through `escapeHtml`, deterministic bytes):
 *
 *   answer → ranked table → Pareto frontiers → GPUs across volumes → pruned → method
 *
 * Cost: one vega render per chart (3 at most) plus O(candidates + pruned) rows.
 */
import type { PlanCandidate, PlanResult } from '../plan/index.js';
import { escapeHtml, formatNumber, formatPercent, formatTokens, formatUsd, formatCount } from './format.js';
import { buildPlanChartSpecs } from './plan-specs.js';
import { renderSvg } from './render.js';
import { CSS } from './html.js';

/** Pretty JSON of a plan result (keys in the order produced), ending with a newline. */
export function planJson(r: PlanResult): string {
  return JSON.stringify(r, null, 2) + '\n';
}

/** Rows shown in the report's ranked table (all candidates are in the JSON). */
export const PLAN_REPORT_ROWS = 40;

function gpuText(c: PlanCandidate): string {
  return c.gpus ? `${formatNumber(c.gpus.p50)} / ${formatNumber(c.gpus.p90)}` : '-';
}

function rankedTable(r: PlanResult): string {
  const rows = r.candidates.slice(0, PLAN_REPORT_ROWS).map((c) => {
    const cls = c.id === r.best ? 'best' : c.eligible ? '' : 'infeasible';
    return `<tr class="${cls}" data-candidate="${escapeHtml(c.id)}">
<td class="num">${c.rank}</td>
<th scope="row">${escapeHtml(c.label)}${c.written ? ' <span class="sub">(in the workload)</span>' : ''}<br><span class="sub">${escapeHtml(c.id)}</span></th>
<td class="num">${gpuText(c)}</td>
<td class="num">${c.feasible ? formatUsd(c.cost_per_month.p50) : '-'}</td>
<td class="num">${c.feasible ? formatUsd(c.cost_per_month.p90) : '-'}</td>
<td class="num">${formatPercent(c.p_cheaper)}</td>
<td class="num">${c.breakeven_tokens_per_month ? escapeHtml(formatTokens(c.breakeven_tokens_per_month.p50)) : 'never'}</td>
<td class="num">${c.perf ? formatNumber(c.perf.decode_step_ms) : '-'}</td>
<td class="num">${c.feasible ? formatNumber(c.violation_hours.p90) : '-'}</td>
<td>${c.eligible ? 'yes' : escapeHtml(`no: ${c.why_not ?? ''}`)}</td>
</tr>`;
  });
  const more = r.candidates.length > PLAN_REPORT_ROWS ? `<p class="note">${r.candidates.length - PLAN_REPORT_ROWS} more candidates are in the plan JSON.</p>` : '';
  return `<table class="ranked">
<thead><tr><th scope="col">#</th><th scope="col">Configuration</th><th scope="col">GPUs<br><span class="sub">p50 / p90</span></th><th scope="col">$/month<br><span class="sub">median</span></th><th scope="col">$/month<br><span class="sub">p90</span></th><th scope="col">P(cheaper than API)<br><span class="sub">and meeting the SLO</span></th><th scope="col">Break-even tokens/month<br><span class="sub">median</span></th><th scope="col">TPOT ms<br><span class="sub">at chosen batch</span></th><th scope="col">Hours over capacity<br><span class="sub">p90</span></th><th scope="col">Meets SLO</th></tr></thead>
<tbody>
${rows.join('\n')}
</tbody>
</table>
${more}`;
}

function volumesTable(r: PlanResult): string {
  if (r.volumes.series.length === 0) return '<p class="note">Nothing to sweep: no candidate could run.</p>';
  const head = r.volumes.scales.map((s) => `<th scope="col">${escapeHtml(s)}×</th>`).join('');
  const tokens = r.volumes.series[0]!.points.map((p) => `<td class="num">${escapeHtml(formatTokens(p.tokens_per_month))}</td>`).join('');
  const rows = r.volumes.series.map(
    (s) => `<tr><th scope="row">${escapeHtml(s.label)}</th>${s.points.map((p) => `<td class="num">${p.gpus ? `${formatNumber(p.gpus.p50)} / ${formatNumber(p.gpus.p90)}` : '-'}</td>`).join('')}</tr>`,
  );
  return `<table class="volumes"><thead><tr><th scope="col">GPUs p50 / p90 at × volume</th>${head}</tr></thead>
<tbody><tr class="api"><th scope="row">tokens/month (median)</th>${tokens}</tr>
${rows.join('\n')}</tbody></table>`;
}

function prunedTable(r: PlanResult): string {
  const stages = new Map<string, number>();
  for (const p of r.pruned) stages.set(p.stage, (stages.get(p.stage) ?? 0) + p.candidates);
  const summary = [...stages].sort((a, b) => b[1] - a[1]).map(([s, n]) => `${escapeHtml(s)}: ${formatCount(n)}`).join(' · ');
  const rows = r.pruned.map(
    (p) => `<tr><td>${escapeHtml(p.gpu)}</td><td>${escapeHtml(p.weights ?? 'all')}</td><td>${escapeHtml(p.kv_cache ?? 'all')}</td><td class="num">${escapeHtml(p.tp ?? 'all')}</td><td>${escapeHtml(p.policy ?? 'all')}</td><td>${escapeHtml(p.pricing ?? 'all')}</td><td>${escapeHtml(p.stage)}</td><td class="num">${p.candidates}</td><td>${escapeHtml(p.reason)}</td></tr>`,
  );
  return `<p class="note">${formatCount(r.search.pruned)} of ${formatCount(r.search.enumerated)} configurations were not simulated. ${summary}</p>
<details><summary>Every pruned group, with its reason</summary>
<table class="pruned"><thead><tr><th>GPU</th><th>weights</th><th>KV</th><th>tp</th><th>policy</th><th>pricing</th><th>why</th><th>candidates</th><th>reason</th></tr></thead>
<tbody>
${rows.join('\n')}
</tbody></table></details>`;
}

function methodology(r: PlanResult): string {
  const s = r.search;
  return `<ul>
<li>Searched: GPUs ${escapeHtml(s.gpus.join(', '))}; weights ${escapeHtml(s.weights.join(', '))}; KV cache ${escapeHtml(s.kv_cache.join(', '))}; tp 1, 2, 4 … up to a node${s.max_gpus !== null ? ` and at most ${escapeHtml(s.max_gpus)}` : ''}; policies ${escapeHtml(s.policies.join(', '))}; pricing ${escapeHtml(s.pricing.join(', '))} where the GPU's profile has the prices. The workload's own options are always candidates.</li>
<li>Pruned before simulation: formats the GPU has no tensor cores for, configurations whose weights and one request's KV cache do not fit, those that cannot meet the TPOT target at the scenario's median request, and dominated ones (a larger tp, or a bf16 KV cache, that serves no more requests per GPU at the same price).</li>
<li>Simulated: every remaining candidate as an option of one Monte Carlo run, ${escapeHtml(formatCount(r.scenario.trials))} trials, seed ${escapeHtml(r.scenario.seed)}: all candidates see the same draws and the same hourly traffic paths (common random numbers), so their differences are not noise between runs.</li>
<li>Meets the SLO: at least ${escapeHtml(formatPercent(r.slo.meets_slo_share))} of trials meet the attainment target (${escapeHtml(formatPercent(r.slo.attainment_target))} of hours within TPOT ${escapeHtml(r.slo.tpot_ms ?? '-')} ms and TTFT ${escapeHtml(r.slo.ttft_ms ?? '-')} ms); where the result has no attainment per trial, a trial meets it when its hours over capacity are at most ${escapeHtml(formatPercent(1 - r.slo.attainment_target))} of the horizon. Ranked by median monthly cost, then p90, then id.</li>
<li>GPUs: replicas × tp as the simulation reports them (for autoscaling, the peak). P(cheaper than API) counts a trial only when the candidate is cheaper <em>and</em> meets the SLO attainment target in it.</li>
</ul>`;
}

/** Render the plan report. Deterministic: the same plan result gives byte-identical HTML. */
export async function renderPlanReport(r: PlanResult): Promise<string> {
  const charts = buildPlanChartSpecs(r);
  const svgs: string[] = [];
  for (const c of charts) svgs.push(await renderSvg(c.spec, c.key));
  const figures = charts
    .map(
      (c, i) => `<figure class="chart" data-chart="${escapeHtml(c.key)}" id="fig-${escapeHtml(c.key)}">
<div class="chart-static">${svgs[i]!}</div>
<figcaption><b>How to read it:</b> ${escapeHtml(c.caption)}</figcaption>
</figure>`,
    )
    .join('\n');
  const s = r.scenario;
  const facts = [
    `API: ${escapeHtml(r.api.label)}, ${formatUsd(r.api.cost_per_month.p50)}/month at ${escapeHtml(formatTokens(r.volume_tokens_per_month.p50))} tokens/month (median)`,
    `simulated ${formatCount(r.search.simulated)} of ${formatCount(r.search.enumerated)} configurations on ${formatCount(r.search.gpus_simulated)} GPU types`,
    `${formatCount(s.trials)} trials, seed ${escapeHtml(s.seed)}`,
  ].join(' · ');
  const csp = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; script-src 'none'; base-uri 'none'; form-action 'none'";
  const warnings = r.warnings.length > 0 ? `<h2 id="warnings">Warnings</h2>\n<ul class="warnings">\n${r.warnings.map((w) => `<li>${escapeHtml(w)}</li>`).join('\n')}\n</ul>` : '';
  const answerClass = r.best ? 'self-host' : 'infeasible';
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="${escapeHtml(r.tool.name)} ${escapeHtml(r.tool.version)}">
<title>${escapeHtml(s.name)}: plan</title>
<style>${CSS}
tr.best { background: #eef7ee; }
details summary { cursor: pointer; margin: 6px 0; }</style>
</head>
<body data-mode="static">
<header>
<h1>${escapeHtml(s.name)}: which GPUs to buy or rent</h1>
<p class="facts">${facts}</p>
</header>
<section id="answer">
<h2>The answer</h2>
<ul class="answers"><li class="${answerClass}">${escapeHtml(r.answer)}</li></ul>
</section>
<section id="ranked">
<h2>Ranked configurations</h2>
${r.candidates.length > 0 ? rankedTable(r) : '<p>No configuration could be simulated; see what was pruned below.</p>'}
</section>
${figures ? `<section id="charts">\n<h2>Frontiers and volumes</h2>\n${figures}\n</section>` : ''}
<section id="volumes">
<h2>GPUs needed across volumes</h2>
${volumesTable(r)}
</section>
<section id="pruned">
<h2>What was not simulated, and why</h2>
${prunedTable(r)}
</section>
${s.description ? `<section id="scenario">\n<h2>The scenario</h2>\n<p class="desc">${escapeHtml(s.description)}</p>\n</section>` : ''}
<section id="methodology">
<h2>Methodology</h2>
${methodology(r)}
</section>
${warnings}
</body>
</html>
`;
}
