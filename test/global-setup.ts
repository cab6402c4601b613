/**
 * Vitest global setup: simulate every bundled workload once and share the results (see
 * test/bundled-runs.ts). Each run goes through the CLI's `run()` as a user would run it and
 * writes its HTML and JSON report into a temporary folder; the exit code, stdout and stderr are
 * recorded next to them, so a failing run fails the tests that read it.
 *
 * The runs go on in two child processes (test/bundled-run-child.ts), the workloads handed out
 * in name order to whichever is free, WHILE the test files run: setup returns at once, and a
 * test that needs a run waits for its record (`waitForBundledRun`). Run serially before any
 * file, they kept one of two cores idle for the whole setup.
 *
 * A run filtered to files that do not read the shared runs (`vitest run test/cli`) skips the
 * simulations; when the filters cannot be read, everything is simulated.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { bundledWorkloads, reportPaths, trialsFor, writeBundledRun } from './bundled-runs.js';

/** The test files that read the shared runs. */
const READERS = ['test/examples/examples.test.ts', 'test/report/browser.test.ts'];

/** child processes simulating at once (a 2-core machine; the test files share the cores) */
const LANES = 2;

/** Whether this vitest run includes a reader (vitest keeps a file whose path contains a filter). */
function needed(project: TestProject, root: string): boolean {
  // vitest's positional filters; not a public field, so when it is missing assume all files run
  const filters = (project.vitest as unknown as { filenamePattern?: unknown }).filenamePattern;
  if (!Array.isArray(filters) || filters.length === 0) return true;
  return READERS.some((f) => filters.some((x) => typeof x !== 'string' || join(root, f).includes(x.replace(/^\.\//, ''))));
}

export default function setup(project: TestProject): () => Promise<void> {
  const root = process.cwd();
  const dir = mkdtempSync(join(tmpdir(), 'breakeven-bundled-'));
  project.provide('bundledRunsDir', dir);
  const children: ChildProcess[] = [];
  const cleanUp = async () => {
    // a filtered run may end before every simulation has: stop them before removing their folder
    await Promise.all(
      children.map((c) => (c.exitCode !== null || c.signalCode !== null ? undefined : new Promise<void>((resolve) => {
        c.once('exit', () => resolve());
        c.kill();
      }))),
    );
    rmSync(dir, { recursive: true, force: true });
  };
  if (!needed(project, root)) return cleanUp;

  const queue = bundledWorkloads(root);
  /** a run that could not happen is recorded as failed, so its reader fails with the reason */
  const failed = (file: string, why: string) => writeBundledRun(dir, { file, trials: trialsFor(file), code: -1, stdout: '', stderr: why, ...reportPaths(dir, file) });
  let alive = 0;
  for (let lane = 0; lane < Math.min(LANES, queue.length); lane++) {
    const child = fork(join(root, 'test', 'bundled-run-child.ts'), [], { cwd: root, execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'pipe', 'ipc'] });
    children.push(child);
    alive++;
    let current: string | undefined;
    let stderr = '';
    child.stderr!.setEncoding('utf8').on('data', (s: string) => (stderr += s));
    const next = () => {
      current = queue.shift();
      if (current === undefined) child.disconnect();
      else child.send({ file: current, dir, root });
    };
    child.on('message', next);
    child.on('exit', (code, signal) => {
      alive--;
      const why = `the simulating child process ended (exit ${code}, signal ${signal}):\n${stderr}`;
      if (current !== undefined) failed(current, why);
      current = undefined;
      // no child left: nothing will simulate the rest
      if (alive === 0) for (let f = queue.shift(); f !== undefined; f = queue.shift()) failed(f, why);
    });
  }
  return cleanUp;
}
