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
import { checkOutputFolder, intArg, readUserFile, throwIfStopped, writeFailure, writeOutputsOrStop } from './files.js';
import { MAX_RESULT_BYTES } from './compare.js';
import { safeText } from '../util/terminal.js';
import type { SimulationResult } from '../sim/result.js';
import { DEFAULTS } from '../defaults.js';


interface SimulateFlags {
  from?: string;
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
    .option('--from <result.json>', 're-run the workload and catalog entries embedded in a result JSON (same trials and seed unless given): reproduces it byte for byte')
    .action(async (workload: string | undefined, flags: SimulateFlags) => {
      await simulateCommand(workload, flags, io, program.commands.map((c) => c.name()));
    });
}

async function simulateCommand(workload: string | undefined, flags: SimulateFlags, io: CliIO, commandNames: string[]): Promise<void> {
  const report = await import('../report/index.js');
  // first, so the chart renderer loads vega while the workload loads and the trials run
  const renderer =
    flags.report && io.renderInWorker === true
      ? report.startRenderWorker({ onFallback: (why) => io.err(`note: ${safeText(why)}; the charts are drawn in this process instead\n`) })
      : undefined;
  let helpers: import('../sim/threads.js').TrialHelpers | undefined;
  try {
    const config = await import('../config/index.js');
    let loaded: import('../config/index.js').LoadedWorkload;
    let baseName: string;
    const embeddedRun: { trials?: number; seed?: number } = {};
    if (flags.from !== undefined) {
      if (workload !== undefined) throw new UserError(`give either a workload file or --from, not both (got ${workload} and --from ${flags.from})`);
      const prior = await readPriorResult(io, flags.from);
      loaded = config.loadEmbedded({ workload: prior.scenario.workload, catalog: prior.scenario.catalog, file: prior.scenario.file }, { name: flags.from, cwd: io.cwd });
      baseName = basename(flags.from, extname(flags.from));
      embeddedRun.trials = prior.scenario.trials;
      embeddedRun.seed = prior.scenario.seed;
    } else {
      const file = workload ? resolve(io.cwd, workload) : config.defaultWorkloadPath();
      // `simulate` is the default command, so a mistyped command arrives here as a file name
      if (workload && !existsSync(file) && !/[./\\]/.test(workload)) {
        const near = config.suggestSimilar(workload, commandNames);
        if (near.length > 0) throw new UserError(`unknown command "${workload}". Did you mean ${near.join(' or ')}?`);
      }
      loaded = config.loadWorkload(file, { cwd: io.cwd });
      baseName = basename(file, extname(file));
    }
    const trialsWanted = flags.trials ?? embeddedRun.trials ?? loaded.workload.simulation.trials;
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
      for (const ext of ['.json', '.html', ...(flags.csv ? ['.trials.csv'] : [])]) {
        const target = join(dir, baseName + ext);
        if (isDirectory(target)) throw writeFailure(relative(io.cwd, target) || target, Object.assign(new Error('is a directory'), { code: 'EISDIR' }));
      }
    }
    // a run that will likely use helper threads starts them now, so that they load the trial
    // code while this thread loads the engine and compiles the plan (sim/threads.ts); the engine
    // reads the machine again when it starts, and decides
    const threads = await import('../sim/threads.js');
    const size = threads.workloadSize(trialsWanted, loaded.workload.horizon_months, loaded.options);
    const wanted = threads.chooseWorkers(size, flags.workers ?? 'auto', threads.thisMachine());
    if (wanted > 1) helpers = await threads.startTrialHelpers(wanted - 1);
    const sim = await import('../sim/index.js');
    await runAndWrite(baseName, embeddedRun, loaded, sim, report, renderer, helpers, flags, io);
  } finally {
    await Promise.all([renderer?.close(), helpers?.close()]);
  }
}

