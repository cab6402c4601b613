/**
 * Comparing two result JSONs: parse (with a clear message for a file that is not a result,
 * or has another major schema version), diff (inputs, per-option shifts, options only in
 * one), and write the diff as text or as a small self-contained HTML page.
 */
import { RESULT_SCHEMA_VERSION, type InputSummary, type OptionResult, type Quantiles, type SimulationResult } from '../sim/result.js';
import { escapeHtml, formatCount, formatNumber, formatPercent, formatTokens, formatUsd } from './format.js';

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
}

export interface ResultDiff {
  names: [string, string];
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
    if (x && y && x.written === y.written && sameNumber(x.p50, y.p50)) continue;
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
    });
  }
  const brief = (o: OptionResult) => ({ id: o.id, label: o.label });
  return {
    names,
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

/** "+8 pp" for a change of shares. */
function pp(a: number, b: number): string {
  const d = (b - a) * 100;
  if (Math.abs(d) < 0.05) return 'no change';
  return `${d > 0 ? '+' : '-'}${Math.abs(d).toFixed(Math.abs(d) < 10 ? 1 : 0)} pp`;
}

/** "-7.7 %" relative change; "no change" when equal. */
function rel(a: number, b: number): string {
  if (sameNumber(a, b)) return 'no change';
  if (a === 0) return 'new';
  const d = ((b - a) / Math.abs(a)) * 100;
  return `${d > 0 ? '+' : '-'}${Math.abs(d).toFixed(Math.abs(d) < 10 ? 1 : 0)} %`;
}

function beText(q: Quantiles | null): string {
  return q === null ? 'never' : `${formatTokens(q.p10)} / ${formatTokens(q.p50)} / ${formatTokens(q.p90)}`;
}

function inputText(i: Pick<InputSummary, 'written' | 'p50'> | null): string {
  return i === null ? '(absent)' : `${i.written} (p50 ${formatNumber(i.p50)})`;
}

/** One line per fact, in reading order: [section, lines] pairs shared by text and HTML. */
function diffSections(d: ResultDiff): { title: string; lines: string[] }[] {
  const [na, nb] = d.names;
  const [sa, sb] = d.scenarios;
  const head: string[] = [
    `${na}: ${sa.name}, ${formatCount(sa.trials)} trials, seed ${sa.seed}`,
    `${nb}: ${sb.name}, ${formatCount(sb.trials)} trials, seed ${sb.seed}`,
    `volume (p50): ${formatTokens(d.volume_p50[0])} → ${formatTokens(d.volume_p50[1])} tokens/month (${rel(d.volume_p50[0], d.volume_p50[1])})`,
    `API: ${d.api[0].label} ${formatUsd(d.api[0].cost_per_million_tokens_p50)} → ${d.api[1].label} ${formatUsd(d.api[1].cost_per_million_tokens_p50)} per million tokens (p50, ${rel(d.api[0].cost_per_million_tokens_p50, d.api[1].cost_per_million_tokens_p50)})`,
  ];
  const inputs = d.inputs.length === 0 ? ['none'] : d.inputs.map((i) => `${i.path}: ${inputText(i.a)} → ${inputText(i.b)}`);
  const options: string[] = [];
  for (const o of d.options) {
    options.push(`${o.id} (${o.label})`);
    if (o.feasible[0] !== o.feasible[1]) options.push(`  feasible: ${o.feasible[0] ? 'yes' : 'no'} → ${o.feasible[1] ? 'yes' : 'no'}`);
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
    { title: 'Runs', lines: head },
    { title: 'Inputs that differ (as written, p50)', lines: inputs },
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

/** The diff as a small self-contained HTML page (no script, no external URL; escaped). */
export function renderCompareHtml(d: ResultDiff): string {
  const body = diffSections(d)
    .map((s) => `<h2>${escapeHtml(s.title)}</h2>\n<ul>\n${s.lines.map((l) => (l.startsWith('  ') ? `<li class="sub">${escapeHtml(l.trim())}</li>` : `<li>${escapeHtml(l)}</li>`)).join('\n')}\n</ul>`)
    .join('\n');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'none'; base-uri 'none'; form-action 'none'">
<title>Comparison: ${escapeHtml(d.names[0])} vs ${escapeHtml(d.names[1])}</title>
<style>
body { font: 15px/1.45 Helvetica, Arial, sans-serif; max-width: 960px; margin: 0 auto; padding: 20px 28px; color: #1b1b1b; }
h1 { font-size: 22px; } h2 { font-size: 17px; border-bottom: 1px solid #ddd; padding-bottom: 3px; margin-top: 26px; }
ul { padding-left: 18px; } li { margin: 2px 0; } li.sub { list-style: none; margin-left: 18px; color: #333; font-size: 14px; }
</style>
</head>
<body>
<h1>What changed: ${escapeHtml(d.names[0])} → ${escapeHtml(d.names[1])}</h1>
${body}
</body>
</html>
`;
}
