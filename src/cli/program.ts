/**
 * The CLI as a program factory: `makeProgram(io)` builds the commander program; `run(argv, io)`
 * parses and executes it, mapping errors to exit codes (2 = the user's input, 130 = stopped).
 * The bin file only calls `run` with process streams; tests call it in-process.
 */
import { Command, CommanderError } from 'commander';
import type { CliIO } from './io.js';
import { UserError } from './io.js';
import { registerSimulate } from './simulate.js';
import { registerValidate } from './validate.js';
import { registerPerf } from './perf.js';
import { registerCalibrate } from './calibrate.js';
import { registerCompare } from './compare.js';
import { registerImportPrices } from './import-prices.js';
import { registerPlan } from './plan.js';
import { registerList } from './list.js';
import { TOOL_VERSION } from '../version.js';
import { canRequireEsm } from '../util/require-esm.js';

export function makeProgram(io: CliIO): Command {
  const program = new Command();
  program
    .name('breakeven')
    .description(
      'Self-host an LLM on GPUs or pay an API per token? Monte Carlo break-even distributions with HTML reports.\nWith no command, runs the bundled default scenario and writes reports/default.html.',
    )
    .version(TOOL_VERSION)
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.err(s) })
    .showSuggestionAfterError(true)
    // the config schemas load on first use (config/load.ts); a Node that cannot require an
    // ES module (before 20.19) imports them before any command runs
    .hook('preAction', async () => {
      if (!canRequireEsm()) await (await import('../config/index.js')).prepareSchemas();
    });
  registerSimulate(program, io);
  registerValidate(program, io);
  registerPerf(program, io);
  registerCalibrate(program, io);
  registerCompare(program, io);
  registerImportPrices(program, io);
  registerPlan(program, io);
  registerList(program, io);
  for (const c of program.commands) c.exitOverride().configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.err(s) });
  return program;
}

/** Run the CLI; returns the exit code. Never throws for user errors. */
export async function run(argv: string[], io: CliIO): Promise<number> {
  const program = makeProgram(io);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (e) {
    if (e instanceof CommanderError) {
      // help and version exit 0; usage errors were already printed by commander
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help') return 0;
      return e.exitCode === 1 ? 2 : e.exitCode;
    }
    if (e instanceof UserError) {
      // a stop (exit 130, files.ts throwIfStopped) is no error, and reads as the engine's
      // AbortedError below: the same line whichever step the signal lands in
      io.err(e.exitCode === 130 ? `${e.message}\n` : `error: ${e.message}\n`);
      return e.exitCode;
    }
    if (e instanceof Error && e.name === 'AbortedError') {
      io.err(`${e.message}\n`);
      return 130;
    }
    const err = e as Error;
    io.err(`internal error: ${err.message}\n${process.env['BREAKEVEN_DEBUG'] ? `${err.stack}\n` : 'set BREAKEVEN_DEBUG=1 for a stack trace and please report it\n'}`);
    return 1;
  }
}
