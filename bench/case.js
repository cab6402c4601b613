// One benchmark case in its own process (so peak RSS is this case's alone):
//   node bench/case.js <workload> <trials> <workers|auto> [horizon months]
// Prints one JSON line. Times the simulation only (plan + trials + summaries), not the
// file loading or the report: wall seconds, and the CPU seconds of the process over the same
// span (every thread's, helpers included), which a busy machine stretches far less than
// the wall time. `auto` lets the engine choose the thread count, as the CLI does; the line
// says which it chose.
import { loadWorkload } from '../dist/config/index.js';
import { simulate } from '../dist/sim/index.js';
import { chooseWorkers } from '../dist/sim/engine.js';
import { compilePlan } from '../dist/sim/plan.js';

const [file, trialsArg, workersArg, monthsArg] = process.argv.slice(2);
const trials = Number(trialsArg);
const workers = workersArg === 'auto' ? 'auto' : Number(workersArg);
const loaded = loadWorkload(file);
if (monthsArg) loaded.workload.horizon_months = Number(monthsArg);
const threads = chooseWorkers(compilePlan(loaded, { trials }), workers);
const c0 = process.cpuUsage();
const t0 = process.hrtime.bigint();
const { result } = await simulate(loaded, { trials, workers });
const wall = Number(process.hrtime.bigint() - t0) / 1e9;
const cpu = process.cpuUsage(c0);
const months = result.scenario.horizon_months;
const hours = months * 730;
const usage = process.resourceUsage();
process.stdout.write(
  JSON.stringify({
    trials,
    workers,
    threads,
    months,
    options: result.options.length + 1,
    hours,
    wall_s: Number(wall.toFixed(3)),
    cpu_s: Number(((cpu.user + cpu.system) / 1e6).toFixed(3)),
    trial_hours_per_s: Math.round((trials * hours) / wall),
    // maxRSS is in kilobytes; worker threads share the process, so this covers them
    peak_rss_mb: Math.round(usage.maxRSS / 1024),
  }) + '\n',
);
