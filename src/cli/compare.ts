/**
 * `breakeven compare <a.json> <b.json> [--out <file.html>]`: what changed between two
 * result JSONs (inputs, per-option shifts, options only in one), as text and optionally as
 * a small self-contained HTML page.
 *
 * Result files are user input: read through `readUserFile` (regular files, size-capped) and
 * checked field by field (`resultShapeProblems`) before anything compares them, so a tampered
 * or truncated result is exit 2 naming the field, never an internal error or a "NaN" in print.
 */
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { z } from 'zod';
import { UserError, type CliIO } from './io.js';
import { readUserFile, throwIfStopped, writeFileOrStop } from './files.js';
import { diffResults, formatDiffText, parseResultJson, renderCompareHtml, ResultFileError } from '../report/index.js';
import type { SimulationResult } from '../sim/result.js';
import { safeLines, safeText } from '../util/terminal.js';

/** Largest result JSON read, bytes (a result of ten options is ~0.5 MB). */
export const MAX_RESULT_BYTES = 64 * 1024 * 1024;

const finite = z.number().refine(Number.isFinite, 'must be a finite number');
const quantiles = z.looseObject({ p10: finite, p50: finite, p90: finite, mean: finite });
/** The fields `compare` reads, with their types; everything else passes through unchecked. */
const ResultShape = z.looseObject({
  scenario: z.looseObject({ name: z.string(), trials: finite, seed: finite, horizon_months: finite }),
  volume_tokens_per_month: quantiles,
  inputs: z.array(z.looseObject({ path: z.string(), written: z.string(), p50: finite })),
  api: z.looseObject({ id: z.string(), label: z.string(), cost_per_million_tokens: quantiles, cost_per_month: quantiles }),
  options: z.array(
    z.looseObject({
      id: z.string(),
      label: z.string(),
      feasible: z.boolean(),
      p_cheaper: finite,
      never_breaks_even_share: finite,
      breakeven_tokens_per_month: quantiles.nullable(),
      cost_per_million_tokens: quantiles,
    }),
  ),
});

/** "options[0]: must be an object (got null)" for each field `compare` cannot read. O(size). */
export function resultShapeProblems(data: unknown): string[] {
  const r = ResultShape.safeParse(data);
  if (r.success) return [];
  return r.error.issues.slice(0, 10).map((i) => {
    const path = i.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('').replace(/^\./, '');
    let got: unknown = data;
    for (const p of i.path) got = got !== null && typeof got === 'object' ? (got as Record<PropertyKey, unknown>)[p] : undefined;
    const shown = got === null ? 'null' : Array.isArray(got) ? 'a list' : typeof got === 'object' ? 'an object' : got === undefined ? 'nothing' : JSON.stringify(got);
    const rule = i.code === 'invalid_type' ? `must be ${i.expected === 'object' ? 'an object' : i.expected === 'array' ? 'a list' : `a ${i.expected}`}` : i.message;
    return `${path || '(top level)'}: ${rule} (got ${safeText(String(shown), 40)})`;
  });
}

function readResult(io: CliIO, file: string): SimulationResult {
  const text = readUserFile(file, resolve(io.cwd, file), MAX_RESULT_BYTES);
  let result: SimulationResult;
  try {
    result = parseResultJson(text, safeText(file));
  } catch (err) {
    if (err instanceof ResultFileError) throw new UserError(safeText(err.message));
    throw err;
  }
  const problems = resultShapeProblems(result);
  if (problems.length > 0) {
    throw new UserError(`${safeText(file)}: not a result JSON this version can compare:\n${problems.map((p) => `  ${p}`).join('\n')}`);
  }
  return result;
}

export function registerCompare(program: Command, io: CliIO): void {
  program
    .command('compare')
    .description('show what changed between two result JSONs (inputs, P(cheaper), break-even, cost per million tokens)')
    .argument('<a>', 'result JSON (the "before"), e.g. reports/chat.json')
    .argument('<b>', 'result JSON (the "after")')
    .option('--out <file>', 'also write the comparison as a self-contained HTML file')
    .action(async (a: string, b: string, opts: { out?: string }) => {
      const ra = readResult(io, a);
      const rb = readResult(io, b);
      throwIfStopped(io);
      const diff = diffResults(ra, rb, [a, b]);
      const text = formatDiffText(diff);
      if (opts.out !== undefined) {
        const out = resolve(io.cwd, opts.out);
        await writeFileOrStop(io, out, renderCompareHtml(diff), opts.out);
        io.out(safeLines(text));
        io.err(`wrote ${safeText(opts.out)}\n`);
        return;
      }
      io.out(safeLines(text));
    });
}
