/**
 * Build a checked distribution from what a config file wrote and the field's valid range
 * ("make, don't construct": every failure is a message that states the rule).
 *
 * Accepted forms (the schema has already evaluated expressions inside objects; a top-level
 * string arrives raw):
 * - a number → point;
 * - `"low to high"` → a 90 % interval: lognormal when low > 0, else normal (as Squiggle);
 * - any other string → an expression (`"5000 * 1.2"`) → point;
 * - `{type: ..., ...}` → that distribution (see docs/dist.md for the parameters).
 *
 * Range rules: a point, and every value of an empirical list, must satisfy the range.
 * Bounded distributions (uniform, triangular, PERT, beta) must have their support inside it
 * (an endpoint equal to an exclusive bound `gt` is allowed: it has probability zero).
 * Unbounded ones (normal, lognormal, gamma) must have their 5 %–95 % interval inside it.
 * Samples are clamped to [min, max] of the returned spec: the range, ±Infinity where open,
 * and for `gt` the next double above it; for whole-number fields samples are also rounded.
 */
import { fmt, quantile, Z95, type Dist, type DistSpec } from '../distributions/index.js';
import { checkNumber, MAX_ABS_NUMBER, type Range } from './range.js';
import { evaluateNumber, MAX_EXPRESSION_LENGTH, parsePlainNumber } from './expr.js';
import { msg } from './dist-messages.js';

export type { DistSpec } from '../distributions/index.js';

export type DistSpecInput =
  | number
  | string
  | ({ type: string; source?: string | undefined; note?: string | undefined } & Record<string, unknown>);

export type MakeResult = { ok: true; value: DistSpec } | { ok: false; message: string };

type Built = { ok: true; dist: Dist; interval?: readonly [number, number] } | { ok: false; message: string };

const fail = (message: string): { ok: false; message: string } => ({ ok: false, message });

/**
 * Build and check a distribution for a field with valid range `range`. O(1) except
 * empirical (O(n)). Never throws on bad input; returns `{ok: false, message}`.
 * @example makeDist("2.5 to 4", { gt: 0 }) // lognormal with 5 % / 95 % quantiles 2.5 and 4
 */
export function makeDist(input: DistSpecInput, range: Range): MakeResult {
  let built: Built;
  let written: string;
  let source: string | undefined;
  if (typeof input === 'number') {
    written = String(input);
    const bad = checkNumber(input);
    built = bad === undefined ? { ok: true, dist: { type: 'point', value: input } } : fail(msg.number('value', bad));
  } else if (typeof input === 'string') {
    written = input.trim();
    built = fromString(input);
  } else {
    written = writeObject(input);
    source = input.source;
    built = fromObject(input);
  }
  if (!built.ok) return built;
  const bad = checkRange(built, range);
  if (bad) return fail(bad);
  const bounds = clampBounds(range);
  const spec: DistSpec = {
    dist: built.dist,
    min: bounds.min,
    max: bounds.max,
    ...(range.int === true ? { int: true as const } : {}),
    written,
    ...(source !== undefined ? { source } : {}),
  };
  return { ok: true, value: spec };
}

/**
 * The 90 % interval "low to high" as a distribution: lognormal when low > 0 (mu and sigma
 * of ln X from ln low and ln high), else normal. Both ends are the 5 % and 95 % quantiles.
 */
function fromInterval(low: number, high: number): Built {
  if (!(low < high)) return fail(msg.lessThan('low', low, 'high', high));
  const interval = [low, high] as const;
  if (low > 0) {
    const mu = (Math.log(low) + Math.log(high)) / 2;
    const sigma = (Math.log(high) - Math.log(low)) / (2 * Z95);
    return { ok: true, dist: { type: 'lognormal', mu, sigma }, interval };
  }
  return { ok: true, dist: { type: 'normal', mean: (low + high) / 2, sd: (high - low) / (2 * Z95) }, interval };
}

const TO = /\s+to\s+/i;

