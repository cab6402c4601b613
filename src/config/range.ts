/**
 * The valid range of a numeric config field and the one rule that checks it (used by plain
 * numbers in the schema and by distributions in make-dist.ts), and the number rule every
 * number passes at the boundary whatever its spelling (YAML or JSON number, numeric string,
 * expression result, distribution parameter or empirical value, trace cell): `checkNumber`.
 */

/**
 * Largest magnitude a number entering the model may have. Beyond it, sums over a horizon of
 * hours and products with prices overflow or lose all precision, so "any finite number" is
 * not enough: 1e308 is finite but 1e308 × 730 hours is Infinity.
 */
export const MAX_ABS_NUMBER = 1e15;

/**
 * The number rule: finite and within ±MAX_ABS_NUMBER. Returns why `v` breaks it (undefined
 * when it does not). O(1).
 * @example checkNumber(1e300) // "number 1e+300 is too large (numbers must be within ±1e+15)"
 */
export function checkNumber(v: number): string | undefined {
  if (!Number.isFinite(v)) return `must be a finite number (got ${String(v)})`;
  if (Math.abs(v) > MAX_ABS_NUMBER) return tooLargeMessage(v);
  return undefined;
}

/** The message for a finite number beyond ±MAX_ABS_NUMBER (one wording for every spelling). */
export function tooLargeMessage(v: number): string {
  return `number ${v} is too large (config numbers must be within ±${MAX_ABS_NUMBER.toExponential()})`;
}
export interface Range {
  readonly min?: number;
  readonly max?: number;
  /** exclusive lower bound (value must be > min) */
  readonly gt?: number;
  readonly int?: boolean;
}

/** "> 0 and <= 1 and a whole number" */
export function rangeRule(r: Range): string {
  const parts: string[] = [];
  if (r.gt !== undefined) parts.push(`> ${r.gt}`);
  if (r.min !== undefined) parts.push(`>= ${r.min}`);
  if (r.max !== undefined) parts.push(`<= ${r.max}`);
  if (r.int) parts.push('a whole number');
  return parts.length > 0 ? parts.join(' and ') : 'any number';
}

/** Why `v` breaks the range (undefined when it does not). */
export function checkRange(v: number, r: Range): string | undefined {
  const notNumber = checkNumber(v);
  if (notNumber) return notNumber;
  const bad =
    (r.gt !== undefined && !(v > r.gt)) ||
    (r.min !== undefined && v < r.min) ||
    (r.max !== undefined && v > r.max) ||
    (r.int === true && !Number.isInteger(v));
  return bad ? `must be ${rangeRule(r)} (got ${v})` : undefined;
}
