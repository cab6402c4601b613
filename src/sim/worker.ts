/**
 * Worker thread: claims chunks of its job (the plan, every chunk and the shared claim counter)
 * from the shared counter until none is left, posting each one's buffers (copied, not
 * transferred: see below) as it finishes (see engine.ts runPool). The job comes as workerData when the engine starts the
 * thread, or as the first message to a helper started ahead (threads.ts startTrialHelpers),
 * which loads this module's imports while it waits.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { TrialRunner } from './trial.js';
import { runChunk, type WorkerData } from './engine.js';

function serve({ plan, ranges, claim }: WorkerData): void {
  const runner = new TrialRunner(plan);
  for (let i = Atomics.add(claim, 0, 1); i < ranges.length; i = Atomics.add(claim, 0, 1)) {
    const [start, end] = ranges[i]!;
    try {
      const buf = runChunk(runner, plan, start, end);
      // copied, not transferred: transferring detaches the buffers, and the first detached
      // ArrayBuffer in a thread makes V8 throw away all the optimised code that reads typed
      // arrays (the trial's hour loops, fill, run: ~40 functions) and compile it again. The copy
      // costs ~0.1 ms per 1,000 trials of results
      parentPort!.postMessage({ index: i, buf });
    } catch (e) {
      parentPort!.postMessage({ error: (e as Error).stack ?? String(e) });
      break;
    }
  }
}

if (workerData) serve(workerData as WorkerData);
else parentPort!.once('message', (job: WorkerData) => serve(job));