function fromString(s: string): Built {
  // Cap the length before any regex: `\s+to\s+` backtracks quadratically on long runs of spaces.
  if (s.length > MAX_EXPRESSION_LENGTH) return fail(msg.expr('value', `expression is longer than ${MAX_EXPRESSION_LENGTH} characters`));
  const parts = s.split(TO);
  if (parts.length === 2) {
    const low = toNumber('low', parts[0]);
    if (!low.ok) return low;
    const high = toNumber('high', parts[1]);
    if (!high.ok) return high;
    return fromInterval(low.value, high.value);
  }
  if (parts.length > 2) return fail(msg.intervalSyntax(s.trim()));
  const v = toNumber('value', s);
  return v.ok ? { ok: true, dist: { type: 'point', value: v.value } } : v;
}

type Num = { ok: true; value: number } | { ok: false; message: string };

function toNumber(name: string, v: unknown): Num {
  if (typeof v === 'number') {
    const bad = checkNumber(v);
    return bad === undefined ? { ok: true, value: v } : fail(msg.number(name, bad));
  }
  if (typeof v === 'string') {
    if (v.length > MAX_EXPRESSION_LENGTH) return fail(msg.expr(name, `expression is longer than ${MAX_EXPRESSION_LENGTH} characters`));
    const plain = parsePlainNumber(v);
    if (plain !== undefined) {
      const bad = checkNumber(plain);
      return bad === undefined ? { ok: true, value: plain } : fail(msg.number(name, bad));
    }
    // `_` digit separators inside expressions ("2 * 1_000"): mathjs does not know them.
    const r = evaluateNumber(v.replace(/(\d)_(?=\d)/g, '$1'));
    return r.ok ? r : fail(msg.expr(name, r.message));
  }
  return fail(msg.notFinite(name, v));
}

const PARAMS = {
  point: ['value'],
  uniform: ['min', 'max'],
  normal: ['mean', 'sd', 'low', 'high'],
  lognormal: ['mu', 'sigma', 'low', 'high'],
  triangular: ['min', 'mode', 'max'],
  pert: ['min', 'mode', 'max', 'lambda'],
  beta: ['alpha', 'beta', 'min', 'max'],
  gamma: ['shape', 'scale'],
  empirical: ['values'],
} as const;
type ObjType = keyof typeof PARAMS;
const COMMON = ['type', 'source', 'note'] as const;

