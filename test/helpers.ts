/** Shared test helpers (relative-error assertions, as squiggle's __tests__/helpers). */
import { expect } from 'vitest';

/** Relative error of `actual` against `expected`; uses |expected| (or 1 if it is 0) as scale. */
export function relError(actual: number, expected: number): number {
  if (actual === expected) return 0;
  return Math.abs(actual - expected) / (expected === 0 ? 1 : Math.abs(expected));
}

/**
 * Assert |actual - expected| <= rel · |expected| (absolute when expected is 0), with a
 * message that shows both numbers and the error.
 * @example expectRelClose(quantile(d, 0.05), 2.5, 1e-9)
 */
export function expectRelClose(actual: number, expected: number, rel: number): void {
  const err = relError(actual, expected);
  expect(
    err <= rel,
    `expected ${actual} to be within ${rel} (relative) of ${expected}, relative error ${err}`,
  ).toBe(true);
}

/** Deep-freeze a fixture so a test fails if the code under test mutates it. */
export function deepFreeze<T>(o: T): T {
  if (o !== null && typeof o === 'object' && !Object.isFrozen(o)) {
    Object.freeze(o);
    for (const v of Object.values(o as object)) deepFreeze(v);
  }
  return o;
}
