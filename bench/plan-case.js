// The `plan` benchmark in its own process (so peak RSS is its alone):
//   node bench/plan-case.js <workload> <trials> <workers>
// Times the whole search (enumerate, prune, simulate every candidate on the same trials,
// rank, volume sweep), not loading or the report. Prints one JSON line.
import { loadWorkload } from '../dist/config/index.js';
import { planWorkload } from '../dist/plan/index.js';

const [file, trialsArg, workersArg] = process.argv.slice(2);
const trials = Number(trialsArg);
const workers = Number(workersArg);
const loaded = loadWorkload(file);
const t0 = process.hrtime.bigint();
const r = await planWorkload(loaded, {}, { trials, workers });
const wall = Number(process.hrtime.bigint() - t0) / 1e9;
const usage = process.resourceUsage();
process.stdout.write(
  JSON.stringify({
    workload: file,
    trials,
    workers,
    hours: r.scenario.horizon_months * 730,
    enumerated: r.search.enumerated,
    simulated: r.search.simulated,
    feasible: r.candidates.filter((c) => c.feasible).length,
    gpu_types: r.search.gpus_simulated,
    eligible: r.search.eligible,
    wall_s: Number(wall.toFixed(3)),
    cpu_s: Number(((usage.userCPUTime + usage.systemCPUTime) / 1e6).toFixed(1)),
    peak_rss_mb: Math.round(usage.maxRSS / 1024),
    best: r.best,
  }) + '\n',
);