function fromObject(o: Readonly<Record<string, unknown>> & { type: string }): Built {
  if (!Object.prototype.hasOwnProperty.call(PARAMS, o.type)) return fail(msg.unknownType(o.type));
  const type = o.type as ObjType;
  const allowed: readonly string[] = [...PARAMS[type], ...COMMON];
  for (const k of Object.keys(o)) {
    if (!allowed.includes(k) && o[k] !== undefined) return fail(msg.unknownKey(type, k, allowed));
  }
  const has = (k: string) => o[k] !== undefined;
  // Read the listed parameters (all required); the first bad one is reported.
  const get = <K extends string>(...keys: K[]): { ok: true; v: Record<K, number> } | { ok: false; message: string } => {
    const v = {} as Record<K, number>;
    for (const k of keys) {
      if (!has(k)) return fail(msg.missing(type, keys.join(', ')));
      const r = toNumber(k, o[k]);
      if (!r.ok) return r;
      v[k] = r.value;
    }
    return { ok: true, v };
  };
  switch (type) {
    case 'point': {
      const r = get('value');
      return r.ok ? { ok: true, dist: { type, value: r.v.value } } : r;
    }
    case 'uniform': {
      const r = get('min', 'max');
      if (!r.ok) return r;
      const { min, max } = r.v;
      if (!(min < max)) return fail(msg.lessThan('min', min, 'max', max));
      return { ok: true, dist: { type, min, max } };
    }
    case 'normal':
    case 'lognormal': {
      const [a, b] = type === 'normal' ? (['mean', 'sd'] as const) : (['mu', 'sigma'] as const);
      const byParams = has(a) || has(b);
      const byInterval = has('low') || has('high');
      if (byParams && byInterval) return fail(msg.eitherOr(type, `${a} and ${b}`, 'low and high'));
      if (byInterval) {
        const r = get('low', 'high');
        if (!r.ok) return r;
        if (type === 'lognormal' && !(r.v.low > 0)) return fail(msg.lognormalLow(r.v.low));
        const built = fromInterval(r.v.low, r.v.high);
        if (!built.ok || type === 'lognormal') return built;
        // normal with low > 0: fromInterval would pick lognormal, so build it here.
        const { low, high } = r.v;
        return { ok: true, dist: { type, mean: (low + high) / 2, sd: (high - low) / (2 * Z95) }, interval: [low, high] };
      }
      if (!byParams) return fail(msg.missing(type, `${a} and ${b}, or low and high (a 90 % interval)`));
      const r = get(a, b);
      if (!r.ok) return r;
      const loc = r.v[a];
      const scale = r.v[b];
      if (!(scale > 0)) return fail(msg.positive(b, scale));
      return type === 'normal'
        ? { ok: true, dist: { type, mean: loc, sd: scale } }
        : { ok: true, dist: { type, mu: loc, sigma: scale } };
    }
    case 'triangular':
    case 'pert': {
      const r = get('min', 'mode', 'max');
      if (!r.ok) return r;
      const { min, mode, max } = r.v;
      if (!(min < max)) return fail(msg.lessThan('min', min, 'max', max));
      if (!(mode >= min && mode <= max)) return fail(msg.modeWithin(mode, min, max));
      if (type === 'triangular') return { ok: true, dist: { type, min, mode, max } };
      let lambda = 4;
      if (has('lambda')) {
        const l = get('lambda');
        if (!l.ok) return l;
        lambda = l.v.lambda;
        if (!(lambda > 0)) return fail(msg.positive('lambda', lambda));
      }
      return { ok: true, dist: { type, min, mode, max, lambda } };
    }
    case 'beta': {
      const r = get('alpha', 'beta');
      if (!r.ok) return r;
      const { alpha, beta } = r.v;
      if (!(alpha > 0)) return fail(msg.positive('alpha', alpha));
      if (!(beta > 0)) return fail(msg.positive('beta', beta));
      let min = 0;
      let max = 1;
      if (has('min')) {
        const m = get('min');
        if (!m.ok) return m;
        min = m.v.min;
      }
      if (has('max')) {
        const m = get('max');
        if (!m.ok) return m;
        max = m.v.max;
      }
      if (!(min < max)) return fail(msg.lessThan('min', min, 'max', max));
      return { ok: true, dist: { type, alpha, beta, min, max } };
    }
    case 'gamma': {
      const r = get('shape', 'scale');
      if (!r.ok) return r;
      const { shape, scale } = r.v;
      if (!(shape > 0)) return fail(msg.positive('shape', shape));
      if (!(scale > 0)) return fail(msg.positive('scale', scale));
      return { ok: true, dist: { type, shape, scale } };
    }
    case 'empirical': {
      const raw = o['values'];
      if (!Array.isArray(raw) || raw.length === 0) return fail(msg.emptyValues());
      const values: number[] = [];
      for (let i = 0; i < raw.length; i++) {
        const r = toNumber(`values[${i}]`, raw[i]);
        if (!r.ok) return r;
        values.push(r.value);
      }
      return { ok: true, dist: { type, values: Object.freeze(values) } };
    }
  }
}

/** Tolerance for comparing computed quantiles with range bounds (floating-point noise). */
function near(a: number, b: number): boolean {
  return Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));
}

