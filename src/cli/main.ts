/**
 * Process entry: wires real streams and signals into the in-process CLI.
 *
 * Ctrl-C (SIGINT) and SIGTERM ask the running command to stop: long steps poll the signal,
 * and every command that writes checks it once more before its final rename, so a stopped
 * run exits 130 (143 for SIGTERM) with nothing new written. A second signal exits at once,
 * after removing this process's temp files (util/atomic.ts), so none is left behind.
 */
// first: its reading now starts the window over which `auto` workers measure the machine's load
import '../util/cpu-window.js';
import { removeLiveTemps } from '../util/atomic.js';

/** The line written to stderr, with BREAKEVEN_READY_LINE=1, once the SIGINT handler is set. */
const READY_LINE = 'breakeven: signal handlers installed';

const controller = new AbortController();
let signals = 0;
let terminated = false;
const onSignal = (name: 'SIGINT' | 'SIGTERM') => {
  signals++;
  if (name === 'SIGTERM') terminated = true;
  if (signals > 1) {
    removeLiveTemps();
    process.exit(name === 'SIGTERM' ? 143 : 130);
  }
  controller.abort();
};
process.on('SIGINT', () => onSignal('SIGINT'));
process.on('SIGTERM', () => onSignal('SIGTERM'));
// for tests that send signals (test/cli/interrupt.test.ts): from here on, Ctrl-C is handled
if (process.env['BREAKEVEN_READY_LINE'] === '1') process.stderr.write(`${READY_LINE}\n`);
// the program is loaded after the handlers are in place: a signal during start-up is a stop
// request (the command sees an aborted signal and exits 130), not a kill
const { run } = await import('./program.js');
const code = await run(process.argv.slice(2), {
  out: (s) => process.stdout.write(s),
  err: (s) => process.stderr.write(s),
  stderrIsTTY: Boolean(process.stderr.isTTY),
  cwd: process.cwd(),
  signal: controller.signal,
  renderInWorker: true,
});
removeLiveTemps();
process.exitCode = code === 130 && terminated ? 143 : code;
