/**
 * The valid range of a numeric config field and the one rule that checks it (used by plain
 * numbers in the schema and by distributions in make-dist.ts).
 */
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
  if (!Number.isFinite(v)) return 'must be a finite number';
  const bad =
    (r.gt !== undefined && !(v > r.gt)) ||
    (r.min !== undefined && v < r.min) ||
    (r.max !== undefined && v > r.max) ||
    (r.int === true && !Number.isInteger(v));
  return bad ? `must be ${rangeRule(r)} (got ${v})` : undefined;
}
