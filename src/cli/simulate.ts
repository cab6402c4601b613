/**
 * `breakeven simulate [workload]` (also the default command): load → simulate → write
 * reports/<scenario>.{html,json} (atomically, all or nothing) → print a summary table.
 * Heavy modules (engine, vega) are imported only when the command runs.
 */
import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import { basename, extname, isAbsolute, relative, resolve } from 'node:path';
import { existsSync } from 'node:fs';
import type { CliIO } from './io.js';
import { UserError } from './io.js';
import type { SimulationResult } from '../sim/result.js';
import { DEFAULTS } from '../defaults.js';

export function intArg(name: string, min: number, max: number) {
  return (v: string): number => {
    const n = Number(v);
    if (!/^\s*\d+\s*$/.test(v) || !Number.isSafeInteger(n) || n < min || n > max) {
      throw new InvalidArgumentError(`${name} must be a whole number from ${min} to ${max}`);
    }
    return n;
  };
}

interface SimulateFlags {
  trials?: number;
  seed?: number;
  out: string;
  json?: boolean;
  csv?: boolean;
  interactive?: boolean;
  workers?: number;
  report: boolean;
}

export function registerSimulate(program: Command, io: CliIO): void {
  program
    .command('simulate [workload]', { isDefault: true })
    .description('run a scenario (default: the bundled workloads/default.yaml) and write its HTML and JSON report')
    .option('-n, --trials <n>', 'Monte Carlo trials (default: the workload\'s simulation.trials)', intArg('--trials', 1, 10_000_000))
    .option('-s, --seed <s>', 'random seed (default: the workload\'s simulation.seed)', intArg('--seed', 0, 2 ** 32 - 1))
    .option('-o, --out <dir>', 'directory for the report files', DEFAULTS.reportsDir)
    .option('--json', 'print the result JSON to stdout (files are still written unless --no-report)')
    .option('--csv', 'also write <scenario>.trials.csv: one row per trial and option')
    .option('--interactive', 'inline the vega runtime in the HTML for tooltips and zoom (still offline)')
    .option('-w, --workers <n>', 'threads that run trials (default: chosen from the work and the idle cores; the result is the same for any count)', intArg('--workers', 1, 256))
    .option('--no-report', 'do not write files, only print')
    .action(async (workload: string | undefined, flags: SimulateFlags) => {
      await simulateCommand(workload, flags, io, program.commands.map((c) => c.name()));
    });
}

async function simulateCommand(workload: string | undefined, flags: SimulateFlags, io: CliIO, commandNames: string[]): Promise<void> {
  const report = await import('../report/index.js');
  // first, so the chart renderer loads vega while the workload loads and the trials run
  const renderer = flags.report && io.renderInWorker === true ? report.startRenderWorker() : undefined;
  try {
    const config = await import('../config/index.js');
    const file = workload ? resolve(io.cwd, workload) : config.defaultWorkloadPath();
    // `simulate` is the default command, so a mistyped command arrives here as a file name
    if (workload && !existsSync(file) && !/[./\\]/.test(workload)) {
      const near = config.suggestSimilar(workload, commandNames);
      if (near.length > 0) throw new UserError(`unknown command "${workload}". Did you mean ${near.join(' or ')}?`);
    }
    const loaded = config.loadWorkload(file);
    const { simulate } = await import('../sim/index.js');
    await runAndWrite(file, loaded, simulate, report, renderer, flags, io);
  } finally {
    await renderer?.close();
  }
}

async function runAndWrite(
  file: string,
  loaded: import('../config/index.js').LoadedWorkload,
  simulate: typeof import('../sim/index.js').simulate,
  report: typeof import('../report/index.js'),
  renderer: import('../report/index.js').ChartRenderer | undefined,
  flags: SimulateFlags,
  io: CliIO,
): Promise<void> {
  const progress = await makeProgress(io);
  const opts: Parameters<typeof simulate>[1] = {
    workers: flags.workers ?? 'auto',
    signal: io.signal,
    onProgress: progress.update,
  };
  if (flags.trials !== undefined) opts.trials = flags.trials;
  if (flags.seed !== undefined) opts.seed = flags.seed;
  let result: SimulationResult;
  let trials;
  try {
    ({ result, trials } = await simulate(loaded, opts));
  } finally {
    progress.stop();
  }
  const baseName = basename(file, extname(file));
  const outDir = resolve(io.cwd, flags.out);
  const written: string[] = [];
  if (flags.report) {
    const html = await report.renderReport(result, { interactive: flags.interactive === true, ...(renderer ? { renderer } : {}) });
    if (io.signal?.aborted) throw new UserError('stopped by the user; nothing was written', 130);
    const files = report.writeOutputs(result, {
      outDir,
      baseName,
      html,
      trials,
      csv: flags.csv === true,
    });
    written.push(...files);
  } else if (flags.csv) {
    throw new UserError('--csv writes a file; it cannot be combined with --no-report');
  }
  if (flags.json) {
    io.out(report.resultJson(result));
    return;
  }
  io.out(summaryTable(result, report.format));
  for (const f of written) {
    const rel = relative(io.cwd, f);
    io.out(`wrote ${rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : f}\n`);
  }
}

