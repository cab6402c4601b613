/**
 * Vega-Lite spec → Vega spec → SVG string, in Node, without canvas (renderer 'none').
 * vega and vega-lite are imported lazily so commands that draw nothing (`--help`) stay fast.
 *
 *   charts ─ compile once (vega-lite) ─┬─ draw (vega View → SVG) ─ inline <svg>
 *                                      └─ the Vega spec itself ─── interactive page's views
 *
 * Where: `inThreadRenderer` here, or `startRenderWorker()`, a child process that loads vega and
 * draws a warm-up chart at once, so a caller that starts it before a long computation (the CLI,
 * before simulating) finds it ready: loading vega (~0.3-0.5 s) and the first, JIT-cold charts
 * no longer add to the wait. Both give the same bytes.
 *
 * Output is deterministic: SVG element ids (clip paths, gradients) are renumbered per chart
 * and prefixed with the chart key, so several inline SVGs never share an id and the same
 * result always gives the same bytes.
 */
import type { TopLevelSpec } from 'vega-lite';
import type { Spec as VegaSpec } from 'vega';
import { fileURLToPath } from 'node:url';

type VegaModule = typeof import('vega');
type VegaLiteModule = typeof import('vega-lite');

let modules: Promise<{ vega: VegaModule; vl: VegaLiteModule }> | undefined;

/**
 * vega and vega-lite, loaded once per thread from their single-file UMD builds: the same code
 * as their ES modules (same version, same package), bundled and minified. One file each
 * instead of vega's ~60 ES modules (vega, d3) costs a quarter of the CPU to load (measured:
 * ~0.35 s → ~0.08 s for vega), and the render thread loads them while the trials run. The
 * HTML is byte-identical either way (test/report/render.test.ts).
 */
export function loadModules(): Promise<{ vega: VegaModule; vl: VegaLiteModule }> {
  modules ??= (async () => {
    const [{ createRequire }, { readFileSync }, vm, { dirname, join }] = await Promise.all([import('node:module'), import('node:fs'), import('node:vm'), import('node:path')]);
    const require = createRequire(import.meta.url);
    /** Run a UMD file as CommonJS with the given dependencies (package type and require(esm) aside). */
    const loadUmd = (file: string, deps: Record<string, unknown>): unknown => {
      const source = readFileSync(file, 'utf8');
      const factory = vm.runInThisContext(`(function (exports, module, require) {${source}\n})`, { filename: file }) as (e: object, m: { exports: object }, r: (id: string) => unknown) => void;
      const mod = { exports: {} };
      factory(mod.exports, mod, (id) => {
        if (id in deps) return deps[id];
        throw new Error(`${file} needs ${id}, which is not provided`);
      });
      return mod.exports;
    };
    const vega = loadUmd(join(dirname(require.resolve('vega')), 'vega.min.js'), {}) as VegaModule;
    const vl = loadUmd(join(dirname(require.resolve('vega-lite')), 'vega-lite.min.js'), { vega }) as VegaLiteModule;
    return { vega, vl };
  })();
  return modules;
}

/** Compile a Vega-Lite spec to Vega; throws with the chart key when vega-lite rejects it. */
export async function compileSpec(spec: TopLevelSpec): Promise<VegaSpec> {
  const { vl } = await loadModules();
  return vl.compile(spec).spec;
}

