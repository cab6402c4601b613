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
import { loadCatalog, type KvFormat, type WeightFormat } from '../src/config/index.js';
import { engineCaps, replicaCapacity, simulateRequests, ttftBreakdown } from '../src/perf/index.js';

const arg = (name: string, fallback: string): string => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1]! : fallback;
};
const requests = Number(arg('requests', '80000'));
const cvs = arg('cv', '1,2').split(',').map(Number);
const utils = arg('util', '0.3,0.5,0.7,0.85').split(',').map(Number);
const wanted = arg('cases', '8b,70b').split(',');

const cat = loadCatalog();
const cases: { id: string; gpu: string; model: string; weights: WeightFormat; kv: KvFormat; tp: number; engine: string; nIn: number; nOut: number }[] = [
  { id: '8b', gpu: 'h100-sxm', model: 'llama-3.1-8b', weights: 'fp8', kv: 'bf16', tp: 1, engine: 'vllm', nIn: 1000, nOut: 200 },
  { id: '70b', gpu: 'h200', model: 'llama-3.3-70b', weights: 'fp8', kv: 'fp8', tp: 1, engine: 'trtllm', nIn: 2000, nOut: 500 },
];
const pc = (x: number): string => `${(x * 100).toFixed(1)} %`;
const f = (x: number, d = 3): string => x.toFixed(d);
console.log(`${requests} requests per cell (2,000 warm-up), the seed of bench/request-sim.ts; simulated / hourly`);
console.log('| case | arrivals | util | full: share, mean wait s | budget wait: share, mean s (sim only) | others sharing the prompt step | landing step s (E_lb) |');
console.log('|---|---|---|---|---|---|---|');
for (const c of cases.filter((x) => wanted.includes(x.id))) {
  const hw = cat.hardware.get(c.gpu)!.profile;
  const cfg = { hardware: hw, model: cat.models.get(c.model)!.model, weights: c.weights, kvCache: c.kv, tp: c.tp };
  const e = engineCaps(cat.engines.get(c.engine)!.engine, hw);
  const w = { inputTokens: c.nIn, outputTokens: c.nOut, engineEfficiency: 1 };
  const cap = replicaCapacity(cfg, e, w);
  if (!cap.feasible) throw new Error(cap.reason);
  const label = `${c.model} ${c.weights} ${c.gpu} ${c.engine} ${c.nIn}/${c.nOut}`;
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
