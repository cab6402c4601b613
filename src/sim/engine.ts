/**
 * The Monte Carlo engine: runs every trial of a plan, in this thread or across a
 * worker_threads pool, and assembles per-trial results by trial index, so the output is
 * byte-identical whatever the number of workers (trial i's random streams derive from
 * (seed, i) only; see distributions/rng.ts).
 *
 * Memory: per-trial scalars only (options × metrics × trials Float64Arrays), never per-hour
 * paths; each worker reuses one hourly buffer.
 */
import { Worker } from 'node:worker_threads';
import type { Plan } from './plan.js';
import { TrialRunner, allocChunk, subsampleSize, OPTION_METRICS, GLOBAL_METRICS, type ChunkBuffers } from './trial.js';
import { DEFAULTS } from '../defaults.js';

export interface EngineOptions {
  workers?: number;
  signal?: AbortSignal | undefined;
  /** called after each chunk with trials done so far */
  onProgress?: ((done: number, total: number) => void) | undefined;
}

export interface EngineOutput {
  plan: Plan;
  /** [option][metric] → one value per trial */
  metrics: Float64Array[][];
  /** [global metric] → one value per trial */
  global: Float64Array[];
  /** [input] → the value drawn in each trial */
  inputs: Float64Array[];
  /** subsample series, trial-major (see ChunkBuffers) */
  sub: number;
  fan: Float64Array;
  cumulative: Float64Array;
  how: Float64Array;
  week: Float64Array;
  reasons: string[];
}

export class AbortedError extends Error {
  constructor() {
    super('stopped by the user; nothing was written');
    this.name = 'AbortedError';
  }
}

/**
 * Chunks of trials, handed out in order to whichever worker is free. Guided sizes: up to
 * chunkTrials while plenty remains, then a quarter of what remains per worker, down to
 * minChunkTrials, so the workers finish within a small chunk of each other (equal chunks of
 * 1,000 left one core idle for up to a chunk's time at the end). Chunking never changes the
 * result: trials are assembled by index.
 */
export function chunkRanges(trials: number, workers = 1): [number, number][] {
  const out: [number, number][] = [];
  const { chunkTrials: max, minChunkTrials: min } = DEFAULTS;
  for (let s = 0; s < trials; ) {
    const guided = Math.ceil((trials - s) / (4 * workers));
    const size = workers > 1 ? Math.max(min, Math.min(max, guided)) : max;
    out.push([s, Math.min(trials, s + size)]);
    s += size;
  }
  return out;
}

/** Run one chunk in this thread (also what a worker does). */
export function runChunk(runner: TrialRunner, plan: Plan, start: number, end: number): ChunkBuffers {
  const buf = allocChunk(plan, start, end);
  for (let i = start; i < end; i++) runner.run(i, buf);
  return buf;
}

export async function runEngine(plan: Plan, opts: EngineOptions = {}): Promise<EngineOutput> {
  const T = plan.trials;
  const O = plan.options.length;
  const out: EngineOutput = {
    plan,
    metrics: plan.options.map(() => OPTION_METRICS.map(() => new Float64Array(T))),
    global: GLOBAL_METRICS.map(() => new Float64Array(T)),
    inputs: plan.inputs.map(() => new Float64Array(T)),
    sub: subsampleSize(plan),
    fan: new Float64Array(subsampleSize(plan) * (O + 1) * plan.grid.length),
    cumulative: new Float64Array(subsampleSize(plan) * (O + 1) * plan.months),
    how: new Float64Array(subsampleSize(plan) * O * 168),
    week: new Float64Array(168 * (O + 1)),
    reasons: plan.options.map(() => ''),
  };
  // a run of one chunk or less stays in this thread (starting a worker costs more)
  const workers = Math.max(1, Math.min(opts.workers ?? 1, Math.ceil(T / DEFAULTS.chunkTrials)));
  const ranges = chunkRanges(T, workers);
  let done = 0;
  const absorb = (b: ChunkBuffers) => {
    const n = b.end - b.start;
    const MN = OPTION_METRICS.length;
    for (let o = 0; o < O; o++)
      for (let m = 0; m < MN; m++) out.metrics[o]![m]!.set(b.metrics.subarray((o * MN + m) * n, (o * MN + m + 1) * n), b.start);
    for (let g = 0; g < GLOBAL_METRICS.length; g++) out.global[g]!.set(b.global.subarray(g * n, (g + 1) * n), b.start);
    for (let j = 0; j < plan.inputs.length; j++) out.inputs[j]!.set(b.inputs.subarray(j * n, (j + 1) * n), b.start);
    if (b.fan.length) out.fan.set(b.fan, b.start * (O + 1) * plan.grid.length);
    if (b.cumulative.length) out.cumulative.set(b.cumulative, b.start * (O + 1) * plan.months);
    if (b.how.length) out.how.set(b.how, b.start * O * 168);
    if (b.week.length) out.week.set(b.week);
    done += n;
    opts.onProgress?.(done, T);
  };

  const chunkReasons: string[][] = [];
  if (workers === 1) {
    const runner = new TrialRunner(plan);
    for (const [s, e] of ranges) {
      if (opts.signal?.aborted) throw new AbortedError();
      const b = runChunk(runner, plan, s, e);
      chunkReasons.push(b.reasons);
      absorb(b);
      // let signals and progress through
      await new Promise<void>((r) => setImmediate(r));
    }
  } else {
    // chunks finish in any order; each writes only its own trial positions
    await runPool(plan, ranges, workers, opts.signal, (i, b) => {
      chunkReasons[i] = b.reasons;
      absorb(b);
    });
  }
  // an option's reason: the first one by trial order, whatever the worker timing
  out.reasons = plan.options.map((_, o) => chunkReasons.find((r) => r?.[o])?.[o] ?? '');
  return out;
}

/** URL of the worker entry: compiled JS runs directly; under tsx a bootstrap registers tsx. */
function workerEntry(): URL {
  const self = import.meta.url;
  if (self.endsWith('.ts')) return new URL('./worker-bootstrap.mjs', self);
  return new URL('./worker.js', self);
}

async function runPool(
  plan: Plan,
  ranges: [number, number][],
  nWorkers: number,
  signal: AbortSignal | undefined,
  onChunk: (index: number, b: ChunkBuffers) => void,
): Promise<void> {
  const entry = workerEntry();
  const pool: Worker[] = [];
  let next = 0;
  let finished = 0;
  await new Promise<void>((resolve, reject) => {
    let failed = false;
    const stopAll = (err: Error) => {
      if (failed) return;
      failed = true;
      for (const w of pool) void w.terminate();
      reject(err);
    };
    const onAbort = () => stopAll(new AbortedError());
    if (signal) {
      if (signal.aborted) return stopAll(new AbortedError());
      signal.addEventListener('abort', onAbort, { once: true });
    }
    const feed = (w: Worker) => {
      if (next >= ranges.length) return;
      const i = next++;
      const [s, e] = ranges[i]!;
      w.postMessage({ index: i, start: s, end: e });
    };
    for (let k = 0; k < nWorkers; k++) {
      const w = new Worker(entry, { workerData: { plan } });
      pool.push(w);
      w.on('message', (msg: { index: number; buf: ChunkBuffers } | { error: string }) => {
        if ('error' in msg) return stopAll(new Error(msg.error));
        onChunk(msg.index, msg.buf);
        finished++;
        if (finished === ranges.length) {
          signal?.removeEventListener('abort', onAbort);
          for (const x of pool) void x.terminate();
          resolve();
        } else feed(w);
      });
      w.on('error', (err) => stopAll(err));
      feed(w);
    }
  });
}
