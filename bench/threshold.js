// Measures what DEFAULTS.parallelMinWork (src/defaults.ts) is set from, on this machine: the
// wall time of workloads/default.yaml's trials (bench/case.js: plan, trials and summaries, each
// run its own process) on one thread and on two, at several sizes, interleaved 1, 2, 1, 2, ...
// so a drift in the machine's speed hits both alike. A second thread pays where the two-thread
// median is below the one-thread median; the threshold goes between the largest size where it
// does not and the smallest where it does. Run it on a quiet machine: on a busy one a second
// thread never pays (the engine's `auto` sees that load and stays on one anyway).
//   npm run build && node bench/threshold.js [runs per case, default 5]
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { loadavg } from 'node:os';

const runs = Number(process.argv[2] ?? 5);
const caseJs = fileURLToPath(new URL('./case.js', import.meta.url));
const workload = fileURLToPath(new URL('../workloads/default.yaml', import.meta.url));
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const sizes = [1000, 2000, 4000, 8000];
const WORK_PER_TRIAL = 8760 * 5; // hours × (4 options + the API)

console.log(`load average at the start: ${loadavg()[0].toFixed(2)}; ${runs} interleaved runs per case`);
console.log('trials  work (M)  1 thread wall s  2 threads wall s  2/1 wall  2/1 CPU');
let below = 0;
let above = Infinity;
for (const trials of sizes) {
  const wall = { 1: [], 2: [] };
  const cpu = { 1: [], 2: [] };
  for (let r = 0; r < runs; r++) {
    for (const w of [1, 2]) {
      const line = JSON.parse(execFileSync(process.execPath, [caseJs, workload, String(trials), String(w)], { encoding: 'utf8' }));
      wall[w].push(line.wall_s);
      cpu[w].push(line.cpu_s);
    }
  }
  const w1 = median(wall[1]);
  const w2 = median(wall[2]);
  const work = (trials * WORK_PER_TRIAL) / 1e6;
  console.log(
    `${String(trials).padStart(6)}  ${work.toFixed(0).padStart(8)}  ${w1.toFixed(3).padStart(15)}  ${w2.toFixed(3).padStart(16)}  ${(w2 / w1).toFixed(2).padStart(8)}  ${(median(cpu[2]) / median(cpu[1])).toFixed(2).padStart(7)}`,
  );
  if (w2 < w1) above = Math.min(above, work);
  else below = Math.max(below, work);
}
console.log(
  above === Infinity
    ? `a second thread did not pay at any size up to ${((sizes.at(-1) * WORK_PER_TRIAL) / 1e6).toFixed(0)} M: was the machine busy?`
    : `a second thread pays from between ${below.toFixed(0)} M and ${above.toFixed(0)} M work`,
);
