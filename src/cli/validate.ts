/**
 * `breakeven validate <files...>`: check config files of any kind without running anything.
 * A workload is checked with its references (catalog ids, extra catalogs) resolved. Prints
 * "ok  <file> (<kind>)" per good file and every problem of the bad ones; exits 2 if any is bad.
 * The config loader is imported when the command runs, not when the CLI starts.
 */
import type { Command } from 'commander';
import { dirname, resolve } from 'node:path';
import { safeText } from '../util/terminal.js';
import type { CliIO } from './io.js';
import { UserError } from './io.js';

export function registerValidate(program: Command, io: CliIO): void {
  program
    .command('validate')
    .description('check config files (hardware, models, apis, workload, measurements) without running a simulation')
    .argument('<files...>', 'YAML or JSON files to check')
    .option('--catalog-root <dir>', 'folder holding hardware/ and workloads/catalog/ (default: the bundled catalogs)')
    .action(async (files: string[], opts: { catalogRoot?: string }) => {
      const { ConfigError, formatProblems, loadFile, loadWorkload } = await import('../config/index.js');
      const root = opts.catalogRoot !== undefined ? resolve(io.cwd, opts.catalogRoot) : undefined;
      let bad = 0;
      for (const f of files) {
        if (io.signal?.aborted) throw new UserError('stopped by the user', 130);
        try {
          const { kind } = loadFile(f, { cwd: io.cwd, ...(root !== undefined ? { root } : {}) });
          if (kind === 'workload') {
            const loaded = loadWorkload(f, { cwd: io.cwd, ...(root !== undefined ? { root } : {}) });
            // the trace is data the run reads: check it the way the run will
            const trace = loaded.workload.traffic.trace;
            if (trace && loaded.file) {
              const { readTrace } = await import('../traffic/index.js');
              readTrace(resolve(dirname(loaded.file), trace.file), trace.column);
            }
          }
          io.out(`ok  ${safeText(f)} (${kind})\n`);
        } catch (e) {
          if (e instanceof ConfigError) io.err(`${formatProblems(e.problems)}\n`);
          else if (e instanceof UserError) io.err(`${safeText(e.message)}\n`);
          else throw e;
          bad++;
        }
      }
      if (bad > 0) {
        throw new UserError(bad === 1 && files.length === 1 ? `${safeText(files[0] ?? '')} is not valid` : `${bad} of ${files.length} files are not valid`);
      }
    });
}
