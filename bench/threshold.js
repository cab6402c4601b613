// Measures what DEFAULTS.parallelMinWork (src/defaults.ts) is derived from, on this machine:
// a helper thread's start-up (new Worker → result of its first 20 trials) and one thread's
// rate in work units (trial-hours × (options + API)) per second, on workloads/default.yaml.
// A helper pays off once one thread would take longer than the helper's start-up.
//   npm run build && node bench/threshold.js
import { Worker } from 'node:worker_threads';
import { loadWorkload } from '../dist/config/index.js';
import { compilePlan } from '../dist/sim/index.js';
import { planWork, runChunk } from '../dist/sim/engine.js';
import { TrialRunner } from '../dist/sim/trial.js';

const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const plan = compilePlan(loadWorkload(new URL('../workloads/default.yaml', import.meta.url).pathname), {});
const starts = [];
for (let k = 0; k < 5; k++) {
  const t = performance.now();
  // the worker protocol (engine.ts runPool): it claims chunks from a shared counter; one chunk of 20 trials
  const claim = new Int32Array(new SharedArrayBuffer(4));
  const w = new Worker(new URL('../dist/sim/worker.js', import.meta.url), { workerData: { plan, ranges: [[0, 20]], claim } });
  await new Promise((r) => w.on('message', r));
  starts.push((performance.now() - t) / 1000);
  await w.terminate();
}
const runner = new TrialRunner(plan);
runChunk(runner, plan, 0, 20);
const t = performance.now();
runChunk(runner, plan, 20, 220);
const perTrial = (performance.now() - t) / 1000 / 200;
const rate = (planWork(plan) / plan.trials) / perTrial;
const s = median(starts);
console.log(`helper start-up (median of 5): ${s.toFixed(3)} s; one thread: ${(rate / 1e6).toFixed(1)} M work/s`);
console.log(`a helper pays off from ~${((s * rate) / 1e6).toFixed(1)} M work; the default scenario is ${(planWork(plan) / 1e6).toFixed(0)} M`);
