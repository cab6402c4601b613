import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { expect } from 'vitest';
import { Hardware, Measurements, Models, type Model } from '../../src/config/schema.js';

export const FIXTURES = fileURLToPath(new URL('./fixtures/catalog', import.meta.url));
export const MEASURED = fileURLToPath(new URL('../../hardware/h100-sxm-measured.json', import.meta.url));

/** The H100 fixture profile (tinygemm int4 kernel, plausible efficiency). Frozen. */
export function h100(): Hardware {
  return Object.freeze(Hardware.parse(parse(readFileSync(`${FIXTURES}/hardware/h100-sxm.yaml`, 'utf8'))));
}

export function models(): Record<string, Model> {
  const ms = Models.parse(parse(readFileSync(`${FIXTURES}/workloads/catalog/models.yaml`, 'utf8'))).models;
  return Object.fromEntries(ms.map((m) => [m.id, Object.freeze(m)]));
}

export function measured() {
  return Measurements.parse(JSON.parse(readFileSync(MEASURED, 'utf8')));
}

/** |actual/expected - 1| <= tol */
export function expectRel(actual: number, expected: number, tol: number): void {
  const err = Math.abs(actual / expected - 1);
  if (!(err <= tol)) expect.fail(`expected ${actual} within ${(tol * 100).toFixed(3)} % of ${expected} (off by ${(err * 100).toFixed(3)} %)`);
}
