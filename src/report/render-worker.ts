/**
 * Worker thread that draws charts (see render.ts `startRenderWorker`): loads vega and
 * vega-lite and draws a warm-up chart as soon as it starts, then, while warming up is on
 * (`workerData.warmUp` at the start, then `{ warmUp, threads }` messages: on while the caller's
 * other work leaves a core idle, off when it takes the cores; `threads` grows when a second
 * render thread joins), the report's chart kinds it draws (WARM_UP_CHARTS of its `thread` of
 * `threads`, tiny data) one at a time, up to WARM_UP_ROUNDS times each. Answers each
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
/**
 * Rounds of warm-up over this thread's kinds: one drawing of a kind on tiny data leaves much
 * of vega's code unoptimised. Measured on the default scenario (two render threads warming up
 * beside one trial thread, 2 cores): the real charts took 0.27-0.30 s after one round, 0.17-
 * 0.18 s after three, 0.17 s after five; three rounds end before the trials do.
 */
const WARM_UP_ROUNDS = 3;
/** how many times each chart kind was drawn for warming up */
const warmed = new Map<string, number>();
/** the next kind this thread draws, of `threads` render threads: the least warmed, in order */
const nextKind = (): ChartInput | undefined => {
  for (let round = 0; round < WARM_UP_ROUNDS; round++) {
    const kind = WARM_UP_CHARTS.find((c) => (warmed.get(c.key) ?? 0) <= round && renderThreadOf(c.key, threads) === thread);
    if (kind) return kind;
  }
  return undefined;
};
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
      warmed.set(kind.key, (warmed.get(kind.key) ?? 0) + 1);
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