type Fmt = typeof import('../report/format.js');

/** The short table printed after a run. */
export function summaryTable(r: SimulationResult, fmt: Fmt): string {
  const lines: string[] = [];
  lines.push(`${r.scenario.name}: ${r.scenario.trials} trials, seed ${r.scenario.seed}, ${r.scenario.horizon_months} months`);
  lines.push(
    `volume ${fmt.formatTokens(r.volume_tokens_per_month.p50)} tokens/month (p10 ${fmt.formatTokens(r.volume_tokens_per_month.p10)}, p90 ${fmt.formatTokens(r.volume_tokens_per_month.p90)}); API ${r.api.label}: ${fmt.formatUsd(r.api.cost_per_month.p50)}/month, ${fmt.formatUsd(r.api.cost_per_million_tokens.p50)} per M tokens`,
  );
  lines.push('');
  // P(cheaper) counts a trial only when the option is cheaper AND meets the SLO target;
  // "SLO met" is the share of trials meeting it, with the median share of hours served in time
  const target = fmt.formatPercent(r.slo.attainment_target);
  const rows: string[][] = [['option', 'P(cheaper)', `SLO ${target} met (hours p50)`, 'GPUs p50', 'break-even tokens/month p10 / p50 / p90', '$/M tokens p50', '$/month p50']];
  for (const o of r.options) {
    if (!o.feasible) {
      rows.push([o.id, 'infeasible', '', '', o.infeasible_reason ?? '', '', '']);
      continue;
    }
    const be = o.breakeven_tokens_per_month;
    const beText = be
      ? `${fmt.formatTokens(be.p10)} / ${fmt.formatTokens(be.p50)} / ${fmt.formatTokens(be.p90)}${o.never_breaks_even_share > 0 ? ` (never in ${fmt.formatPercent(o.never_breaks_even_share)})` : ''}`
      : 'never';
    const slo = `${fmt.formatPercent(o.p_meets_slo)} (${fmt.formatPercent(o.slo_attainment?.p50)})`;
    const gpus = o.gpus ? fmt.formatNumber(o.gpus.p50) : 'n/a';
    rows.push([o.id, fmt.formatPercent(o.p_cheaper), slo, gpus, beText, fmt.formatUsd(o.cost_per_million_tokens.p50), fmt.formatUsd(o.cost_per_month.p50)]);
  }
  rows.push(['api: ' + r.api.id, '', '', '', '', fmt.formatUsd(r.api.cost_per_million_tokens.p50), fmt.formatUsd(r.api.cost_per_month.p50)]);
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((row) => (row[c] ?? '').length)));
  for (const row of rows) lines.push(row.map((cell, c) => cell.padEnd(widths[c]!)).join('  ').trimEnd());
  for (const w of r.warnings) lines.push(`warning: ${w}`);
  return lines.join('\n') + '\n';
}

/** Progress bar on stderr, only when it is a terminal and the run takes over a second. */
export async function makeProgress(io: CliIO): Promise<{ update: (done: number, total: number) => void; stop: () => void }> {
  if (!io.stderrIsTTY) return { update: () => {}, stop: () => {} };
  const { SingleBar } = await import('cli-progress');
  const started = Date.now();
  let bar: InstanceType<typeof SingleBar> | null = null;
  return {
    update(done, total) {
      if (!bar && Date.now() - started > 1000 && done < total) {
        bar = new SingleBar(
          { format: 'trials {bar} {percentage}% | {value}/{total} | {rate} trials/s | {left} left', stream: process.stderr, hideCursor: true, clearOnComplete: true },
        );
        bar.start(total, done, { rate: '-', left: '-' });
      }
      if (bar) {
        const perS = done / ((Date.now() - started) / 1000);
        const left = perS > 0 ? Math.ceil((total - done) / perS) : NaN;
        const eta = Number.isFinite(left) ? (left >= 60 ? `${Math.floor(left / 60)}m${String(left % 60).padStart(2, '0')}s` : `${left}s`) : '-';
        bar.update(done, { rate: Math.round(perS), left: eta });
      }
    },
    stop() {
      bar?.stop();
    },
  };
}