/** Give every `id` in an SVG a deterministic `${prefix}-${n}` name and update references. */
export function renumberSvgIds(svg: string, prefix: string): string {
  const map = new Map<string, string>();
  for (const m of svg.matchAll(/\sid="([^"]+)"/g)) {
    if (!map.has(m[1]!)) map.set(m[1]!, `${prefix}-${map.size + 1}`);
  }
  if (map.size === 0) return svg;
  return svg
    .replace(/(\sid=")([^"]+)(")/g, (_, a: string, id: string, b: string) => `${a}${map.get(id) ?? id}${b}`)
    .replace(/url\(#([^)]+)\)/g, (all, id: string) => (map.has(id) ? `url(#${map.get(id)!})` : all))
    .replace(/(href=")#([^"]+)(")/g, (all, a: string, id: string, b: string) => (map.has(id) ? `${a}#${map.get(id)!}${b}` : all));
}

/** Render one Vega-Lite spec to an SVG string (ids prefixed with `key`). */
export async function renderSvg(spec: TopLevelSpec, key: string): Promise<string> {
  return drawSvg(await compileSpec(spec), key);
}

/** Draw a compiled Vega spec as an SVG string (ids prefixed with `chart-${key}`). */
async function drawSvg(vgSpec: VegaSpec, key: string): Promise<string> {
  const { vega } = await loadModules();
  // vega's default logger writes to the console, which would break `--json` on stdout and a
  // quiet stderr; its warnings (e.g. an empty layer's extent) are collected and dropped,
  // its errors surface as exceptions from toSVG.
  const messages: string[] = [];
  const logger = vega.logger(vega.Warn, undefined, (_method: string, _level: string, input: readonly unknown[]) => {
    messages.push(input.map(String).join(' '));
  });
  const view = new vega.View(vega.parse(vgSpec), { renderer: 'none', logger });
  try {
    const svg = await view.toSVG();
    return renumberSvgIds(svg, `chart-${key}`);
  } finally {
    view.finalize();
  }
}

/** A chart to draw: its key (the figure's `data-chart`) and Vega-Lite spec. */
export interface ChartInput {
  key: string;
  spec: TopLevelSpec;
}

/** A chart compiled once and drawn: the Vega spec (for interactive pages) and the SVG. */
export interface RenderedChart {
  key: string;
  vega: VegaSpec;
  svg: string;
}

/**
 * Compile each chart once and draw it, in this thread, in order. Cost: one vega-lite compile
 * and one vega render per chart (bench/report.js prints each chart's).
 */
export async function renderCharts(charts: readonly ChartInput[]): Promise<RenderedChart[]> {
  const out: RenderedChart[] = [];
  for (const c of charts) {
    const vega = await compileSpec(c.spec);
    out.push({ key: c.key, vega, svg: await drawSvg(vega, c.key) });
  }
  return out;
}

/** Where charts are drawn: this thread or a render process. */
export interface ChartRenderer {
  render(charts: readonly ChartInput[]): Promise<RenderedChart[]>;
  /**
   * start drawing `charts` now (those that depend on the plan alone, while the trials run): a
   * later `render` of a chart with the same key and spec takes that drawing (the same bytes)
   */
  prerender(charts: readonly ChartInput[]): void;
  /**
   * warm up (the render process draws each chart kind once on tiny data, so that vega's code is
   * compiled when the real charts come) only while `on`: while the caller's other work leaves
   * a core idle
   */
  setWarmUp(on: boolean): void;
  /** stop the render process, if any, and wait for it to end (idempotent) */
  close(): Promise<void>;
}

/** Draws in this thread (loads vega on first use); draws nothing ahead (it would hold up this thread). */
export const inThreadRenderer: ChartRenderer = {
  render: renderCharts,
  prerender: () => {},
  setWarmUp: () => {},
  close: async () => {},
};

/** The identity of a drawing: the same key and spec give the same bytes. */
const drawingKey = (c: ChartInput) => `${c.key}\n${JSON.stringify(c.spec)}`;

/**
 * `render` with `prerender` on top: charts drawn ahead are kept by key and spec; a later
 * `render` sends only the others and puts the results back in order. A drawing ahead that
 * failed is drawn again (its error, if any, comes from that second try). `drawAhead` draws
 * the charts given ahead (default: `draw`).
 */
export function withPrerender(
  draw: (charts: readonly ChartInput[]) => Promise<RenderedChart[]>,
  drawAhead: (charts: readonly ChartInput[]) => Promise<RenderedChart[]> = draw,
): Pick<ChartRenderer, 'render' | 'prerender'> {
  const ahead = new Map<string, Promise<RenderedChart>>();
  return {
    prerender(charts) {
      if (charts.length === 0) return;
      const all = drawAhead(charts);
      charts.forEach((c, i) => {
        const one = all.then((r) => r[i]!);
        one.catch(() => undefined); // awaited, if at all, by render
        ahead.set(drawingKey(c), one);
      });
    },
    async render(charts) {
      const found = charts.map((c) => ahead.get(drawingKey(c)));
      const rest = charts.filter((_, i) => found[i] === undefined);
      const drawn = rest.length > 0 ? draw(rest) : Promise.resolve([]);
      const early = await Promise.all(found.map((p) => p?.catch(() => undefined)));
      const again = charts.filter((_, i) => found[i] !== undefined && early[i] === undefined);
      const [fresh, retried] = await Promise.all([drawn, again.length > 0 ? draw(again) : Promise.resolve([])]);
      let f = 0;
      let g = 0;
      return charts.map((_, i) => (found[i] === undefined ? fresh[f++]! : early[i] ?? retried[g++]!));
    },
  };
}

/** A small chart drawn once by a fresh renderer so vega's code paths are compiled by the JIT. */
export const WARM_UP_CHART: ChartInput = {
  key: 'warm-up',
  spec: {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    width: 200,
    height: 100,
    data: { values: [{ x: 1, y: 2, s: 'a' }, { x: 10, y: 3, s: 'b' }, { x: 100, y: 1, s: 'a' }] },
    layer: [
      { mark: { type: 'line', point: true }, encoding: { x: { field: 'x', type: 'quantitative', scale: { type: 'log' } }, y: { field: 'y', type: 'quantitative' }, color: { field: 's', type: 'nominal' } } },
      { mark: 'bar', encoding: { x: { field: 'x', type: 'quantitative' }, y: { field: 'y', type: 'quantitative' } } },
    ],
  },
};

/** Path of the render process's entry: compiled JS runs directly; under tsx a bootstrap registers tsx. */
function renderWorkerEntry(): string {
  const self = import.meta.url;
  return fileURLToPath(self.endsWith('.ts') ? new URL('./render-worker-bootstrap.mjs', self) : new URL('./render-worker.js', self));
}

/**
 * Whether a new render process should warm up on the report's chart kinds: only when this
 * process's start-up leaves a core idle, i.e. at least two cores are idle now (⌈cores − load
 * average⌉ ≥ 2, the engine's measure). On a busy machine the warm-up's CPU (~0.5-0.8 s for all
 * the chart kinds, cold) would be taken from the trials: measured there, +5 % CPU for the
 * whole default run and no gain in wall time.
 */
export async function warmUpPays(): Promise<boolean> {
  const { availableParallelism, loadavg } = await import('node:os');
  return Math.ceil(availableParallelism() - (loadavg()[0] ?? 0)) >= 2;
}

/**
 * Start a render process (render-worker.ts, a child of this process) that loads vega and
 * vega-lite and draws WARM_UP_CHART right away, then (if `warmUp`, default `warmUpPays()`, and
 * later while `setWarmUp(true)`) the report's chart kinds with tiny data, each once, until
 * `setWarmUp(false)` or `render` is called, so that vega's code for each kind has run before
 * the real charts come; then draws what `render` sends it. Start it before other work (it uses
 * a core of its own), call `setWarmUp(false)` when that work takes the cores
 * (`setWarmUp(true)` if it leaves one idle). If the process cannot start or ends on its own,
 * the charts are drawn in this thread instead (the same bytes) and `onFallback` hears why,
 * once; a chart that fails to draw makes `render` reject with its error; after `close()`,
 * `render` rejects. The bytes drawn do not depend on the warm-up. Cost: a
 * process and ~60 MB while it lives; `close()` it when done. An idle renderer never keeps this
 * process alive, and it ends itself when this process goes.
 *
 * A process, not a worker thread, so that its V8 can run without TurboFan (`RENDER_MAX_OPT`,
 * set in render-worker.ts): V8's flags are per process, and the trial threads need TurboFan.
 * A report's charts are drawn once, cold, and TurboFan's compiles of vega's code cost more
 * than they return in that time; they also ran on the cores the trials use. Measured on
 * 2 cores, against the worker thread it replaces (8 interleaved pairs each): the default run
 * 0.955x the wall time and 0.88x the CPU, 10,000 bench trials 0.98x and 0.95x; in one thread
 * (`node bench/report.js charts`) the first, JIT-cold drawing of every chart took 0.48-0.54 s
 * with TurboFan against 0.38-0.42 s without.
 *
 * One process, one drawing per kind, measured on the default scenario (2 cores, one trial
 * thread, paired runs): a second render thread warming up on half the kinds, or more rounds
 * of warm-up, cut the wait after the trials (0.3 → 0.2 s) but slowed the trials more, as the
 * warm-up took the core that V8's compiler threads use for the trial thread's code: the whole
 * run took 1.75 s with two threads and 2.0 s with three rounds, against 1.6 s.
 */
export function startRenderWorker(options: { warmUp?: boolean; onFallback?: (reason: string) => void; /** another entry file (tests: one that fails) */ entry?: string } = {}): ChartRenderer {
  // imported here so that a caller that never starts a renderer does not load child_process
  let child: import('node:child_process').ChildProcess | undefined;
  /** why the process is gone (failed to start, or ended on its own): then charts are drawn here */
  let gone: Error | undefined;
  let closed = false;
  /** the end of what the process wrote to stderr (for the reason it is gone) */
  let stderrTail = '';
  const pending = new Map<number, { resolve: (r: RenderedChart[]) => void; reject: (e: Error) => void }>();
  let nextId = 0;
  const fail = (e: Error) => {
    gone ??= e;
    for (const p of pending.values()) p.reject(gone);
    pending.clear();
  };
  // an idle renderer must not keep this process alive: neither the child, nor its channel, nor
  // its stderr (whose end, with the child's, makes the 'close' that rejects what is pending)
  const hold = (c: import('node:child_process').ChildProcess, on: boolean) => {
    const stderr = c.stderr as import('node:net').Socket | null;
    if (on) {
      c.ref();
      c.channel?.ref();
      stderr?.ref();
    } else {
      c.unref();
      c.channel?.unref();
      stderr?.unref();
    }
  };
  const ready = Promise.all([import('node:child_process'), options.warmUp ?? warmUpPays()]).then(([{ fork }, warmUp]) => {
    // execArgv: none of this process's flags (--inspect, --cpu-prof, a loader); the renderer
    // sets its own V8 flags first thing (render-worker.ts). Its stderr is kept, not shown: a
    // renderer that dies says why in the reason given to onFallback
    const c = fork(options.entry ?? renderWorkerEntry(), [warmUp ? 'warm-up' : 'cold'], { execArgv: [], serialization: 'advanced', stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
    c.stderr?.setEncoding('utf8').on('data', (s: string) => (stderrTail = (stderrTail + s).slice(-2000)));
    c.on('message', (msg: { id: number; charts?: RenderedChart[]; error?: string }) => {
      const p = pending.get(msg.id);
      if (!p) return;
      pending.delete(msg.id);
      // once closing, the process waits for the child's end: an answer that comes meanwhile (a
      // drawing ahead, sent before the kill) must not let go of it, or the event loop could
      // empty first and Node.js end the CLI with exit 13 (unsettled top-level await) instead
      // of its own code
      if (pending.size === 0 && !closed) hold(c, false);
      if (msg.error !== undefined) p.reject(new Error(`chart rendering failed: ${msg.error}`));
      else p.resolve(msg.charts ?? []);
    });
    c.on('error', (e) => fail(e));
    // 'close', not 'exit': its stderr has been read by then
    c.on('close', (code, signal) => {
      // what it said: its error's line ("Error: Cannot find module …"), else its last line
      const lines = stderrTail.split('\n').map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('at ') && !l.startsWith('Node.js v'));
      const said = lines.find((l) => /^\w*Error\b/.test(l)) ?? lines[lines.length - 1];
      fail(new Error(`the chart renderer stopped (${signal ?? `exit ${code}`})${said ? `: ${said}` : ''}`));
    });
    hold(c, false);
    child = c;
    return c;
  });
  const send = (c: import('node:child_process').ChildProcess, msg: unknown) => {
    // a message it cannot take (its channel closed: it is ending) ends it, and its end gives
    // the reason (what it said on stderr), not the broken pipe
    if (c.connected) c.send(msg as import('node:child_process').Serializable, (e) => e && c.kill());
  };
  const remote = (c: import('node:child_process').ChildProcess, charts: readonly ChartInput[]) =>
    new Promise<RenderedChart[]>((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve, reject });
      hold(c, true);
      send(c, { id, charts });
    });
  let toldFallback = false;
  // charts are drawn by the process; if it is gone (it could not start, or it ended on its own,
  // also while drawing) they are drawn in this thread instead: the same bytes, the wait of a
  // cold in-thread drawing. A chart that fails to draw fails either way.
  const draw = async (charts: readonly ChartInput[]): Promise<RenderedChart[]> => {
    if (closed) throw new Error('the chart renderer was closed');
    const c = await ready.catch((e: unknown) => {
      gone ??= e instanceof Error ? e : new Error(String(e));
      return undefined;
    });
    if (c && !gone) {
      try {
        return await remote(c, charts);
      } catch (e) {
        if (!gone || closed) throw e;
      }
    }
    if (!toldFallback) {
      toldFallback = true;
      options.onFallback?.(gone?.message ?? 'unknown');
    }
    return renderCharts(charts);
  };
  // ahead, only the process draws: this thread is running the trials then (a drawing ahead
  // that fails is drawn again, by `draw`, when the report asks for it)
  const drawAhead = async (charts: readonly ChartInput[]): Promise<RenderedChart[]> => {
    const c = await ready;
    if (gone || closed) throw gone ?? new Error('the chart renderer was closed');
    return remote(c, charts);
  };
  return {
    ...withPrerender(draw, drawAhead),
    setWarmUp(on) {
      void ready.then((c) => send(c, { warmUp: on }), () => undefined);
    },
    async close() {
      closed = true;
      const c = child ?? (await ready.catch(() => undefined));
      if (!c || c.exitCode !== null || c.signalCode !== null) return;
      const ended = new Promise<void>((r) => c.once('exit', () => r()));
      hold(c, true); // this process waits for it to go (an unref'd child's exit would not be awaited)
      c.kill();
      await ended;
    },
  };
}
