/**
 * The TTFT's parts, simulated against hourly, per cell: the share of arrivals that find the
 * engine full (max sequences or KV) and their mean wait against `slotWait`'s probability and
 * mean; the arrivals that only waited for the token budget (not in the hourly rule); the others
 * that share an arrival's prompt step; the step an arrival lands in. The figures docs/perf.md
 * quotes for the bursty and Poisson cells.
 *
 *   npx tsx bench/request-sim-split.ts [--requests 80000] [--cv 1,2] [--util 0.3,0.5,0.7,0.85] [--cases 8b,70b]
 */
import seedrandom from 'seedrandom';
import { simulateRequests, ttftBreakdown } from '../src/perf/index.js';
import { CASES, setUpCase } from './request-sim-cases.js';

const arg = (name: string, fallback: string): string => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1]! : fallback;
};
const requests = Number(arg('requests', '80000'));
const cvs = arg('cv', '1,2').split(',').map(Number);
const utils = arg('util', '0.3,0.5,0.7,0.85').split(',').map(Number);
const wanted = arg('cases', '8b,70b').split(',');

const pc = (x: number): string => `${(x * 100).toFixed(1)} %`;
const f = (x: number, d = 3): string => x.toFixed(d);
console.log(`${requests} requests per cell (2,000 warm-up), the seed of bench/request-sim.ts; simulated / hourly`);
console.log('| case | arrivals | util | full: share, mean wait s | budget wait: share, mean s (sim only) | others sharing the prompt step | landing step s (E_lb) |');
console.log('|---|---|---|---|---|---|---|');
for (const c of CASES.filter((x) => wanted.includes(x.id))) {
  const { cfg, e, w, cap, label } = setUpCase(c);
  for (const cv of cvs) {
    for (const u of utils) {
      const r = simulateRequests({ cfg, engine: e, inputTokens: c.nIn, outputTokens: c.nOut, ratePerS: cap.requestsPerS * u, arrivalCv: cv, requests, warmup: 2000, random: seedrandom(`${label}-${cv}-${u}`) });
      const h = ttftBreakdown(cfg, e, w, cap, u, cv * cv);
      if (h === null) throw new Error(`${label} saturated at ${u}`);
      console.log(
        `| ${label} | ${cv === 1 ? 'Poisson' : `bursty cv ${cv}`} | ${u * 100} % | ${pc(r.fullShare)}, ${f(r.fullWaitS, 2)} / ${pc(h.slotP)}, ${f(h.slotMeanS, 2)} | ${pc(r.budgetShare)}, ${f(r.budgetWaitS, 2)} | ${f(r.meanStepPrompts - 1, 2)} / ${f(h.others, 2)} | ${f(r.meanLandingStepS, 4)} / ${f(h.stepLbS, 4)} |`,
      );
    }
  }
}
