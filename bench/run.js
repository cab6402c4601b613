// `npm run bench`: the engine on workloads/bench.yaml (one year hourly; fixed, autoscale and
// hybrid fleets plus the API baseline) at 1,000 / 10,000 / 100,000 trials with 1 worker and
// with every core, then 2,000 trials at 12 / 60 / 120 months (linear in the horizon, memory
// flat). Each case runs in its own process; cases up to 10,000 trials run `--repeat` times
// (default 5) and report the median, since machines are shared and single runs are noisy.
// Then what a user waits for, each a whole command in its own process (issue 18): the default
// run with its report, the bench scenario at 10,000 trials with its report against a plain
// single-thread loop (bench/yardstick.js) timed in the same run, `--help`, `validate`, and the
// report's rendering (bench/report.js: the wait after the trials, and each chart's cost).
// Prints the tables, the targets met or not, then as its last line one JSON object.
//   npm run bench -- --million   adds the 1,000,000-trial memory case (several minutes)
//   npm run bench -- --quick     only 1,000 and 10,000 trials, no horizon cases
//   npm run bench -- --targets   only the user-facing targets (no engine table)
//   npm run bench -- --repeat 9  more runs per small case
//   npm run bench -- --no-plan   skip the `plan workloads/default.yaml` case (issue 14)
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const workload = `${root}workloads/bench.yaml`;
const cores = availableParallelism();
const args = process.argv.slice(2);
const quick = args.includes('--quick');
const targetsOnly = args.includes('--targets');
const repeatAt = args.indexOf('--repeat');
const repeat = repeatAt >= 0 ? Math.max(1, Number(args[repeatAt + 1]) || 1) : 5;
const sizes = quick ? [1000, 10000] : [1000, 10000, 100000];
if (args.includes('--million')) sizes.push(1000000);
const workerCounts = [...new Set([1, cores])];

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

function runCase(trials, workers, months, runs) {
  const results = [];
  for (let r = 0; r < runs; r++) {
    const argv = [`${root}bench/case.js`, workload, String(trials), String(workers)];
    if (months) argv.push(String(months));
    const out = execFileSync(process.execPath, argv, { encoding: 'utf8', maxBuffer: 1 << 20 });
    results.push(JSON.parse(out.trim().split('\n').pop()));
    process.stderr.write('.');
  }
  const wall = median(results.map((c) => c.wall_s));
  return {
    ...results[0],
    runs,
    wall_s: Number(wall.toFixed(3)),
    cpu_s: Number(median(results.map((c) => c.cpu_s)).toFixed(3)),
    wall_s_min: Math.min(...results.map((c) => c.wall_s)),
    wall_s_max: Math.max(...results.map((c) => c.wall_s)),
    trial_hours_per_s: Math.round((trials * results[0].hours) / wall),
    peak_rss_mb: Math.max(...results.map((c) => c.peak_rss_mb)),
  };
}

const cases = [];
if (!targetsOnly) for (const trials of sizes) {
  for (const workers of workerCounts) {
    if (trials >= 1000000 && workers === 1) continue;
    cases.push(runCase(trials, workers, null, trials <= 10000 ? repeat : 1));
  }
}
const horizon = [];
if (!quick && !targetsOnly) for (const months of [12, 60, 120]) horizon.push(runCase(2000, cores, months, 1));
process.stderr.write('\n');

const pad = (s, n) => String(s).padStart(n);
const row = (c) =>
  `${pad(c.trials, 9)} ${pad(c.workers, 7)} ${pad(c.months, 6)} ${pad(c.wall_s.toFixed(2), 8)} ${pad(c.runs > 1 ? `${c.wall_s_min.toFixed(2)}-${c.wall_s_max.toFixed(2)}` : '', 11)} ${pad(c.cpu_s.toFixed(2), 7)} ${pad((c.trial_hours_per_s / 1e6).toFixed(1), 12)} ${pad(c.peak_rss_mb, 11)}`;