async function runAndWrite(
  baseName: string,
  embeddedRun: { trials?: number; seed?: number },
  loaded: import('../config/index.js').LoadedWorkload,
  sim: Pick<typeof import('../sim/index.js'), 'simulate' | 'throughputCurves'>,
  report: typeof import('../report/index.js'),
  renderer: import('../report/index.js').ChartRenderer | undefined,
  helpers: import('../sim/threads.js').TrialHelpers | undefined,
  flags: SimulateFlags,
  io: CliIO,
): Promise<void> {
  const { simulate, throughputCurves } = sim;
  const progress = await makeProgress(io);
  const opts: Parameters<typeof simulate>[1] = {
    workers: flags.workers ?? 'auto',
    helpers,
    signal: io.signal,
    onProgress: progress.update,
  };
  const trialCount = flags.trials ?? embeddedRun.trials;
  const seed = flags.seed ?? embeddedRun.seed;
  if (trialCount !== undefined) opts.trials = trialCount;
  if (seed !== undefined) opts.seed = seed;
  // the chart renderer warms up (draws each chart kind on tiny data, so vega's code is compiled
  // when the real charts come) during the trials only where they leave two cores idle: one
  // for V8's compiler threads, which the trial threads' code needs, one for the renderer.
  // Measured on 2 cores (default scenario, one trial thread, 11 pairs): warming up beside the
  // trials on the one idle core cost 1.12x the CPU and 1.04x the wall time of the whole run
  if (renderer) opts.onThreads = (_threads, spare) => renderer.setWarmUp(spare >= 2);
  // the charts that depend on the plan alone (throughput) are drawn while the trials run: real
  // work instead of a warm-up, and it compiles much of vega's code for the charts after the
  // trials. Measured on 2 cores (default scenario, one trial thread): the wait after the
  // trials 0.43 -> 0.34 s, the whole run 0.96x the wall time (a full warm-up: trials +0.18 s)
  if (renderer) opts.onPlan = (plan) => renderer.prerender(report.throughputCharts(throughputCurves(plan)).map((c) => ({ key: c.key, spec: c.spec })));
  // the charts that the subsample, the median volume and the payback months decide are drawn
  // as soon as the trials are done, by the renderer on one core while this thread summarises
  // the rest on the other (~0.1 s at 10,000 trials, which otherwise came before any drawing)
  if (renderer && flags.report) opts.onTrialsDone = (early) => renderer.prerender(report.earlyCharts(early).map((c) => ({ key: c.key, spec: c.spec })));
  let result: SimulationResult;
  let trials;
  try {
    ({ result, trials } = await simulate(loaded, opts));
  } finally {
    progress.stop();
  }
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
  io.out(summaryTable(result, report));
  for (const f of written) {
    const rel = relative(io.cwd, f);
    io.out(`wrote ${safeText(rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : join(flags.out, basename(f)))}\n`);
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

/** A result JSON to re-run (`--from`): read and checked as `compare` reads its inputs. */
async function readPriorResult(io: CliIO, file: string): Promise<SimulationResult> {
  const { parseResultJson, ResultFileError } = await import('../report/index.js');
  const text = readUserFile(`--from ${safeText(file)}`, resolve(io.cwd, file), MAX_RESULT_BYTES);
  try {
    const r = parseResultJson(text, safeText(file));
    const sc = r.scenario as Partial<SimulationResult['scenario']>;
    if (sc.workload === undefined || sc.catalog === undefined) throw new UserError(`--from ${file}: this result does not embed its workload (written before result schema 2.2); run the workload file instead`);
    return r;
  } catch (err) {
    if (err instanceof ResultFileError) throw new UserError(`--from ${safeText(err.message)}`);
    throw err;
  }
}

type Report = typeof import('../report/index.js');

function verdictWords(v: import('../report/index.js').Verdict): string {
  return v === 'api' ? 'API cheaper' : v === 'slo' ? 'misses the SLO' : v === 'infeasible' ? 'cannot run' : v === 'uncertain' ? 'too close to call' : 'self-hosting cheaper';
}

/**
 * The console summary after a run: the same one-line answer as the report's first screen,
 * then a compact table, one row per option (verdict in words, median $/month, share of
 * trials cheaper — and within the SLO when the result judges it —, GPUs, SLO attainment,
 * median break-even), the API's row, with a deferred batch share the share each option missed,
 * one line per extra baseline (compare_apis) for the option the answer speaks for, and the
 * warnings.
 */
export function summaryTable(r: SimulationResult, report: Report): string {
  const fmt = report.format;
  const h = report;
  const lines: string[] = [];
  lines.push(`${safeText(r.scenario.name, 200)}: ${r.scenario.trials} trials, seed ${r.scenario.seed}, ${r.scenario.horizon_months} months`);
  lines.push(
    `volume ${fmt.formatTokens(r.volume_tokens_per_month.p50)} tokens/month (p10 ${fmt.formatTokens(r.volume_tokens_per_month.p10)}, p90 ${fmt.formatTokens(r.volume_tokens_per_month.p90)}); API ${safeText(r.api.label, 200)}: ${fmt.formatUsd(r.api.cost_per_month.p50)}/month, ${fmt.formatUsd(r.api.cost_per_million_tokens.p50)} per M tokens`,
  );
  lines.push('');
  lines.push(`answer: ${safeText(h.headline(r))}`);
  lines.push('');
  // "cheaper+SLO" counts a trial only when the option is cheaper AND meets the SLO target;
  // "SLO met" is the share of trials meeting it, with the median share of hours served in time
  const target = fmt.formatPercent(r.slo.attainment_target);
  const rows: string[][] = [['option', 'verdict', 'cheaper+SLO', '$/month p50', 'GPUs p50', `SLO ${target} met (hours p50)`, 'break-even p50']];
  for (const o of r.options) {
    if (!o.feasible) {
      rows.push([safeText(o.id, 200), 'cannot run', '', '', '', '', safeText(o.infeasible_reason ?? '')]);
      continue;
    }
    const be = o.breakeven_tokens_per_month;
    const beText = be === null || o.never_breaks_even_share >= 0.5 ? 'never (most trials)' : `${fmt.formatTokens(be.p50)} tokens/month`;
    rows.push([
      safeText(o.id, 200),
      verdictWords(h.verdictOf(o)),
      fmt.formatPercent(o.p_cheaper),
      fmt.formatUsd(o.cost_per_month.p50),
      o.gpus ? fmt.formatNumber(o.gpus.p50) : 'n/a',
      `${fmt.formatPercent(o.p_meets_slo)} (${fmt.formatPercent(o.slo_attainment?.p50)})`,
      beText,
    ]);
  }
  rows.push(['api: ' + safeText(r.api.id, 200), '', '', fmt.formatUsd(r.api.cost_per_month.p50), '', '', '']);
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((row) => (row[c] ?? '').length)));
  for (const row of rows) lines.push(row.map((cell, c) => cell.padEnd(widths[c]!)).join('  ').trimEnd());
  // self_hosted.batch_share: deferred: how much of the deferred share each fleet left to the API
  const dbs = r.deferred_batch_share;
  if (dbs) {
    const missed = r.options.filter((o) => o.feasible && o.deferred_missed_share).map((o) => `${safeText(o.id, 200)} ${fmt.formatPercent(o.deferred_missed_share!.p50)}`);
    lines.push('');
    lines.push(
      `batch share served off-peak: ${fmt.formatPercent(dbs.share.p50)} of calls (p50) wait up to ${fmt.formatNumber(dbs.window_hours)} h for free capacity; missed, to the API at standard prices (p50): ${missed.length > 0 ? missed.join(', ') : 'none'}`,
    );
  }
  // extra baselines (compare_apis): one line each, for the option the answer speaks for
  const pick = h.versusOption(r);
  const compared = r.compare_apis ?? [];
  if (pick !== null && compared.length > 0) {
    lines.push('');
    lines.push(`${safeText(pick.id, 200)} against the other APIs (same trials):`);
    for (const a of compared) lines.push(`  ${safeText(h.versusFacts(r, pick, a))}`);
  }
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
