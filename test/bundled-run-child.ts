/**
 * A child process of test/global-setup.ts (`node --import tsx`, so it runs the TypeScript
 * sources as the tests do; dist/ may be stale): simulates each bundled workload the parent
 * sends it ({ file, dir, root }) through the CLI's `run()` with an in-memory console, records
 * the exit code, stdout and stderr next to the reports (test/bundled-runs.ts), and answers
 * { done: file }.
 */
import { run } from '../src/cli/program.js';
import { memoryIO } from '../src/cli/io.js';
import { bundledArgs, reportPaths, trialsFor, writeBundledRun } from './bundled-runs.js';

interface Job {
  file: string;
  dir: string;
  root: string;
}

process.on('message', (job: Job) => {
  void (async () => {
    const io = memoryIO({ cwd: job.root });
    let code: number;
    try {
      code = await run(bundledArgs(job.file, job.dir), io);
    } catch (e) {
      code = -1;
      io.stderr += `run() threw: ${(e as Error).stack ?? String(e)}`;
    }
    writeBundledRun(job.dir, { file: job.file, trials: trialsFor(job.file), code, stdout: io.stdout, stderr: io.stderr, ...reportPaths(job.dir, job.file) });
    process.send!({ done: job.file });
  })();
});
process.send!({ ready: true });
