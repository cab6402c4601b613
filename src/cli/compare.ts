/**
 * `breakeven compare <a.json> <b.json> [--out <file.html>]`: what changed between two
 * result JSONs (inputs, per-option shifts, options only in one), as text and optionally as
 * a small self-contained HTML page. The report module is imported when the command runs.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { UserError, type CliIO } from './io.js';
import { writeFileAtomic } from '../util/atomic.js';

type ReportModule = typeof import('../report/index.js');

function readResult(report: ReportModule, io: CliIO, file: string) {
  const path = resolve(io.cwd, file);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new UserError(code === 'ENOENT' ? `${file}: no such file` : `${file}: cannot read (${(err as Error).message})`);
  }
  try {
    return report.parseResultJson(text, file);
  } catch (err) {
    if (err instanceof report.ResultFileError) throw new UserError(err.message);
    throw err;
  }
}

export function registerCompare(program: Command, io: CliIO): void {
  program
    .command('compare')
    .description('show what changed between two result JSONs (inputs, P(cheaper), break-even, cost per million tokens)')
    .argument('<a>', 'result JSON (the "before"), e.g. reports/chat.json')
    .argument('<b>', 'result JSON (the "after")')
    .option('--out <file>', 'also write the comparison as a self-contained HTML file')
    .action(async (a: string, b: string, opts: { out?: string }) => {
      const report = await import('../report/index.js');
      const ra = readResult(report, io, a);
      const rb = readResult(report, io, b);
      const diff = report.diffResults(ra, rb, [a, b]);
      io.out(report.formatDiffText(diff));
      if (opts.out !== undefined) {
        const out = resolve(io.cwd, opts.out);
        try {
          writeFileAtomic(out, report.renderCompareHtml(diff));
        } catch (err) {
          throw new UserError(`${opts.out}: cannot write (${(err as Error).message})`);
        }
        io.err(`wrote ${opts.out}\n`);
      }
    });
}
