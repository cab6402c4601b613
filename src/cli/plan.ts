/**
 * `breakeven plan [workload]`: load → search (plan/: enumerate, prune, simulate every
 * candidate on the same trials, rank) → write <out>/<workload>.plan.{html,json} atomically →
 * print the answer, the ranked table, the Pareto frontiers, GPUs across volumes and what was
 * pruned. Heavy modules are imported only when the command runs.
 */
import type { Command } from 'commander';
import { basename, extname, isAbsolute, join, relative, resolve } from 'node:path';
import { mkdirSync } from 'node:fs';
import type { CliIO } from './io.js';
import { writeFilesAtomic } from '../util/atomic.js';
import { makeProgress } from './simulate.js';
import { checkOutputFolder, intArg, throwIfStopped } from './files.js';
import type { PlanResult } from '../plan/index.js';
import { DEFAULTS, defaultWorkers } from '../defaults.js';

interface PlanFlags {
  gpus?: string[];
  weights?: string[];
  kv?: string[];
  policies?: string[];
  pricing?: string[];
  maxGpus?: number;
  trials?: number;
  seed?: number;
  top: number;
  json?: boolean;
  out: string;
  workers?: number;
  report: boolean;
}

const list = (v: string, prev: string[] | undefined): string[] => [...(prev ?? []), ...v.split(',').map((s) => s.trim()).filter((s) => s.length > 0)];

export function registerPlan(program: Command, io: CliIO): void {
  program
    .command('plan [workload]')
    .description('search GPU × weight format × KV format × tp × fleet policy × pricing for the workload\'s model; rank what meets the SLO by median monthly cost')
    .option('--gpus <ids>', 'GPU ids to search, comma-separated (default: every bundled GPU; see `breakeven list gpus`)', list)
    .option('--weights <fmts>', 'weight formats: bf16, fp16, fp8, int8, int4 (default: bf16,fp8,int8,int4)', list)
    .option('--kv <fmts>', 'KV cache formats: bf16, fp16, fp8 (default: bf16,fp8; naming them also keeps bf16 KV where FP8 serves as much)', list)
    .option('--policies <names>', 'fleet policies: fixed, autoscale, hybrid (default: all)', list)
    .option('--pricing <modes>', 'pricing modes: on_demand, spot, reserved, owned (default: all the profile prices)', list)
    .option('--max-gpus <n>', 'at most this many GPUs: per replica (tp) and at p90 for the whole fleet', intArg('--max-gpus', 1, 100_000))
    .option('-n, --trials <n>', 'Monte Carlo trials (default: the workload\'s simulation.trials)', intArg('--trials', 1, 10_000_000))
    .option('-s, --seed <s>', 'random seed (default: the workload\'s simulation.seed)', intArg('--seed', 0, 2 ** 32 - 1))
    .option('--top <k>', 'rows of the ranked table', intArg('--top', 1, 100_000), 15)
    .option('--json', 'print the plan JSON to stdout (files are still written unless --no-report)')
    .option('-o, --out <dir>', 'directory for the report files', DEFAULTS.reportsDir)
    .option('-w, --workers <n>', 'worker threads (default: number of cores)', intArg('--workers', 1, 256))
    .option('--no-report', 'do not write files, only print')
    .action(async (workload: string | undefined, flags: PlanFlags) => {
      await planCommand(workload, flags, io);
    });
}

async function planCommand(workload: string | undefined, flags: PlanFlags, io: CliIO): Promise<void> {
  const config = await import('../config/index.js');
  const file = workload ? resolve(io.cwd, workload) : config.defaultWorkloadPath();
  const loaded = config.loadWorkload(file);
  // a folder that cannot be written is said before the search, not after it
  if (flags.report) checkOutputFolder(resolve(io.cwd, flags.out), flags.out);
  const { planWorkload } = await import('../plan/index.js');
  const filters: Parameters<typeof planWorkload>[1] = {};
  if (flags.gpus) filters.gpus = flags.gpus;
  if (flags.weights) filters.weights = flags.weights;
  if (flags.kv) filters.kv = flags.kv;
  if (flags.policies) filters.policies = flags.policies;
  if (flags.pricing) filters.pricing = flags.pricing;
  if (flags.maxGpus !== undefined) filters.maxGpus = flags.maxGpus;
  const progress = await makeProgress(io);
  const opts: Parameters<typeof planWorkload>[2] = { workers: flags.workers ?? defaultWorkers(), signal: io.signal, onProgress: progress.update };
  if (flags.trials !== undefined) opts.trials = flags.trials;
  if (flags.seed !== undefined) opts.seed = flags.seed;
  let result: PlanResult;
  try {
    result = await planWorkload(loaded, filters, opts);
  } finally {
    progress.stop();
  }
  const report = await import('../report/index.js');
  const written: string[] = [];
  if (flags.report) {
    const html = await report.renderPlanReport(result);
    throwIfStopped(io);
    const outDir = resolve(io.cwd, flags.out);
    mkdirSync(outDir, { recursive: true });
    const base = basename(file, extname(file));
    const files = [
      { path: join(outDir, `${base}.plan.json`), data: report.planJson(result) },
      { path: join(outDir, `${base}.plan.html`), data: html },
    ];
    writeFilesAtomic(files);
    written.push(...files.map((f) => f.path));
  }
  if (flags.json) {
    io.out(report.planJson(result));
    return;
  }
  io.out(planText(result, flags.top, report.format));
  for (const f of written) {
    const rel = relative(io.cwd, f);
    io.out(`wrote ${rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : f}\n`);
  }
}

