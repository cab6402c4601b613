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
import { TrialRunner, allocChunk, subsampleSize, OPTION_METRICS, GLOBAL_METRICS, VS_METRICS, VS_GLOBAL_METRICS, type ChunkBuffers } from './trial.js';
import { DEFAULTS } from '../defaults.js';
import { chooseWorkers, helperEntry, spareCores, thisMachine, type Machine, type TrialHelpers } from './threads.js';

export { chooseWorkers, planWork, spareCores, thisMachine, startTrialHelpers, type Machine, type TrialHelpers } from './threads.js';

export interface EngineOptions {
  /**
   * Threads that run trials, this one included: a count forces it (capped at one per chunk);
   * 'auto' (the CLI's default) lets `chooseWorkers` decide from the work and the machine;
   * omitted means 1.
   */
  workers?: number | 'auto';
  /** the machine 'auto' plans for (default: this one, now) */
  machine?: Machine;
  signal?: AbortSignal | undefined;
  /** called after each chunk with trials done so far */
  onProgress?: ((done: number, total: number) => void) | undefined;
  /**
   * called once, before the first trial, with the threads that will run trials and the cores
   * left idle beside them (`spareCores`): a caller with other work (the CLI's chart renderer)
   * keeps it going only where a core is spare
   */
  onThreads?: ((threads: number, spareCores: number) => void) | undefined;
  /**
   * helper threads started ahead (threads.ts `startTrialHelpers`, by the CLI once the workload
   * is loaded): used before starting new ones; the engine stops those it takes
   */
  helpers?: TrialHelpers | undefined;
}

export interface EngineOutput {
  plan: Plan;
  /** [option][metric] → one value per trial */
  metrics: Float64Array[][];
  /** [global metric] → one value per trial */
  global: Float64Array[];
  /** [input] → the value drawn in each trial */
  inputs: Float64Array[];
  /** [option][extra baseline][VS_METRICS] → one value per trial (empty without compare_apis) */
  vs: Float64Array[][][];
  /** [extra baseline][VS_GLOBAL_METRICS] → one value per trial */
  vsGlobal: Float64Array[][];
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

/**
 * Run trials [start, end) in this thread in slices of at most DEFAULTS.sliceTrials, handing
 * each slice to `sink` and yielding to the event loop between slices, so Ctrl-C, progress and
 * helpers' messages wait at most one slice (not a whole chunk of up to 1,000 trials). Stops
 * early, without error, once `stop()` is true (the caller decides what that means).
 */
async function runSliced(runner: TrialRunner, plan: Plan, start: number, end: number, sink: (b: ChunkBuffers) => void, stop: () => boolean): Promise<void> {
  for (let s = start; s < end && !stop(); s += DEFAULTS.sliceTrials) {
    sink(runChunk(runner, plan, s, Math.min(end, s + DEFAULTS.sliceTrials)));
    await new Promise<void>((r) => setImmediate(r));
  }
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
    vs: plan.options.map(() => plan.compareApis.map(() => VS_METRICS.map(() => new Float64Array(T)))),
    vsGlobal: plan.compareApis.map(() => VS_GLOBAL_METRICS.map(() => new Float64Array(T))),
    sub: subsampleSize(plan),
    fan: new Float64Array(subsampleSize(plan) * (O + 1) * plan.grid.length),
    cumulative: new Float64Array(subsampleSize(plan) * (O + 1) * plan.months),
    how: new Float64Array(subsampleSize(plan) * O * 168),
    week: new Float64Array(168 * (O + 1)),
    reasons: plan.options.map(() => ''),
  };
  const machine = opts.machine ?? thisMachine();
  const workers = chooseWorkers(plan, opts.workers, machine);
  opts.onThreads?.(workers, spareCores(workers, machine));
  const ranges = chunkRanges(T, workers);
  let done = 0;
  const absorb = (b: ChunkBuffers) => {
    const n = b.end - b.start;
    const MN = OPTION_METRICS.length;
    for (let o = 0; o < O; o++)
      for (let m = 0; m < MN; m++) out.metrics[o]![m]!.set(b.metrics.subarray((o * MN + m) * n, (o * MN + m + 1) * n), b.start);
    for (let g = 0; g < GLOBAL_METRICS.length; g++) out.global[g]!.set(b.global.subarray(g * n, (g + 1) * n), b.start);
    for (let j = 0; j < plan.inputs.length; j++) out.inputs[j]!.set(b.inputs.subarray(j * n, (j + 1) * n), b.start);
    const C = plan.compareApis.length;
    const VN = VS_METRICS.length;
    for (let o = 0; o < O; o++)
      for (let c = 0; c < C; c++)
        for (let m = 0; m < VN; m++) {
          const at = ((o * C + c) * VN + m) * n;
          out.vs[o]![c]![m]!.set(b.vs.subarray(at, at + n), b.start);
        }
    const VGN = VS_GLOBAL_METRICS.length;
    for (let c = 0; c < C; c++) for (let g = 0; g < VGN; g++) out.vsGlobal[c]![g]!.set(b.vsGlobal.subarray((c * VGN + g) * n, (c * VGN + g + 1) * n), b.start);
    if (b.fan.length) out.fan.set(b.fan, b.start * (O + 1) * plan.grid.length);
    if (b.cumulative.length) out.cumulative.set(b.cumulative, b.start * (O + 1) * plan.months);
    if (b.how.length) out.how.set(b.how, b.start * O * 168);
    if (b.week.length) out.week.set(b.week);
    done += n;
    opts.onProgress?.(done, T);
  };

