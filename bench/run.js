// `npm run bench`: the engine on workloads/bench.yaml (one year hourly; fixed, autoscale and
// hybrid fleets plus the API baseline) at 1,000 / 10,000 / 100,000 trials with 1 worker and
// with every core. Prints a table, then as its last line one JSON object with every case.
//   npm run bench -- --million   adds the 1,000,000-trial memory case (several minutes)
//   npm run bench -- --quick     only 1,000 and 10,000 trials
import { execFileSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const workload = `${root}workloads/bench.yaml`;
const cores = availableParallelism();
const args = process.argv.slice(2);
const sizes = args.includes('--quick') ? [1000, 10000] : [1000, 10000, 100000];
if (args.includes('--million')) sizes.push(1000000);
const workerCounts = [...new Set([1, cores])];

const cases = [];
for (const trials of sizes) {
  for (const workers of workerCounts) {
    if (trials >= 1000000 && workers === 1) continue;
    const out = execFileSync(process.execPath, [`${root}bench/case.js`, workload, String(trials), String(workers)], {
      encoding: 'utf8',
      maxBuffer: 1 << 20,
    });
    const c = JSON.parse(out.trim().split('\n').pop());
    cases.push(c);
    process.stderr.write(`.`);
  }
}
process.stderr.write('\n');
const pad = (s, n) => String(s).padStart(n);
console.log(`bench: workloads/bench.yaml, ${cases[0]?.hours ?? '?'} hours/trial, ${cases[0]?.options ?? '?'} options incl. API, ${cores} cores, node ${process.version}`);
console.log(`${pad('trials', 9)} ${pad('workers', 7)} ${pad('wall s', 8)} ${pad('M trial-h/s', 12)} ${pad('peak RSS MB', 11)}`);
for (const c of cases) {
  console.log(`${pad(c.trials, 9)} ${pad(c.workers, 7)} ${pad(c.wall_s.toFixed(2), 8)} ${pad((c.trial_hours_per_s / 1e6).toFixed(1), 12)} ${pad(c.peak_rss_mb, 11)}`);
}
console.log(JSON.stringify({ workload: 'workloads/bench.yaml', cores, cases }));