type Fmt = typeof import('../report/format.js');

function table(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((row) => (row[c] ?? '').length)));
  return rows.map((row) => row.map((cell, c) => cell.padEnd(widths[c]!)).join('  ').trimEnd());
}

/** The text printed after a plan: answer first, then the table, frontiers, volumes, pruning. */
export function planText(r: PlanResult, top: number, fmt: Fmt): string {
  const s = r.search;
  const lines: string[] = [];
  lines.push(r.answer, '');
  lines.push(
    `${r.scenario.name}: ${r.scenario.trials} trials, seed ${r.scenario.seed}; searched ${s.enumerated} configurations, simulated ${s.simulated} on ${s.gpus_simulated} GPU types (same trials for all), ${s.eligible} meet the SLO, pruned ${s.pruned}`,
  );
  lines.push(
    `API ${r.api.label}: ${fmt.formatUsd(r.api.cost_per_month.p50)}/month at ${fmt.formatTokens(r.volume_tokens_per_month.p50)} tokens/month; SLO: ${r.slo.tpot_ms !== null ? `TPOT ${r.slo.tpot_ms} ms` : 'no TPOT target'}, ${r.slo.ttft_ms !== null ? `TTFT ${r.slo.ttft_ms} ms` : 'no TTFT target'}, ${fmt.formatPercent(r.slo.attainment_target)} of hours in ${fmt.formatPercent(r.slo.meets_slo_share)} of trials`,
  );
  if (r.candidates.length > 0) {
    lines.push('');
    const rows: string[][] = [['#', 'candidate', 'GPUs p50/p90', '$/month p50', 'p90', 'P(cheaper)', 'break-even p50', 'viol. h p90', 'SLO']];
    for (const c of r.candidates.slice(0, top)) {
      rows.push([
        String(c.rank),
        c.id + (c.written ? ' *' : ''),
        c.gpus ? `${fmt.formatNumber(c.gpus.p50)}/${fmt.formatNumber(c.gpus.p90)}` : '-',
        c.feasible ? fmt.formatUsd(c.cost_per_month.p50) : 'infeasible',
        c.feasible ? fmt.formatUsd(c.cost_per_month.p90) : '',
        fmt.formatPercent(c.p_cheaper),
        c.breakeven_tokens_per_month ? fmt.formatTokens(c.breakeven_tokens_per_month.p50) : 'never',
        c.feasible ? fmt.formatNumber(c.violation_hours.p90) : '',
        c.eligible ? 'yes' : `no: ${c.why_not ?? ''}`,
      ]);
    }
    lines.push(...table(rows));
    if (r.candidates.some((c) => c.written)) lines.push('* an option written in the workload itself');
    if (r.candidates.length > top) lines.push(`(${r.candidates.length - top} more in the JSON and HTML report; --top ${r.candidates.length} shows all)`);
    lines.push('', `Pareto frontier, median $/month vs TPOT at the chosen batch: ${r.pareto.cost_vs_tpot.join(', ') || '-'}`);
    lines.push(`Pareto frontier, median vs p90 $/month: ${r.pareto.cost_vs_p90.join(', ') || '-'}`);
  }
  if (r.volumes.series.length > 0) {
    lines.push('', `GPUs needed across volumes (p50/p90, ${r.volumes.trials} trials):`);
    const rows: string[][] = [['candidate', ...r.volumes.scales.map((x) => `${x}×`)]];
    for (const se of r.volumes.series) rows.push([se.id, ...se.points.map((p) => (p.gpus ? `${fmt.formatNumber(p.gpus.p50)}/${fmt.formatNumber(p.gpus.p90)}` : '-'))]);
    lines.push(...table(rows));
  }
  lines.push('', 'Pruned (candidates, why):');
  const byStage = new Map<string, { n: number; example: string }>();
  for (const p of r.pruned) {
    const e = byStage.get(p.stage) ?? { n: 0, example: p.reason };
    e.n += p.candidates;
    byStage.set(p.stage, e);
  }
  for (const [stage, e] of [...byStage].sort((a, b) => b[1].n - a[1].n)) lines.push(`  ${String(e.n).padStart(6)}  ${stage}: e.g. ${e.example}`);
  for (const w of r.warnings) lines.push(`warning: ${w}`);
  return lines.join('\n') + '\n';
}
