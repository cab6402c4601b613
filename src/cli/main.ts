/** Process entry: wires real streams and Ctrl-C into the in-process CLI. */
import { run } from './program.js';

/** The line written to stderr, with BREAKEVEN_READY_LINE=1, once the SIGINT handler is set. */
const READY_LINE = 'breakeven: signal handlers installed';

const controller = new AbortController();
let interrupted = 0;
process.on('SIGINT', () => {
  interrupted++;
  if (interrupted > 1) process.exit(130);
  controller.abort();
});
// for tests that send signals (test/cli/interrupt.test.ts): from here on, Ctrl-C is handled
if (process.env['BREAKEVEN_READY_LINE'] === '1') process.stderr.write(`${READY_LINE}\n`);
const code = await run(process.argv.slice(2), {
  out: (s) => process.stdout.write(s),
  err: (s) => process.stderr.write(s),
  stderrIsTTY: Boolean(process.stderr.isTTY),
  cwd: process.cwd(),
  signal: controller.signal,
  renderInWorker: true,
});
process.exitCode = code;
