/**
 * Vitest global setup: simulate every bundled workload once, before any test file runs, and
 * share the results (see test/bundled-runs.ts). Each run goes through the in-process CLI as a
 * user would run it and writes its HTML and JSON report into a temporary folder; the exit code,
 * stdout and stderr are recorded next to them, so a failing run fails the tests that read it.
 *
 * A run filtered to files that do not read the shared runs (`vitest run test/cli`) skips the
 * simulations; when the filters cannot be read, everything is simulated.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { run } from '../src/cli/program.js';
import { memoryIO } from '../src/cli/io.js';
import { baseName, bundledArgs, bundledWorkloads, recordPath, trialsFor, type BundledRun } from './bundled-runs.js';

/** The test files that read the shared runs. */
const READERS = ['test/examples/examples.test.ts', 'test/report/browser.test.ts'];

/** Whether this vitest run includes a reader (vitest keeps a file whose path contains a filter). */
function needed(project: TestProject, root: string): boolean {
  // vitest's positional filters; not a public field, so when it is missing assume all files run
  const filters = (project.vitest as unknown as { filenamePattern?: unknown }).filenamePattern;
  if (!Array.isArray(filters) || filters.length === 0) return true;
  return READERS.some((f) => filters.some((x) => typeof x !== 'string' || join(root, f).includes(x.replace(/^\.\//, ''))));
}

export default async function setup(project: TestProject): Promise<() => void> {
  const root = process.cwd();
  const dir = mkdtempSync(join(tmpdir(), 'breakeven-bundled-'));
  project.provide('bundledRunsDir', dir);
  const cleanUp = () => rmSync(dir, { recursive: true, force: true });
  if (!needed(project, root)) return cleanUp;
  for (const file of bundledWorkloads(root)) {
    const io = memoryIO({ cwd: root });
    const args = bundledArgs(file, dir);
    let code: number;
    try {
      code = await run(args, io);
    } catch (e) {
      code = -1;
      io.stderr += `run() threw: ${(e as Error).stack ?? String(e)}`;
    }
    const name = baseName(file);
    const record: BundledRun = {
      file,
      trials: trialsFor(file),
      code,
      stdout: io.stdout,
      stderr: io.stderr,
      htmlPath: join(dir, `${name}.html`),
      jsonPath: join(dir, `${name}.json`),
    };
    writeFileSync(recordPath(dir, file), JSON.stringify(record));
  }
  return cleanUp;
}
