/**
 * The render process (see render.ts `startRenderWorker`, which forks it): loads vega and
 * vega-lite and draws a warm-up chart as soon as it starts, then, while warming up is on
 * (`warm-up` as its argument at the start, then `{ warmUp: boolean }` messages: on while the
 * parent's other work leaves a core idle, off when it takes the cores), the report's chart
 * kinds (WARM_UP_CHARTS, tiny data) one at a time, each at most once. Answers each
 * `{ id, charts }` with `{ id, charts: RenderedChart[] }` or `{ id, error }`; real work ends the
 * warm-up. Every drawing, warm-up or real, runs one after another. It ends when its parent
 * goes (the IPC channel closes) and leaves Ctrl-C to the parent, which closes it.
 */
import { setFlagsFromString } from 'node:v8';

/**
 * The highest tier V8 may compile this process's code to: 2 is Maglev where Node enables it,
 * else Sparkplug; never TurboFan. Set before vega loads (V8 reads it when it decides to
 * optimise a function). Why: render.ts `startRenderWorker`.
 */
const RENDER_MAX_OPT = 2;
setFlagsFromString(`--max-opt=${RENDER_MAX_OPT}`);

if (!process.send) throw new Error('render-worker.js is the chart renderer started by the CLI (render.ts startRenderWorker), not a command');
const reply = (msg: unknown) => {
  if (process.connected) process.send!(msg);
};
process.on('disconnect', () => process.exit(0));
process.on('SIGINT', () => {});

// loaded after the flag is set; the message listener below is attached at once (a message
// that came before any listener would be lost), and every drawing waits for these
const modules = Promise.all([import('./render.js'), import('./warm-up-charts.js')]);
type ChartInput = import('./render.js').ChartInput;
const draw = async (charts: readonly ChartInput[]) => (await modules)[0].renderCharts(charts);

let warming = process.argv[2] === 'warm-up';
/** the next chart kind to warm up on */
let next = 0;
/** the drawing in progress (all drawing is chained on it) */
let busy: Promise<unknown> = modules.then(([{ WARM_UP_CHART }]) => draw([WARM_UP_CHART])).catch(() => undefined);
let looping = false;

function warmUp(): void {
  if (looping) return;
  looping = true;
  busy = busy.then(async () => {
    const { WARM_UP_CHARTS } = (await modules)[1];
    while (warming && next < WARM_UP_CHARTS.length) {
      // a macrotask between charts, so that a stop or a render request is seen
      await new Promise<void>((r) => setImmediate(r));
      if (!warming) break;
      await draw([WARM_UP_CHARTS[next++]!]).catch(() => undefined);
    }
    looping = false;
  });
}

process.on('message', (msg: { id: number; charts: ChartInput[] } | { warmUp: boolean }) => {
  if ('warmUp' in msg) {
    warming = msg.warmUp;
    if (warming) warmUp();
    return;
  }
  warming = false;
  const job = busy.then(() => draw(msg.charts));
  busy = job.catch(() => undefined);
  void job.then(
    (charts) => reply({ id: msg.id, charts }),
    (e: unknown) => reply({ id: msg.id, error: e instanceof Error ? e.message : String(e) }),
  );
});
if (warming) warmUp();
