// One benchmark case in its own process (so peak RSS is this case's alone):
//   node bench/case.js <workload> <trials> <workers> [horizon months]
// Prints one JSON line. Times the simulation only (plan + trials + summaries), not the
// file loading or the report.
import { loadWorkload } from '../dist/config/index.js';
import { simulate } from '../dist/sim/index.js';

const [file, trialsArg, workersArg, monthsArg] = process.argv.slice(2);
const trials = Number(trialsArg);
const workers = Number(workersArg);
const loaded = loadWorkload(file);
if (monthsArg) loaded.workload.horizon_months = Number(monthsArg);
const t0 = process.hrtime.bigint();
const { result } = await simulate(loaded, { trials, workers });
const wall = Number(process.hrtime.bigint() - t0) / 1e9;
const months = result.scenario.horizon_months;
const hours = months * 730;
const usage = process.resourceUsage();
process.stdout.write(
  JSON.stringify({
    trials,
    workers,
    months,
    options: result.options.length + 1,
    hours,
    wall_s: Number(wall.toFixed(3)),
    trial_hours_per_s: Math.round((trials * hours) / wall),
    // maxRSS is in kilobytes; worker threads share the process, so this covers them
    peak_rss_mb: Math.round(usage.maxRSS / 1024),
  }) + '\n',
);
