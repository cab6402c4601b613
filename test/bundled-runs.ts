/**
 * Every bundled workload, simulated ONCE per `npm test` (by test/global-setup.ts, through the
 * CLI's `run()` with `--json --out <dir>`, in two child processes beside the test files), then
 * read by every test that needs a real run: the example checks (test/examples/) and the
 * browser checks (test/report/browser.test.ts). Simulating each workload once instead of in
 * every file keeps the suite fast on 2 cores; a reader waits for the run it needs
 * (`waitForBundledRun`), so the other test files do not wait for the simulations.
 */
import { existsSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** seed and trials of the shared runs (bench.yaml is larger per trial, so fewer) */
export const BUNDLED_SEED = 7;
export const trialsFor = (file: string): number => (file.endsWith('/bench.yaml') ? 150 : 200);

/** `dir/*.yaml|yml` (or another pattern), sorted, as `dir/name` paths relative to the repo root. */
export function listBundled(root: string, dir: string, re: RegExp): string[] {
  return readdirSync(join(root, dir))
    .filter((f) => re.test(f))
    .sort()
    .map((f) => `${dir}/${f}`);
}

/** The bundled workloads, e.g. `workloads/default.yaml`. */
export const bundledWorkloads = (root: string): string[] => listBundled(root, 'workloads', /\.ya?ml$/);

/** `workloads/chat.yaml` → `chat`: the CLI's base name for its report files. */
export const baseName = (file: string): string => file.replace(/^.*\//, '').replace(/\.ya?ml$/, '');

/** What the shared run of one workload left behind. */
export interface BundledRun {
  file: string;
  trials: number;
  /** the CLI's exit code, stdout (the result JSON) and stderr */
  code: number;
  stdout: string;
  stderr: string;
  /** the report files the CLI wrote */
  htmlPath: string;
  jsonPath: string;
}

/** Arguments of the shared run of `file`. */
export function bundledArgs(file: string, outDir: string): string[] {
  return ['simulate', file, '--trials', String(trialsFor(file)), '--seed', String(BUNDLED_SEED), '--workers', '1', '--json', '--out', outDir];
}

/** Where the shared run of `file` was recorded in `dir`. */
export const recordPath = (dir: string, file: string): string => join(dir, `${baseName(file)}.run.json`);

/** The report files the shared run of `file` writes into `dir` (the CLI's names). */
export const reportPaths = (dir: string, file: string): { htmlPath: string; jsonPath: string } => ({
  htmlPath: join(dir, `${baseName(file)}.html`),
  jsonPath: join(dir, `${baseName(file)}.json`),
});

/** Record a finished run: written whole, then renamed, so a waiting reader never sees half of it. */
export function writeBundledRun(dir: string, run: BundledRun): void {
  const path = recordPath(dir, run.file);
  writeFileSync(`${path}.tmp`, JSON.stringify(run));
  renameSync(`${path}.tmp`, path);
}

/** how long a reader waits for one shared run before failing (a loaded 2-core machine) */
export const WAIT_MS = 240_000;

/**
 * The shared run of `file` from `dir` (the global setup's folder, `inject('bundledRunsDir')`).
 * Throws, naming the file, when the setup recorded no run for it: a missing run fails the
 * test that needed it instead of skipping it.
 */
export function readBundledRun(dir: string, file: string): BundledRun {
  let text: string;
  try {
    text = readFileSync(recordPath(dir, file), 'utf8');
  } catch {
    throw new Error(`no shared run of ${file} in ${dir}: test/global-setup.ts simulates every workloads/*.yaml first`);
  }
  return JSON.parse(text) as BundledRun;
}

/**
 * The shared run of `file`, once test/global-setup.ts has recorded it (the runs go on beside
 * the test files). A run whose simulation failed is recorded too (code -1, why in stderr), so
 * this fails the test that needed it; after `WAIT_MS` with no record it throws, naming the file.
 */
export async function waitForBundledRun(dir: string, file: string): Promise<BundledRun> {
  const deadline = Date.now() + WAIT_MS;
  while (!existsSync(recordPath(dir, file))) {
    if (Date.now() > deadline) throw new Error(`no shared run of ${file} in ${dir} after ${WAIT_MS / 1000} s: test/global-setup.ts simulates every workloads/*.yaml`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return readBundledRun(dir, file);
}

declare module 'vitest' {
  export interface ProvidedContext {
    /** folder holding the shared run of every bundled workload (test/global-setup.ts) */
    bundledRunsDir: string;
  }
}