function checkRange(b: Built & { ok: true }, r: Range): string | undefined {
  const d = b.dist;
  const pointOk = (v: number) =>
    !((r.gt !== undefined && !(v > r.gt)) || (r.min !== undefined && v < r.min) || (r.max !== undefined && v > r.max) || (r.int === true && !Number.isInteger(v)));
  // Support [lo, hi] within the range; an endpoint equal to `gt` is allowed (probability 0).
  const supportOk = (lo: number, hi: number, tol: boolean) =>
    !(
      (r.gt !== undefined && lo < r.gt && !(tol && near(lo, r.gt))) ||
      (r.min !== undefined && lo < r.min && !(tol && near(lo, r.min))) ||
      (r.max !== undefined && hi > r.max && !(tol && near(hi, r.max)))
    );
  switch (d.type) {
    case 'point':
      return pointOk(d.value) ? undefined : msg.pointRange(d.value, r);
    case 'empirical':
      for (const v of d.values) if (!pointOk(v)) return msg.valueRange(v, r);
      return undefined;
    case 'uniform':
    case 'triangular':
    case 'pert':
    case 'beta':
      return supportOk(d.min, d.max, false) ? undefined : msg.supportRange(`${d.type === 'pert' ? 'PERT' : `a ${d.type}`} from ${d.min} to ${d.max}`, r);
    case 'normal':
    case 'lognormal':
    case 'gamma': {
      const [q05, q95] = b.interval ?? [quantile(d, 0.05), quantile(d, 0.95)];
      // The number rule holds for the bulk of a distribution too: a lognormal with sigma 500
      // has a 95 % quantile of Infinity, which no range bound may call "near".
      const wide = checkNumber(q05) ?? checkNumber(q95);
      if (wide !== undefined) return msg.tooWide(fmt(q05), fmt(q95));
      if (supportOk(q05, q95, b.interval === undefined)) return undefined;
      const what = d.type === 'normal' ? `normal(mean ${fmt(d.mean)}, sd ${fmt(d.sd)})` : d.type === 'lognormal' ? `lognormal(mu ${fmt(d.mu)}, sigma ${fmt(d.sigma)})` : `gamma(shape ${fmt(d.shape)}, scale ${fmt(d.scale)})`;
      return msg.tailRange(b.interval ? 'the distribution' : what, b.interval ? String(q05) : fmt(q05), b.interval ? String(q95) : fmt(q95), r);
    }
  }
}

/** The smallest double greater than x (x finite). */
export function nextUp(x: number): number {
  if (x === 0) return Number.MIN_VALUE;
  const f = new Float64Array([x]);
  const bits = new BigInt64Array(f.buffer);
  bits[0]! += x > 0 ? 1n : -1n;
  return f[0]!;
}

/** Clamp bounds of samples for a field's range; whole-number fields get whole bounds. */
export function clampBounds(r: Range): { min: number; max: number } {
  // Open ends stop at the number rule's bound, so no sample breaks the rule inputs obey.
  let min = r.min ?? -MAX_ABS_NUMBER;
  if (r.gt !== undefined) min = Math.max(min, nextUp(r.gt));
  let max = r.max ?? MAX_ABS_NUMBER;
  if (r.int === true) {
    min = Math.ceil(min);
    max = Math.floor(max);
  }
  return { min, max };
}

const MAX_WRITTEN_VALUES = 8;

function writeValue(v: unknown): string {
  if (Array.isArray(v)) {
    const shown = v.slice(0, MAX_WRITTEN_VALUES).map(writeValue).join(', ');
    return v.length > MAX_WRITTEN_VALUES ? `[${shown}, … (${v.length} values)]` : `[${shown}]`;
  }
  return String(v);
}

/** "{type: pert, min: 1, mode: 2, max: 5}": the object as written, without source and note. */
function writeObject(o: Readonly<Record<string, unknown>>): string {
  const parts: string[] = [];
  for (const [k, v] of Object.entries(o)) {
    if (k === 'source' || k === 'note' || v === undefined) continue;
    parts.push(`${k}: ${writeValue(v)}`);
  }
  return `{${parts.join(', ')}}`;
}
