import { readFileSync } from 'node:fs';
import { describe as group, expect, it } from 'vitest';
import { NORMAL_CELLS, decodeNormalTable, fastNormal } from '../../src/traffic/path.js';
import { NORMAL_TABLE_BASE64 } from '../../src/traffic/normal-table.js';
import { NORMAL_TABLE_SOURCE, computeNormalTable, normalTableSource } from '../../src/traffic/write-normal-table.js';
import { probit } from '../../src/distributions/index.js';

group('the normal table of the demand path', () => {
  it('is exactly probit at the cell midpoints, bit for bit (regenerate with `npm run tables`)', () => {
    const committed = decodeNormalTable(NORMAL_TABLE_BASE64);
    const computed = computeNormalTable();
    expect(committed.length).toBe(NORMAL_CELLS);
    let differ = 0;
    for (let i = 0; i < NORMAL_CELLS; i++) if (!Object.is(committed[i], computed[i])) differ++;
    expect(differ).toBe(0);
    expect(readFileSync(NORMAL_TABLE_SOURCE, 'utf8')).toBe(normalTableSource(computed));
  });

  it('interpolates between the midpoints: a uniform at a midpoint gives probit there', () => {
    const at = (u: number) => fastNormal({ next: () => u });
    expect(at(0.5 / NORMAL_CELLS + 100 / NORMAL_CELLS)).toBe(probit(100.5 / NORMAL_CELLS));
    expect(at(0.5)).toBeCloseTo(0, 12);
    // the outer cells use the exact probit
    expect(at(1e-6)).toBe(probit(1e-6));
  });

  it('refuses a table of the wrong size with the command that regenerates it', () => {
    expect(() => decodeNormalTable('AAAA')).toThrow('normal-table.ts holds 3 bytes, not 131072: regenerate it with `npm run tables`');
  });
});
