/**
 * Hourly steady-state capacity and M/G/c TTFT estimate against the request-level simulation
 * of the same engine (src/perf/request-sim.ts), at utilisations 30-95 %, Poisson and bursty
 * arrivals. Prints the table docs/perf.md publishes.
 *
 *   npx tsx bench/request-sim.ts
 */
import seedrandom from 'seedrandom';
import { simulateRequests, ttftAt } from '../src/perf/index.js';
import { CASES, setUpCase } from './request-sim-cases.js';

const pct = (x: number): string => (Number.isFinite(x) ? `${x >= 0 ? '+' : ''}${(x * 100).toFixed(0)} %` : 'saturated');
const sec = (x: number): string => (Number.isFinite(x) ? x.toFixed(3) : '∞');
console.log('| case | arrivals | util | request-level out tok/s | hourly | request-level TTFT p50 / p90 (s) | hourly TTFT p50 / p90 (s) | p50 error | p90 error |');
console.log('|---|---|---|---|---|---|---|---|---|');
for (const c of CASES) {
  const { cfg, e, cap, label } = setUpCase(c);
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