if (cases.length > 0) {
  console.log(`bench: workloads/bench.yaml, ${cases[0].options} options incl. API, ${cores} cores, node ${process.version}; wall s and cpu s (all threads) = medians of the runs`);
  console.log(`${pad('trials', 9)} ${pad('workers', 7)} ${pad('months', 6)} ${pad('wall s', 8)} ${pad('range', 11)} ${pad('cpu s', 7)} ${pad('M trial-h/s', 12)} ${pad('peak RSS MB', 11)}`);
  for (const c of [...cases, ...horizon]) console.log(row(c));
}

// the targets of issue 5, judged on this run
const find = (t, w) => cases.find((c) => c.trials === t && c.workers === w);
const verdict = (ok) => (ok ? 'met' : 'NOT met');
const tenK = find(10000, cores);
if (tenK) console.log(`target: 10,000 trials x 8,760 h x 4 options under 2 s on ${cores} workers: ${tenK.wall_s.toFixed(2)} s median, ${verdict(tenK.wall_s < 2)}`);
const best = Math.max(0, ...cases.map((c) => c.trial_hours_per_s));
if (cases.length > 0) console.log(`target: ~45 M trial-hours/s in aggregate: best ${(best / 1e6).toFixed(1)} M, ${verdict(best >= 45e6)}`);
const million = find(1000000, cores);
if (horizon.length === 3) {
  // marginal time per trial-hour between horizons: equal if run time is linear in the horizon
  // (the fixed start-up cost cancels out)
  const marginal = (x, y) => ((y.wall_s - x.wall_s) / (x.trials * (y.hours - x.hours))) * 1e9;
  console.log(
    `horizon: marginal ${marginal(horizon[0], horizon[1]).toFixed(1)} ns per trial-hour from 12 to 60 months, ${marginal(horizon[1], horizon[2]).toFixed(1)} ns from 60 to 120 (linear if equal); peak RSS ${horizon.map((c) => c.peak_rss_mb).join(' / ')} MB`,
  );
}

// ------------------------------------------------------------ what a user waits for (issue 18)

/** Wall seconds of `node <argv>` (cwd: the repo), `runs` times: median, min, max. */
function timeCommand(argv, runs) {
  const xs = [];
  for (let r = 0; r < runs; r++) {
    const t = process.hrtime.bigint();
    execFileSync(process.execPath, argv, { cwd: root, stdio: 'ignore' });
    xs.push(Number(process.hrtime.bigint() - t) / 1e9);
    process.stderr.write('.');
  }
  return { median: median(xs), min: Math.min(...xs), max: Math.max(...xs), runs };
}
/** Median of a JSON field printed by `node <argv>`, `runs` times. */
function fieldOf(argv, field, runs) {
  const xs = [];
  for (let r = 0; r < runs; r++) {
    const out = execFileSync(process.execPath, argv, { cwd: root, encoding: 'utf8' });
    xs.push(JSON.parse(out.trim().split('\n').pop())[field]);
    process.stderr.write('.');
  }
  return { median: median(xs), min: Math.min(...xs), max: Math.max(...xs), runs };
}

const out = mkdtempSync(join(tmpdir(), 'breakeven-bench-'));
const bin = `${root}bin/breakeven.js`;
const load = loadavg()[0];
const bigRuns = Math.max(1, Math.min(3, repeat));
const user = {
  default_run: timeCommand([bin, '--out', out], repeat),
  bench_10k_with_report: timeCommand([bin, 'simulate', 'workloads/bench.yaml', '--trials', '10000', '--out', out], bigRuns),
  yardstick_10k: fieldOf([`${root}bench/yardstick.js`, '10000'], 'wall_s', bigRuns),
  help: timeCommand([bin, '--help'], repeat),
  validate: timeCommand([bin, 'validate', 'workloads/default.yaml'], repeat),
  report_wait: fieldOf([`${root}bench/report.js`, 'wait'], 'render_wait_s', repeat),
};
const charts = JSON.parse(execFileSync(process.execPath, [`${root}bench/report.js`, 'charts'], { cwd: root, encoding: 'utf8' }).trim().split('\n').pop());
rmSync(out, { recursive: true, force: true });
process.stderr.write('\n');

