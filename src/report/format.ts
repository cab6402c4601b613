/**
 * Number and text formatting for reports: tokens ("120 M", "1.2 B"), dollars ("$12.3 K"),
 * shares ("83 %"), and HTML escaping. One module so every page, table and sentence agrees.
 * Pure functions, no locale dependence (reports are byte-identical everywhere).
 */

const SUFFIXES: [number, string][] = [
  [1e12, 'T'],
  [1e9, 'B'],
  [1e6, 'M'],
  [1e3, 'K'],
];

/** `x` to at most `digits` significant digits, trailing zeros dropped ("1.2", "120", "0.05"). */
export function sigText(x: number, digits = 3): string {
  if (!Number.isFinite(x)) return String(x);
  if (x === 0) return '0';
  const s = Number(x.toPrecision(digits));
  // toPrecision may give exponent form for large/small numbers; Number() + toString() avoids
  // it down to 1e-6, enough for every quantity a report shows
  return String(s);
}

/** Scale a number with K/M/B/T suffixes: 1.2e9 → "1.2 B"; below 1000 → "950". */
function suffixed(x: number, digits: number): string {
  const a = Math.abs(x);
  const sign = x < 0 ? '-' : '';
  for (const [scale, suffix] of SUFFIXES) {
    // 999.95e6 rounds to "1000 M"; promote it to "1 B"
    if (a >= scale * 0.9995) return `${sign}${sigText(a / scale, digits)} ${suffix}`;
  }
  return `${sign}${sigText(a, digits)}`;
}

/** Token volume: 1.2e9 → "1.2 B", 1.2e8 → "120 M", 950 → "950". Null → "n/a". */
export function formatTokens(x: number | null | undefined, digits = 3): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return 'n/a';
  return suffixed(x, digits);
}

/**
 * Dollars: 12_345 → "$12.3 K", 4.4 → "$4.40" (cents below $100), -2054 → "-$2.05 K".
 * Null → "n/a".
 */
export function formatUsd(x: number | null | undefined, digits = 3): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return 'n/a';
  const a = Math.abs(x);
  const sign = x < 0 ? '-' : '';
  if (a < 100 && a !== 0) return `${sign}$${a.toFixed(a < 1 ? 3 : 2)}`;
  return `${sign}$${suffixed(a, digits)}`;
}

/**
 * A share in [0, 1] as a percentage: 0.83 → "83 %". Never rounds a share that is not exactly
 * 0 or 1 to "0 %" or "100 %" (0.9996 → "> 99.9 %", 0.0004 → "< 0.1 %"); 0.994 → "99.4 %".
 */
export function formatPercent(x: number | null | undefined): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return 'n/a';
  const p = x * 100;
  if (p === 0 || p === 100) return `${p} %`;
  if (p >= 99.95) return '> 99.9 %';
  if (p < 0.05 && p > 0) return '< 0.1 %';
  if (p > 99 || p < 1) return `${p.toFixed(1)} %`;
  return `${Math.round(p)} %`;
}

/** A plain number to 3 significant digits with suffixes: 2493 → "2.49 K"; 38.5 → "38.5". */
export function formatNumber(x: number | null | undefined, digits = 3): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return 'n/a';
  return suffixed(x, digits);
}

/** A count with thousands separators: 2000 → "2,000" (rounded to an integer). */
export function formatCount(x: number | null | undefined): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return 'n/a';
  const n = Math.round(Math.abs(x));
  return (x < 0 && n !== 0 ? '-' : '') + String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** A tokens-per-month range "70-260 M" when both ends share a suffix, else "700 M to 1.2 B". */
export function formatTokenRange(lo: number, hi: number): string {
  const a = formatTokens(lo, 2);
  const b = formatTokens(hi, 2);
  const sa = a.split(' ');
  const sb = b.split(' ');
  if (sa.length === 2 && sb.length === 2 && sa[1] === sb[1]) return `${sa[0]}-${sb[0]} ${sb[1]}`;
  return `${a} to ${b}`;
}

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escape text for HTML element content and quoted attribute values (& < > " '). */
export function escapeHtml(text: string | number | null | undefined): string {
  if (text === null || text === undefined) return '';
  return String(text).replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);
}

/**
 * JSON for an inline `<script>` block: `<`, `>`, `&`, U+2028/2029 written as \u escapes, so
 * no user string can close the script element or start a comment.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
