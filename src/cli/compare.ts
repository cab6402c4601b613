/**
 * `breakeven compare <a.json> <b.json> [--out <file.html>]`: what changed between two
 * result JSONs (inputs, per-option shifts, options only in one), as text and optionally as
 * a small self-contained HTML page. The report module (and zod) are imported when the
 * command runs.
 *
 * Result files are user input: read through `readUserFile` (regular files, size-capped) and
 * checked field by field (`resultShapeProblems`) before anything compares them, so a tampered
 * or truncated result is exit 2 naming the field, never an internal error or a "NaN" in print.
 */
import { resolve } from 'node:path';
import type { Command } from 'commander';
import type { ZodType } from 'zod';
import { UserError, type CliIO } from './io.js';
import { readUserFile, throwIfStopped, writeFileOrStop } from './files.js';
import type { SimulationResult } from '../sim/result.js';
import { safeLines, safeText } from '../util/terminal.js';

type ReportModule = typeof import('../report/index.js');

/** Largest result JSON read, bytes (a result of ten options is ~0.5 MB). */
export const MAX_RESULT_BYTES = 64 * 1024 * 1024;

let shape: ZodType | undefined;
/** The fields `compare` reads, with their types; everything else passes through unchecked. */
async function resultShape(): Promise<ZodType> {
  if (shape) return shape;
  const { z } = await import('zod');
  const finite = z.number().refine(Number.isFinite, 'must be a finite number');
  const quantiles = z.looseObject({ p10: finite, p50: finite, p90: finite, mean: finite });
  shape = z.looseObject({
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
  return shape;
}

/** "options[0]: must be an object (got null)" for each field `compare` cannot read (at most 10). O(size). */
export async function resultShapeProblems(data: unknown): Promise<string[]> {
  const r = (await resultShape()).safeParse(data);
  if (r.success) return [];
  return r.error.issues.slice(0, 10).map((i) => {
    const path = i.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('').replace(/^\./, '');
    let got: unknown = data;
    for (const p of i.path) got = got !== null && typeof got === 'object' ? (got as Record<PropertyKey, unknown>)[p] : undefined;
    const shown = got === null ? 'null' : Array.isArray(got) ? 'a list' : typeof got === 'object' ? 'an object' : got === undefined ? 'nothing' : JSON.stringify(got);
    const expected = 'expected' in i ? String(i.expected) : '';
    const rule = i.code === 'invalid_type' ? `must be ${expected === 'object' ? 'an object' : expected === 'array' ? 'a list' : `a ${expected}`}` : i.message;
    return `${path || '(top level)'}: ${rule} (got ${safeText(String(shown), 40)})`;
  });
}

async function readResult(report: ReportModule, io: CliIO, file: string): Promise<SimulationResult> {
  const text = readUserFile(file, resolve(io.cwd, file), MAX_RESULT_BYTES);
  let result: SimulationResult;
  try {
    result = report.parseResultJson(text, safeText(file));
  } catch (err) {
    if (err instanceof report.ResultFileError) throw new UserError(safeText(err.message));
    throw err;
  }
  const problems = await resultShapeProblems(result);
  if (problems.length > 0) {
    throw new UserError(`${safeText(file)}: not a result JSON this version can compare:\n${problems.map((p) => `  ${p}`).join('\n')}`);
  }
  return result;
}

export function registerCompare(program: Command, io: CliIO): void {
  program
    .command('compare')
    .description('show what changed between two result JSONs: each run\'s answer, flags when model/API/horizon differ, inputs changed as written, $/month and break-even per option (--out adds charts)')
    .argument('<a>', 'result JSON (the "before"), e.g. reports/chat.json')
    .argument('<b>', 'result JSON (the "after")')
    .option('--out <file>', 'also write the comparison as a self-contained HTML file')
    .action(async (a: string, b: string, opts: { out?: string }) => {
      const report = await import('../report/index.js');
      const ra = await readResult(report, io, a);
      const rb = await readResult(report, io, b);
      throwIfStopped(io);
      const diff = report.diffResults(ra, rb, [a, b]);
      const text = report.formatDiffText(diff);
      if (opts.out !== undefined) {
        const out = resolve(io.cwd, opts.out);
        await writeFileOrStop(io, out, await report.renderCompareHtml(diff, { a: ra, b: rb }), opts.out);
        io.out(safeLines(text));
        io.err(`wrote ${safeText(opts.out)}\n`);
        return;
      }
      io.out(safeLines(text));
    });
}
