/**
 * Worker thread that draws charts (see render.ts `startRenderWorker`): loads vega and
 * vega-lite and draws a warm-up chart as soon as it starts, then answers each
 * `{ id, charts }` with `{ id, charts: RenderedChart[] }` or `{ id, error }`.
 */
import { parentPort } from 'node:worker_threads';
import { renderCharts, WARM_UP_CHART, type ChartInput } from './render.js';

const warm = renderCharts([WARM_UP_CHART]).catch(() => undefined);
parentPort!.on('message', (msg: { id: number; charts: ChartInput[] }) => {
  void warm
    .then(() => renderCharts(msg.charts))
    .then(
      (charts) => parentPort!.postMessage({ id: msg.id, charts }),
      (e: unknown) => parentPort!.postMessage({ id: msg.id, error: e instanceof Error ? e.message : String(e) }),
    );
});
