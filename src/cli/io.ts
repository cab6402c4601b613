/**
 * What a command needs from the outside world, passed in (never process globals), so tests
 * run commands in-process with captured output.
 */
export interface CliIO {
  /** write to standard output (the caller adds newlines) */
  out(text: string): void;
  /** write to standard error */
  err(text: string): void;
  /** standard error is a terminal (progress bars only then) */
  readonly stderrIsTTY: boolean;
  /** directory relative paths are resolved against */
  readonly cwd: string;
  /** set when the user asked to stop (Ctrl-C); long runs poll it */
  readonly signal?: AbortSignal;
  /**
   * draw report charts in a worker thread started before the simulation, so loading vega
   * overlaps it (the real command; in-process callers running many commands leave it off and
   * load vega once, in their own thread)
   */
  readonly renderInWorker?: boolean;
}

export { UserError } from '../errors.js';

/** A collecting CliIO for tests and in-process runs. */
export function memoryIO(opts: { cwd?: string; stderrIsTTY?: boolean } = {}): CliIO & { stdout: string; stderr: string } {
  const io = {
    stdout: '',
    stderr: '',
    stderrIsTTY: opts.stderrIsTTY ?? false,
    cwd: opts.cwd ?? process.cwd(),
    out(text: string) {
      io.stdout += text;
    },
    err(text: string) {
      io.stderr += text;
    },
  };
  return io;
}
