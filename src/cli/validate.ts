/**
 * `breakeven validate <files...>`: check config files of any kind without running anything.
 * A workload is checked with its references (catalog ids, extra catalogs) resolved. Prints
 * "ok  <file> (<kind>)" per good file and every problem of the bad ones; exits 2 if any is bad.
 * The config loader is imported when the command runs, not when the CLI starts.
 */
import type { Command } from 'commander';
import { resolve } from 'node:path';
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
        try {
          const { kind } = loadFile(f, { cwd: io.cwd });
          if (kind === 'workload') loadWorkload(f, { cwd: io.cwd, ...(root !== undefined ? { root } : {}) });
          io.out(`ok  ${f} (${kind})\n`);
        } catch (e) {
          if (!(e instanceof ConfigError)) throw e;
          bad++;
          io.err(`${formatProblems(e.problems)}\n`);
        }
      }
      if (bad > 0) {
        throw new UserError(bad === 1 && files.length === 1 ? `${files[0]} is not valid` : `${bad} of ${files.length} files are not valid`);
      }
    });
}
