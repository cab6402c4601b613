/**
 * Replay of a measured hourly trace: a CSV file with a header row and one row per hour;
 * `column` holds requests in that hour. Blank lines are skipped; a blank cell, or anything
 * else that is not a number >= 0 within the number rule (finite, at most 1e15), is an error
 * naming the line. The file is read through `readInputFile` (regular files only, size-capped);
 * what the messages quote from it is shortened and stripped of control characters.
 */
import { UserError } from '../errors.js';
import { describeReadFailure, readInputFile } from '../util/read-input.js';
import { safeText } from '../util/terminal.js';

/** Largest trace file, bytes: ten years of hourly rows with a few columns is ~3 MB. */
export const MAX_TRACE_BYTES = 32 * 1024 * 1024;
/** Largest request count in one hour (the config number rule, MAX_ABS_NUMBER in config/range.ts). */
const MAX_CELL = 1e15;
/** Most header columns listed in a message. */
const SHOWN_COLUMNS = 12;

/** Requests per hour from `column` of the CSV `file`. O(file size). Throws UserError naming the line. */
export function readTrace(file: string, column: string): Float64Array {
  const read = readInputFile(file, MAX_TRACE_BYTES);
  const shown = safeText(file, 500); // the path comes from the workload: no control characters on the terminal
  if (!read.ok) throw new UserError(`${shown}: cannot read trace: ${describeReadFailure(read)}`);
  const lines = read.text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const header = (lines[0] ?? '').split(',').map((s) => s.trim());
  const col = header.indexOf(column);
  if (col < 0) {
    const shown = header.slice(0, SHOWN_COLUMNS).map((h) => safeText(h, 40));
    const more = header.length > SHOWN_COLUMNS ? `, … (${header.length} in all)` : '';
    throw new UserError(`${shown}: line 1: no column "${safeText(column, 40)}" in the header (columns: ${shown.join(', ') || 'none'}${more})`);
  }
  const values: number[] = [];
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.trim() === '') continue;
    const cell = line.split(',')[col];
    const text = cell === undefined ? '' : cell.trim();
    // Number('') is 0: a blank cell must not become an hour without traffic
    const v = text === '' ? NaN : Number(text);
    if (!Number.isFinite(v) || v < 0 || v > MAX_CELL) {
      const why = text === '' ? 'is blank' : `must be a number >= 0 and <= ${MAX_CELL.toExponential()}`;
      throw new UserError(`${shown}: line ${i + 1}: column "${safeText(column, 40)}" ${why} (got "${safeText(cell ?? '', 40)}")`);
    }
    values.push(v);
  }
  if (values.length < 24) throw new UserError(`${shown}: a trace needs at least 24 hourly rows (got ${values.length})`);
  return Float64Array.from(values);
}
