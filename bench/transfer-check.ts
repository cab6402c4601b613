/**
 * The transfer rule checked on the two GPUs with measurements: predict each GPU's measured
 * kernel steps with the OTHER GPU's fitted efficiency factors (datasheet peaks and bandwidth of
 * its own). This is the error a transferred profile carries (README "How each GPU's throughput
 * is known").
 *
 *   npx tsx bench/transfer-check.ts
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadCatalog, type Measurement } from '../src/config/index.js';
import { pointLabel, predictMs } from '../src/calibration/index.js';

const cat = loadCatalog();
const read = (f: string): Measurement[] => (JSON.parse(readFileSync(fileURLToPath(new URL(`../hardware/${f}`, import.meta.url)), 'utf8')) as { measurements: Measurement[] }).measurements;
const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
for (const [target, source, file] of [
  ['h200', 'h100-sxm', 'h200-measured.json'],
  ['h100-sxm', 'h200', 'h100-sxm-measured.json'],
] as const) {
  const t = cat.hardware.get(target)!.profile;
  const s = cat.hardware.get(source)!.profile;
  const hw = { ...t, efficiency: s.efficiency };
  const errs: number[] = [];
  console.log(`${target} measured, predicted with ${source}'s factors:`);
  for (const m of read(file)) {
    if (m.weights === 'int4') continue; // tinygemm points: the profiles model Marlin
    const p = { measurement: m, model: cat.models.get(m.model)!.model };
    const measured = m.phase === 'decode' ? m.step_ms : m.ms;
    const e = predictMs(hw, p) / measured - 1;
    errs.push(Math.abs(e));
    console.log(`  ${pointLabel(p).padEnd(48)} ${measured.toFixed(3).padStart(8)} ${predictMs(hw, p).toFixed(3).padStart(8)} ${(e * 100).toFixed(1).padStart(6)} %`);
  }
  console.log(`  median |error| ${(median(errs) * 100).toFixed(1)} %, worst ${(Math.max(...errs) * 100).toFixed(1)} % (${errs.length} points)`);
}
