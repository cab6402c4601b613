/**
 * Worker thread that draws charts (see render.ts `startRenderWorker`): loads vega and
 * vega-lite and draws a warm-up chart as soon as it starts, then, if `workerData.warmUp`, the
 * report's chart kinds (WARM_UP_CHARTS, tiny data) one at a time until told to stop
 * (`{ stopWarmUp: true }`, sent when the trials take the cores) or given real work. Answers
 * each `{ id, charts }` with `{ id, charts: RenderedChart[] }` or `{ id, error }`.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { renderCharts, WARM_UP_CHART, type ChartInput } from './render.js';
import { WARM_UP_CHARTS } from './warm-up-charts.js';

let warming = (workerData as { warmUp?: boolean } | null)?.warmUp === true;
const warm = (async () => {
  await renderCharts([WARM_UP_CHART]);
  for (const chart of WARM_UP_CHARTS) {
    // a macrotask between charts, so that a stop or a render request is seen
    await new Promise<void>((r) => setImmediate(r));
    if (!warming) break;
    await renderCharts([chart]);
  }
})().catch(() => undefined);

parentPort!.on('message', (msg: { id: number; charts: ChartInput[] } | { stopWarmUp: true }) => {
  warming = false;
  if ('stopWarmUp' in msg) return;
  void warm
    .then(() => renderCharts(msg.charts))
    .then(
      (charts) => parentPort!.postMessage({ id: msg.id, charts }),
      (e: unknown) => parentPort!.postMessage({ id: msg.id, error: e instanceof Error ? e.message : String(e) }),
    );
});
