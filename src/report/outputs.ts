/**
 * Machine outputs: the result JSON, the HTML report and (optionally) the per-trial CSV,
 * staged together (`stageFiles`) and renamed as a set, so a failed run leaves the previous files
 * intact and never a partial one.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { SimulationResult, TrialTable } from '../sim/result.js';
import { stageFiles, type StagedFiles } from '../util/atomic.js';

/** Pretty JSON of a result (keys in the order produced), ending with a newline. */
export function resultJson(result: SimulationResult): string {
  return JSON.stringify(result, null, 2) + '\n';
}

function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function csvNumber(x: number): string {
  // NaN marks "not applicable" (e.g. never breaks even): an empty cell, as pandas reads it
  return Number.isFinite(x) ? String(x) : '';
}

/**
 * Per-trial CSV: header `trial,option,<metric>...`, then one row per trial and option
 * (trial-major: trial 0 for every option, then trial 1...). Trials are 0-based, as the
 * engine numbers them; non-finite values are empty cells. O(trials × options × metrics).
 */
export function trialsCsv(table: TrialTable): string {
  const parts: string[] = [['trial', 'option', ...table.metrics].map(csvField).join(',') + '\n'];
  const ids = table.options.map(csvField);
  for (let t = 0; t < table.trials; t++) {
    for (let o = 0; o < table.options.length; o++) {
      let row = `${t},${ids[o]!}`;
      const cols = table.data[o]!;
      for (let m = 0; m < table.metrics.length; m++) row += ',' + csvNumber(cols[m]![t]!);
      parts.push(row + '\n');
    }
  }
  return parts.join('');
}

export interface WriteOutputsOptions {
  outDir: string;
  /** file name stem: `<baseName>.json`, `<baseName>.html`, `<baseName>.trials.csv` */
  baseName: string;
  html: string;
  trials?: TrialTable;
  /** write the per-trial CSV (needs `trials`) */
  csv?: boolean;
}

/** Write the outputs of one run; returns the paths written, in order. */
export function writeOutputs(result: SimulationResult, opts: WriteOutputsOptions): string[] {
  const staged = stageOutputs(result, opts);
  staged.commit();
  return [...staged.paths];
}

/**
 * The outputs of one run written to temps next to their targets, not yet renamed: the caller
 * checks for Ctrl-C, then `commit()`s them as a set (the JSON renamed last) or `discard()`s.
 */
export function stageOutputs(result: SimulationResult, opts: WriteOutputsOptions): StagedFiles {
  if (opts.csv === true && opts.trials === undefined) throw new Error('writeOutputs: csv requested but no per-trial table given');
  mkdirSync(opts.outDir, { recursive: true });
  const files = [
    { path: join(opts.outDir, `${opts.baseName}.json`), data: resultJson(result) },
    { path: join(opts.outDir, `${opts.baseName}.html`), data: opts.html },
  ];
  if (opts.csv === true && opts.trials !== undefined) files.push({ path: join(opts.outDir, `${opts.baseName}.trials.csv`), data: trialsCsv(opts.trials) });
  return stageFiles(files);
}
