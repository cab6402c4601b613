import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { escapeHtml, formatCount, formatPercent, formatTokenRange, formatTokens, formatUsd, jsonForScript } from '../../src/report/format.js';

describe('formatTokens', () => {
  it('uses K/M/B/T with up to 3 significant digits', () => {
    expect(formatTokens(1.2e8)).toBe('120 M');
    expect(formatTokens(1.2e9)).toBe('1.2 B');
    expect(formatTokens(1.234e9)).toBe('1.23 B');
    expect(formatTokens(950)).toBe('950');
    expect(formatTokens(12_345)).toBe('12.3 K');
    expect(formatTokens(3e12)).toBe('3 T');
    expect(formatTokens(null)).toBe('n/a');
  });
  it('promotes values that round up to the next suffix', () => {
    expect(formatTokens(999_960_000)).toBe('1 B');
  });
});

describe('formatUsd', () => {
  it('shows cents below $100 and suffixes above', () => {
    expect(formatUsd(4.4)).toBe('$4.40');
    expect(formatUsd(950)).toBe('$950');
    expect(formatUsd(12_345)).toBe('$12.3 K');
    expect(formatUsd(1.5e6)).toBe('$1.5 M');
    expect(formatUsd(-2054.8)).toBe('-$2.05 K');
    expect(formatUsd(0)).toBe('$0');
    expect(formatUsd(Number.NaN)).toBe('n/a');
  });
});

describe('formatPercent', () => {
  it('rounds to whole percent in the middle', () => {
    expect(formatPercent(0.83)).toBe('83 %');
    expect(formatPercent(0.7703)).toBe('77 %');
  });
  it('never shows 0 % or 100 % for a share that is not exactly 0 or 1', () => {
    expect(formatPercent(0.9996)).toBe('> 99.9 %');
    expect(formatPercent(0.994)).toBe('99.4 %');
    expect(formatPercent(0.0004)).toBe('< 0.1 %');
    expect(formatPercent(1)).toBe('100 %');
    expect(formatPercent(0)).toBe('0 %');
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1, noNaN: true }), (x) => {
        const s = formatPercent(x);
        if (x > 0 && x < 1) return s !== '0 %' && s !== '100 %';
        return true;
      }),
    );
  });
});

describe('formatCount and formatTokenRange', () => {
  it('formats counts with separators', () => {
    expect(formatCount(2000)).toBe('2,000');
    expect(formatCount(1234567)).toBe('1,234,567');
    expect(formatCount(42)).toBe('42');
  });
  it('shares a suffix when both ends have it', () => {
    expect(formatTokenRange(7e7, 2.6e8)).toBe('70-260 M');
    expect(formatTokenRange(6.8e8, 2.5e9)).toBe('680 M to 2.5 B');
  });
});

describe('escapeHtml', () => {
  it('escapes the five HTML specials', () => {
    expect(escapeHtml(`<img src=x onerror="alert('1')">&`)).toBe('&lt;img src=x onerror=&quot;alert(&#39;1&#39;)&quot;&gt;&amp;');
  });
  it('leaves no raw < > " in any string', () => {
    fc.assert(fc.property(fc.string(), (s) => !/[<>"']/.test(escapeHtml(s))));
  });
});

describe('jsonForScript', () => {
  it('cannot close a script element and round-trips', () => {
    const v = { name: '</script><script>alert(1)</script>', s: '\u2028' };
    const text = jsonForScript(v);
    expect(text).not.toMatch(/<\/script/i);
    expect(JSON.parse(text)).toEqual(v);
  });
});