const ratio = user.yardstick_10k.median / user.bench_10k_with_report.median;
const range = (m) => `${m.median.toFixed(2)} s (${m.min.toFixed(2)}-${m.max.toFixed(2)}, ${m.runs} runs)`;
console.log(`\nwhat a user waits for: ${cores} cores, load average ${load.toFixed(1)} at the start; median (min-max) of the runs`);
console.log(`  breakeven (default scenario, 2,000 trials, report)          ${range(user.default_run)}`);
console.log(`  simulate bench.yaml --trials 10000 (report)                 ${range(user.bench_10k_with_report)}`);
console.log(`  bench/yardstick.js 10000 (plain single-thread loop)         ${range(user.yardstick_10k)}`);
console.log(`  breakeven --help                                            ${range(user.help)}`);
console.log(`  breakeven validate workloads/default.yaml                   ${range(user.validate)}`);
console.log(`  report rendering, default scenario (wait after the trials)  ${range(user.report_wait)}`);
console.log(`\nreport charts, default scenario, in one thread: vega load ${charts.vega_load_s.toFixed(2)} s; all charts ${charts.charts_first_pass_s.toFixed(2)} s first (JIT-cold), ${charts.charts_warm_pass_s.toFixed(2)} s warm`);
console.log(`${pad('chart', 24)} ${pad('rows', 5)} ${pad('first ms', 9)} ${pad('warm ms', 8)} ${pad('compile', 8)}`);
for (const c of charts.per_chart) console.log(`${pad(c.chart, 24)} ${pad(c.rows, 5)} ${pad(c.first_ms, 9)} ${pad(c.warm_ms, 8)} ${pad(c.warm_compile_ms, 8)}`);

console.log('');
console.log(`target: default run with report <= 1.5 s: ${user.default_run.median.toFixed(2)} s median, ${verdict(user.default_run.median <= 1.5)}`);
console.log(`target: 10,000 bench trials with report >= 2.5x the plain loop: ${ratio.toFixed(2)}x (${user.yardstick_10k.median.toFixed(2)} s / ${user.bench_10k_with_report.median.toFixed(2)} s), ${verdict(ratio >= 2.5)}`);
console.log(`target: --help <= 0.3 s: ${user.help.median.toFixed(2)} s median, ${verdict(user.help.median <= 0.3)}`);
console.log(`target: validate of one file <= 0.5 s: ${user.validate.median.toFixed(2)} s median, ${verdict(user.validate.median <= 0.5)}`);
console.log(`target: report rendering <= 0.4 s: ${user.report_wait.median.toFixed(2)} s median, ${verdict(user.report_wait.median <= 0.4)}`);
if (million) console.log(`target: 1,000,000 trials within 2 GiB: ${million.peak_rss_mb} MB peak, ${verdict(million.peak_rss_mb < 2048)}`);
else console.log('target: 1,000,000 trials within 2 GiB: not run (npm run bench -- --million)');
if (load > cores * 0.75) console.log(`note: the machine was busy (load ${load.toFixed(1)} on ${cores} cores); wall times are not the tool's alone`);


// issue 14: `plan workloads/default.yaml` with defaults, 2,000 trials (once: it takes tens of seconds)
let plan = null;
if (!quick && !args.includes('--no-plan')) {
  const out = execFileSync(process.execPath, [`${root}bench/plan-case.js`, `${root}workloads/default.yaml`, '2000', String(cores)], { encoding: 'utf8', maxBuffer: 1 << 20 });
  plan = JSON.parse(out.trim().split('\n').pop());
  console.log(
    `plan: workloads/default.yaml, ${plan.trials} trials x ${plan.hours} h, ${plan.simulated} candidates simulated (${plan.feasible} feasible on ${plan.gpu_types} GPU types) of ${plan.enumerated}: ${plan.wall_s.toFixed(1)} s wall, ${plan.cpu_s} s CPU, ${plan.peak_rss_mb} MB peak`,
  );
  console.log(`target: plan >= 30 feasible candidates on >= 5 GPUs: ${verdict(plan.feasible >= 30 && plan.gpu_types >= 5)}; under 60 s on ${cores} cores: ${verdict(plan.wall_s < 60)}; under 1 GiB: ${verdict(plan.peak_rss_mb < 1024)}`);
}
console.log(JSON.stringify({ workload: 'workloads/bench.yaml', cores, node: process.version, load_average: load, cases, horizon, user, charts, plan }));
