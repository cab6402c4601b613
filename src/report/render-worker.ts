/**
 * Worker thread that draws charts (see render.ts `startRenderWorker`): loads vega and
 * vega-lite and draws a warm-up chart as soon as it starts, then, while warming up is on
 * (`workerData.warmUp` at the start, then `{ warmUp, threads }` messages: on while the caller's
 * other work leaves a core idle, off when it takes the cores; `threads` grows when a second
 * render thread joins), the report's chart kinds it draws (WARM_UP_CHARTS of its `thread` of
 * `threads`, tiny data) one at a time, each at most once. Answers each
 * `{ id, charts }` with `{ id, charts: RenderedChart[] }` or `{ id, error }`; real work ends the
 * warm-up. Every drawing, warm-up or real, runs one after another.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { renderCharts, renderThreadOf, WARM_UP_CHART, type ChartInput } from './render.js';
import { WARM_UP_CHARTS } from './warm-up-charts.js';

const data = (workerData ?? {}) as { warmUp?: boolean; thread?: number; threads?: number };
const thread = data.thread ?? 0;
let warming = data.warmUp === true;
/** render threads there are now (a second may join later: each then warms up on its half) */
let threads = data.threads ?? 1;
/** the chart kinds warmed up on so far */
const warmed = new Set<string>();
/** the next kind this thread draws, of `threads` render threads, not warmed up on yet */
const nextKind = (): ChartInput | undefined => WARM_UP_CHARTS.find((c) => !warmed.has(c.key) && renderThreadOf(c.key, threads) === thread);
/** the drawing in progress (all drawing is chained on it) */
let busy: Promise<unknown> = renderCharts([WARM_UP_CHART]).catch(() => undefined);
let looping = false;

function warmUp(): void {
  if (looping) return;
  looping = true;
  busy = busy.then(async () => {
    for (;;) {
      // a macrotask between charts, so that a stop or a render request is seen
      await new Promise<void>((r) => setImmediate(r));
      const kind = warming ? nextKind() : undefined;
      if (!kind) break;
      warmed.add(kind.key);
      await renderCharts([kind]).catch(() => undefined);
    }
    looping = false;
  });
}
if (warming) warmUp();

parentPort!.on('message', (msg: { id: number; charts: ChartInput[] } | { warmUp: boolean; threads: number }) => {
  if ('warmUp' in msg) {
    warming = msg.warmUp;
    threads = msg.threads;
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
