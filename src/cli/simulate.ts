/**
 * `breakeven simulate [workload]` (also the default command): load → simulate → write
 * reports/<scenario>.{html,json} (atomically, all or nothing) → print a summary table.
 * Heavy modules (engine, vega) are imported only when the command runs.
 */
import type { Command } from 'commander';
import { basename, extname, isAbsolute, join, relative, resolve } from 'node:path';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import type { CliIO } from './io.js';
import { UserError } from './io.js';
import { checkOutputFolder, intArg, throwIfStopped, writeFailure, writeOutputsOrStop } from './files.js';
import { safeText } from '../util/terminal.js';
import type { SimulationResult } from '../sim/result.js';
import { DEFAULTS } from '../defaults.js';


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
    const trialsWanted = flags.trials ?? loaded.workload.simulation.trials;
    const memoryNeed = trialMemoryBytes(trialsWanted, loaded.options.length);
    if (memoryNeed > TRIAL_MEMORY_BUDGET) {
      throw new UserError(
        `${trialsWanted.toLocaleString('en-US')} trials of ${loaded.options.length} option${loaded.options.length === 1 ? '' : 's'} need about ${(memoryNeed / 2 ** 30).toFixed(1)} GiB of memory for per-trial results (the limit is ${TRIAL_MEMORY_BUDGET / 2 ** 30} GiB); use fewer trials (at most ${maxTrialsFor(loaded.options.length).toLocaleString('en-US')} here) or fewer options`,
      );
    }
    throwIfStopped(io);
    if (flags.report) {
      // fail fast, before a long run, on outputs that cannot be written (checked again at the rename)
      const dir = resolve(io.cwd, flags.out);
      checkOutputFolder(dir, `--out ${flags.out}`);
      const stem = basename(file, extname(file));
      for (const ext of ['.json', '.html', ...(flags.csv ? ['.trials.csv'] : [])]) {
        const target = join(dir, stem + ext);
        if (isDirectory(target)) throw writeFailure(relative(io.cwd, target) || target, Object.assign(new Error('is a directory'), { code: 'EISDIR' }));
      }
    }
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
    throwIfStopped(io);
    const html = await report.renderReport(result, { interactive: flags.interactive === true, ...(renderer ? { renderer } : {}) });
    const shown = (p: string) => {
      const rel = relative(io.cwd, p || outDir);
      return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : p || outDir;
    };
    try {
      mkdirSync(outDir, { recursive: true });
    } catch (err) {
      throw writeFailure(`--out ${flags.out}`, err);
    }
    const files = await writeOutputsOrStop(
      io,
      () => report.stageOutputs(result, { outDir, baseName, html, trials, csv: flags.csv === true }),
      shown,
    );
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
    io.out(`wrote ${safeText(rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : f)}\n`);
  }
}

/**
 * Memory for the per-trial results, bytes: the engine keeps every option's metrics per trial
 * (Float64Arrays) and summarising copies, sorts and ranks them. Measured: 1,000,000 trials of
 * workloads/bench.yaml (3 options) peaked at 701 MB (README, `npm run bench -- --million`),
 * ~234 B per trial and option; 512 B covers workloads with more inputs, with a margin of 2.
 */
const BYTES_PER_TRIAL_OPTION = 512;
/** Fixed part of a run (the process, vega, chunk buffers), bytes. */
const BASE_BYTES = 256 * 2 ** 20;
/** Largest memory a run may plan for its per-trial results: 4 GiB, well under a laptop's RAM. */
export const TRIAL_MEMORY_BUDGET = 4 * 2 ** 30;

/** Estimated peak memory of `trials` trials of `options` options, bytes. O(1). */
export function trialMemoryBytes(trials: number, options: number): number {
  return BASE_BYTES + trials * Math.max(1, options) * BYTES_PER_TRIAL_OPTION;
}

/** Most trials that fit TRIAL_MEMORY_BUDGET for `options` options. */
export function maxTrialsFor(options: number): number {
  return Math.floor((TRIAL_MEMORY_BUDGET - BASE_BYTES) / (Math.max(1, options) * BYTES_PER_TRIAL_OPTION));
}

function isDirectory(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

type Fmt = typeof import('../report/format.js');

/** The short table printed after a run. */
export function summaryTable(r: SimulationResult, fmt: Fmt): string {
  const lines: string[] = [];
  lines.push(`${safeText(r.scenario.name, 200)}: ${r.scenario.trials} trials, seed ${r.scenario.seed}, ${r.scenario.horizon_months} months`);
  lines.push(
    `volume ${fmt.formatTokens(r.volume_tokens_per_month.p50)} tokens/month (p10 ${fmt.formatTokens(r.volume_tokens_per_month.p10)}, p90 ${fmt.formatTokens(r.volume_tokens_per_month.p90)}); API ${safeText(r.api.label, 200)}: ${fmt.formatUsd(r.api.cost_per_month.p50)}/month, ${fmt.formatUsd(r.api.cost_per_million_tokens.p50)} per M tokens`,
  );
  lines.push('');
  // P(cheaper) counts a trial only when the option is cheaper AND meets the SLO target;
  // "SLO met" is the share of trials meeting it, with the median share of hours served in time
  const target = fmt.formatPercent(r.slo.attainment_target);
  const rows: string[][] = [['option', 'P(cheaper)', `SLO ${target} met (hours p50)`, 'GPUs p50', 'break-even tokens/month p10 / p50 / p90', '$/M tokens p50', '$/month p50']];
  for (const o of r.options) {
    if (!o.feasible) {
      rows.push([safeText(o.id, 200), 'infeasible', '', '', safeText(o.infeasible_reason ?? ''), '', '']);
      continue;
    }
    const be = o.breakeven_tokens_per_month;
    const beText = be
      ? `${fmt.formatTokens(be.p10)} / ${fmt.formatTokens(be.p50)} / ${fmt.formatTokens(be.p90)}${o.never_breaks_even_share > 0 ? ` (never in ${fmt.formatPercent(o.never_breaks_even_share)})` : ''}`
      : 'never';
    const slo = `${fmt.formatPercent(o.p_meets_slo)} (${fmt.formatPercent(o.slo_attainment?.p50)})`;
    const gpus = o.gpus ? fmt.formatNumber(o.gpus.p50) : 'n/a';
    rows.push([safeText(o.id, 200), fmt.formatPercent(o.p_cheaper), slo, gpus, beText, fmt.formatUsd(o.cost_per_million_tokens.p50), fmt.formatUsd(o.cost_per_month.p50)]);
  }
  rows.push(['api: ' + safeText(r.api.id, 200), '', '', '', '', fmt.formatUsd(r.api.cost_per_million_tokens.p50), fmt.formatUsd(r.api.cost_per_month.p50)]);
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((row) => (row[c] ?? '').length)));
  for (const row of rows) lines.push(row.map((cell, c) => cell.padEnd(widths[c]!)).join('  ').trimEnd());
  for (const w of r.warnings) lines.push(`warning: ${safeText(w)}`);
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
