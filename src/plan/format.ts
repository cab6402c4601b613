/**
 * Plain-text number formatting for the plan's answer sentence (the report layer has its own,
 * richer formatters; this layer sits below it). Three significant digits, K/M/B suffixes.
 */
function sig3(x: number): string {
  return Number(x.toPrecision(3)).toString();
}

/** "$8.4 K", "$950", "$1.2 M". */
export function formatUsd(x: number): string {
  const a = Math.abs(x);
  const sign = x < 0 ? '-' : '';
  if (a >= 1e6) return `${sign}$${sig3(a / 1e6)} M`;
  if (a >= 1e3) return `${sign}$${sig3(a / 1e3)} K`;
  return `${sign}$${sig3(a)}`;
}

/** "2.1 B", "350 M", "12 K". */
export function formatTokens(x: number): string {
  if (x >= 1e12) return `${sig3(x / 1e12)} T`;
  if (x >= 1e9) return `${sig3(x / 1e9)} B`;
  if (x >= 1e6) return `${sig3(x / 1e6)} M`;
  if (x >= 1e3) return `${sig3(x / 1e3)} K`;
  return sig3(x);
}

/** "87 %", "<1 %", ">99 %". */
export function formatPercent(p: number): string {
  if (p > 0 && p < 0.01) return '<1 %';
  if (p < 1 && p > 0.99) return '>99 %';
  return `${Math.round(p * 100)} %`;
}

/** A GPU count: whole numbers as such, else 3 significant digits. */
export function formatCount(x: number): string {
  return Number.isInteger(x) ? String(x) : sig3(x);
}
