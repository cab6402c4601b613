/** Worker thread: runs chunks of trials of the plan it was started with. */
import { parentPort, workerData } from 'node:worker_threads';
import type { Plan } from './plan.js';
import { TrialRunner } from './trial.js';
import { runChunk } from './engine.js';

const plan = (workerData as { plan: Plan }).plan;
const runner = new TrialRunner(plan);
parentPort!.on('message', (msg: { index: number; start: number; end: number }) => {
  try {
    const buf = runChunk(runner, plan, msg.start, msg.end);
    const transfer = [buf.metrics.buffer, buf.global.buffer, buf.inputs.buffer, buf.vs.buffer, buf.vsGlobal.buffer, buf.fan.buffer, buf.cumulative.buffer, buf.how.buffer, buf.week.buffer];
    parentPort!.postMessage({ index: msg.index, buf }, transfer as ArrayBuffer[]);
  } catch (e) {
    parentPort!.postMessage({ error: (e as Error).stack ?? String(e) });
  }
});
