/**
 * Replay of a measured hourly trace: a CSV file with a header row and one row per hour;
 * `column` holds requests in that hour. Blank lines are skipped; anything else that is not
 * a finite number >= 0 is an error naming the line.
 */
import { readFileSync } from 'node:fs';
import { UserError } from '../errors.js';

export function readTrace(file: string, column: string): Float64Array {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new UserError(`${file}: cannot read trace: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  const lines = text.split(/\r?\n/);
  const header = (lines[0] ?? '').split(',').map((s) => s.trim());
  const col = header.indexOf(column);
  if (col < 0) {
    throw new UserError(`${file}: line 1: no column "${column}" in the header (columns: ${header.join(', ') || 'none'})`);
  }
  const values: number[] = [];
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.trim() === '') continue;
    const cell = line.split(',')[col];
    const v = cell === undefined ? NaN : Number(cell.trim());
    if (!Number.isFinite(v) || v < 0) {
      throw new UserError(`${file}: line ${i + 1}: column "${column}" must be a number >= 0 (got "${cell ?? ''}")`);
    }
    values.push(v);
  }
  if (values.length < 24) throw new UserError(`${file}: a trace needs at least 24 hourly rows (got ${values.length})`);
  return Float64Array.from(values);
}
