/**
 * Hourly steady-state capacity and M/G/c TTFT estimate against the request-level simulation
 * of the same engine (src/perf/request-sim.ts), at utilisations 30-95 %, Poisson and bursty
 * arrivals. Prints the table docs/perf.md publishes.
 *
 *   npx tsx bench/request-sim.ts
 */
import seedrandom from 'seedrandom';
import { loadCatalog, type KvFormat, type WeightFormat } from '../src/config/index.js';
import { engineCaps, replicaCapacity, simulateRequests, ttftAt } from '../src/perf/index.js';

const cat = loadCatalog();
const cases: { gpu: string; model: string; weights: WeightFormat; kv: KvFormat; tp: number; engine: string; nIn: number; nOut: number }[] = [
  { gpu: 'h100-sxm', model: 'llama-3.1-8b', weights: 'fp8', kv: 'bf16', tp: 1, engine: 'vllm', nIn: 1000, nOut: 200 },
  { gpu: 'h200', model: 'llama-3.3-70b', weights: 'fp8', kv: 'fp8', tp: 1, engine: 'trtllm', nIn: 2000, nOut: 500 },
];
const pct = (x: number): string => (Number.isFinite(x) ? `${x >= 0 ? '+' : ''}${(x * 100).toFixed(0)} %` : 'saturated');
const sec = (x: number): string => (Number.isFinite(x) ? x.toFixed(3) : '∞');
console.log('| case | arrivals | util | request-level out tok/s | hourly | request-level TTFT p50 / p90 (s) | hourly TTFT p50 / p90 (s) | p50 error | p90 error |');
console.log('|---|---|---|---|---|---|---|---|---|');
for (const c of cases) {
  const hw = cat.hardware.get(c.gpu)!.profile;
  const cfg = { hardware: hw, model: cat.models.get(c.model)!.model, weights: c.weights, kvCache: c.kv, tp: c.tp };
  const e = engineCaps(cat.engines.get(c.engine)!.engine, hw);
  const cap = replicaCapacity(cfg, e, { inputTokens: c.nIn, outputTokens: c.nOut, engineEfficiency: 1 });
  if (!cap.feasible) throw new Error(cap.reason);
  const label = `${c.model} ${c.weights} ${c.gpu} ${c.engine} ${c.nIn}/${c.nOut}`;
  // saturation: throughput the simulation reaches with a queue that never empties
  const sat = simulateRequests({ cfg, engine: e, inputTokens: c.nIn, outputTokens: c.nOut, ratePerS: cap.requestsPerS * 1.5, arrivalCv: 1, requests: 6000, warmup: 2000, random: seedrandom('sat') });
  console.log(`| ${label} | saturated | - | ${Math.round(sat.outputTokensPerS)} | ${Math.round(cap.outputTokensPerS)} (${pct(cap.outputTokensPerS / sat.outputTokensPerS - 1)}) | - | - | - | - |`);
  for (const cv of [1, 2]) {
    for (const u of [0.3, 0.5, 0.7, 0.85, 0.95]) {
      const r = simulateRequests({ cfg, engine: e, inputTokens: c.nIn, outputTokens: c.nOut, ratePerS: cap.requestsPerS * u, arrivalCv: cv, requests: 80000, warmup: 2000, random: seedrandom(`${label}-${cv}-${u}`) });
      const h = ttftAt(cfg, e, { inputTokens: c.nIn, outputTokens: c.nOut, engineEfficiency: 1 }, cap, u, cv * cv);
      console.log(
        `| ${label} | ${cv === 1 ? 'Poisson' : `bursty cv ${cv}`} | ${u * 100} % | ${Math.round(r.outputTokensPerS)} | ${Math.round(cap.outputTokensPerS * u)} | ${r.ttftP50S.toFixed(3)} / ${r.ttftP90S.toFixed(3)} | ${sec(h.p50S)} / ${sec(h.p90S)} | ${pct(h.p50S / r.ttftP50S - 1)} | ${pct(h.p90S / r.ttftP90S - 1)} |`,
      );
    }
  }
}
