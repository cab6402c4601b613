/**
 * Every message `makeDist` can return, in one place (tests assert them; wording changes are
 * deliberate). Each states the rule that was broken.
 */
import { MAX_ABS_NUMBER, rangeRule, type Range } from './range.js';

export const msg = {
  notFinite: (name: string, v: unknown) => `${name} must be a finite number (got ${String(v)})`,
  /** a parameter that breaks the number rule (finite, within ±1e15): `checkNumber`'s reason */
  number: (name: string, why: string) => (why.startsWith('number ') ? (name === 'value' ? why : `${name}: ${why}`) : `${name} ${why}`),
  tooWide: (q05: string, q95: string) =>
    `the 90 % interval of the distribution (${q05} to ${q95}) must be finite and within ±${MAX_ABS_NUMBER.toExponential()} (the number rule)`,
  /** the whole value is the expression: its message alone; a parameter names itself */
  expr: (name: string, m: string) => (name === 'value' ? m : `${name}: ${m}`),
  intervalSyntax: (s: string) => `"${s}" is not a number, an expression or an interval "low to high"`,
  lessThan: (lo: string, a: number, hi: string, b: number) => `${lo} (${a}) must be less than ${hi} (${b})`,
  positive: (name: string, v: number) => `${name} must be > 0 (got ${v})`,
  modeWithin: (mode: number, min: number, max: number) => `mode (${mode}) must be within [min, max] = [${min}, ${max}]`,
  missing: (type: string, need: string) => `a ${type} distribution needs ${need}`,
  eitherOr: (type: string, a: string, b: string) => `a ${type} distribution takes either ${a}, or ${b} (a 90 % interval), not both`,
  unknownType: (t: string) =>
    `unknown distribution type "${t}" (expected point, uniform, normal, lognormal, triangular, pert, beta, gamma or empirical)`,
  unknownKey: (type: string, key: string, allowed: readonly string[]) =>
    `unknown key "${key}" for a ${type} distribution (allowed: ${allowed.join(', ')})`,
  emptyValues: () => 'an empirical distribution needs a non-empty list of values',
  lognormalLow: (low: number) =>
    `low must be > 0 for a lognormal (got ${low}); use a normal for an interval that reaches 0 or below`,
  pointRange: (v: number, r: Range) => `must be ${rangeRule(r)} (got ${v})`,
  supportRange: (what: string, r: Range) => `${what} must lie within the field's range (${rangeRule(r)})`,
  valueRange: (v: number, r: Range) => `every value must be ${rangeRule(r)} (got ${v})`,
  tailRange: (what: string, q05: string, q95: string, r: Range) =>
    `the 90 % interval of ${what} (${q05} to ${q95}) must lie within the field's range (${rangeRule(r)}); ` +
    'samples are clamped to the range, but the bulk of the distribution must be inside it',
} as const;