  const chunkReasons: string[][] = [];
  // a chunk may arrive in slices (this thread's), in trial order: keep each option's first reason
  const onPiece = (i: number, b: ChunkBuffers) => {
    const had = chunkReasons[i];
    chunkReasons[i] = had ? had.map((r, o) => r || (b.reasons[o] ?? '')) : b.reasons;
    absorb(b);
  };
  if (workers === 1) {
    const runner = new TrialRunner(plan);
    for (let i = 0; i < ranges.length; i++) {
      const [s, e] = ranges[i]!;
      await runSliced(runner, plan, s, e, (b) => onPiece(i, b), () => opts.signal?.aborted === true);
    }
    if (opts.signal?.aborted) throw new AbortedError();
  } else {
    // chunks finish in any order; each writes only its own trial positions
    await runPool(plan, ranges, workers - 1, opts.signal, onPiece, opts.helpers);
  }
  // an option's reason: the first one by trial order, whatever the worker timing
  out.reasons = plan.options.map((_, o) => chunkReasons.find((r) => r?.[o])?.[o] ?? '');
  return out;
}

/**
 * Run `ranges` on this thread and `nHelpers` worker threads at once. Every thread claims the
 * next chunk nobody has taken from one shared counter (an atomic add on a SharedArrayBuffer),
 * as soon as it is free: a helper that starts late (module load, plan copy, JIT warm-up) or
 * runs slow takes fewer chunks, and none waits for another to hand it work. Earlier each
 * helper was fed two chunks at a time by this thread, which only read its messages between
 * its own slices: a cold helper held a queued chunk this thread could have run, and the run
 * ended waiting for it. This thread runs its chunks in slices (yielding to the event loop so
 * helpers' results are absorbed and Ctrl-C is seen; `onChunk` gets each slice, in trial
 * order); helpers post each chunk when done.
 */
async function runPool(
  plan: Plan,
  ranges: [number, number][],
  nHelpers: number,
  signal: AbortSignal | undefined,
  onChunk: (index: number, b: ChunkBuffers) => void,
  started?: TrialHelpers,
): Promise<void> {
  const pool: Worker[] = [];
  const claim = new Int32Array(new SharedArrayBuffer(4));
  let finished = 0;
  let failed: Error | null = null;
  let wake: (() => void) | null = null;
  const stopAll = (err: Error) => {
    if (failed) return;
    failed = err;
    Atomics.store(claim, 0, ranges.length); // nobody claims another chunk
    for (const w of pool) void w.terminate();
    wake?.();
  };
  const onAbort = () => stopAll(new AbortedError());
  if (signal) {
    if (signal.aborted) throw new AbortedError();
    signal.addEventListener('abort', onAbort, { once: true });
  }
  const done = (index: number, b: ChunkBuffers | null) => {
    if (b) onChunk(index, b);
    finished++;
    if (finished === ranges.length) wake?.();
  };
  const job: WorkerData = { plan, ranges, claim };
  for (let k = 0; k < nHelpers; k++) {
    // a helper started ahead has its code loaded: it gets the job as a message
    const ahead = started?.take();
    const w = ahead ?? new Worker(helperEntry(), { workerData: job });
    if (ahead) {
      ahead.ref();
      ahead.postMessage(job);
    }
    pool.push(w);
    w.on('message', (msg: { index: number; buf: ChunkBuffers } | { error: string }) => {
      if (failed) return;
      if ('error' in msg) return stopAll(new Error(msg.error));
      done(msg.index, msg.buf);
    });
    w.on('error', (err) => stopAll(err));
  }
  try {
    const runner = new TrialRunner(plan);
    // this thread: the next chunk nobody has taken, until none is left
    for (let i = Atomics.add(claim, 0, 1); !failed && i < ranges.length; i = Atomics.add(claim, 0, 1)) {
      const [s, e] = ranges[i]!;
      await runSliced(runner, plan, s, e, (b) => onChunk(i, b), () => failed !== null);
      done(i, null);
    }
    // then wait for the helpers' last chunks
    while (!failed && finished < ranges.length) await new Promise<void>((r) => (wake = r));
  } finally {
    signal?.removeEventListener('abort', onAbort);
    for (const x of pool) void x.terminate();
  }
  if (failed) throw failed;
}

/** What a helper thread starts with: the plan, every chunk, and the shared claim counter. */
export interface WorkerData {
  plan: Plan;
  ranges: [number, number][];
  /** index of the next unclaimed chunk (Atomics.add by every thread) */
  claim: Int32Array;
}
