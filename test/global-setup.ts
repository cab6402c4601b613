/**
 * Vitest global setup: simulate every bundled workload once, before any test file runs, and
 * share the results (see test/bundled-runs.ts). Each run goes through the in-process CLI as a
 * user would run it and writes its HTML and JSON report into a temporary folder; the exit code,
 * stdout and stderr are recorded next to them, so a failing run fails the tests that read it.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { run } from '../src/cli/program.js';
import { memoryIO } from '../src/cli/io.js';
import { baseName, bundledArgs, bundledWorkloads, recordPath, trialsFor, type BundledRun } from './bundled-runs.js';

export default async function setup(project: TestProject): Promise<() => void> {
  const root = process.cwd();
  const dir = mkdtempSync(join(tmpdir(), 'breakeven-bundled-'));
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
  project.provide('bundledRunsDir', dir);
  return () => rmSync(dir, { recursive: true, force: true });
}
