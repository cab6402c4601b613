/**
 * Worker thread that draws charts (see render.ts `startRenderWorker`): loads vega and
 * vega-lite and draws a warm-up chart as soon as it starts, then, while warming up is on
 * (`workerData.warmUp` at the start, then `{ warmUp: boolean }` messages: on while the caller's
 * other work leaves a core idle, off when it takes the cores), the report's chart kinds
 * (WARM_UP_CHARTS, tiny data) one at a time, each at most once. Answers each
 * `{ id, charts }` with `{ id, charts: RenderedChart[] }` or `{ id, error }`; real work ends the
 * warm-up. Every drawing, warm-up or real, runs one after another.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { renderCharts, WARM_UP_CHART, type ChartInput } from './render.js';
import { WARM_UP_CHARTS } from './warm-up-charts.js';

let warming = (workerData as { warmUp?: boolean } | null)?.warmUp === true;
/** the next chart kind to warm up on */
let next = 0;
/** the drawing in progress (all drawing is chained on it) */
let busy: Promise<unknown> = renderCharts([WARM_UP_CHART]).catch(() => undefined);
let looping = false;

function warmUp(): void {
  if (looping) return;
  looping = true;
  busy = busy.then(async () => {
    while (warming && next < WARM_UP_CHARTS.length) {
      // a macrotask between charts, so that a stop or a render request is seen
      await new Promise<void>((r) => setImmediate(r));
      if (!warming) break;
      await renderCharts([WARM_UP_CHARTS[next++]!]).catch(() => undefined);
    }
    looping = false;
  });
}
if (warming) warmUp();

parentPort!.on('message', (msg: { id: number; charts: ChartInput[] } | { warmUp: boolean }) => {
  if ('warmUp' in msg) {
    warming = msg.warmUp;
    if (warming) warmUp();
    return;
  }
  warming = false;
  const job = busy.then(() => renderCharts(msg.charts));
  busy = job.catch(() => undefined);
  void job.then(
    (charts) => parentPort!.postMessage({ id: msg.id, charts }),
    (e: unknown) => parentPort!.postMessage({ id: msg.id, error: e instanceof Error ? e.message : String(e) }),
  );
});
