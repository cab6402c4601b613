/**
 * How many threads run the trials, and the helper threads themselves, without the engine:
 * the CLI imports this module (a door, test/architecture.test.ts) as soon as the workload is
 * loaded, so that a run that will use helpers starts them then and they load the trial code
 * (~50 modules, ~0.1 s, more on a busy machine) while this thread imports the engine and
 * compiles the plan. Measured before (issue 18): a helper started by the engine ran its first
 * trial 0.17-0.19 s after the main thread's, on two cores.
 *
 * Imports only node's os and worker_threads and leaf modules.
 */
import { loadavg } from 'node:os';
import type { Worker } from 'node:worker_threads';
import { othersBusyNow } from '../util/cpu-window.js';
import { DEFAULTS, defaultWorkers } from '../defaults.js';

/** What `chooseWorkers` reads of a plan: its size. */
export interface PlanSize {
  trials: number;
  hours: number;
  options: readonly unknown[];
}

/**
 * The work of a plan in trial-hour-options: trials × simulated hours × (options + the API
 * baseline), the unit the engine's cost is linear in (bench: marginal time per trial-hour is
 * flat from 12 to 120 months). O(1).
 */
export function planWork(plan: PlanSize): number {
  return plan.trials * plan.hours * (plan.options.length + 1);
}

/**
 * Hours in a simulated month, as traffic/path.ts `HOURS_PER_MONTH` (a test pins the two): here so
 * that the CLI can size a run from its workload before loading the traffic model.
 */
export const SIZE_HOURS_PER_MONTH = 730;

/**
 * A workload's size before its plan is compiled: what compilePlan will give (trials, the
 * horizon's hours, one option per option); a test checks it against the compiled plan of
 * every bundled workload. O(1).
 */
export function workloadSize(trials: number, horizonMonths: number, options: readonly unknown[]): PlanSize {
  return { trials, hours: horizonMonths * SIZE_HOURS_PER_MONTH, options };
}

/** What `chooseWorkers` knows of the machine: its cores and how busy they are. */
export interface Machine {
  /** cores this process may use (os.availableParallelism()) */
  cores: number;
  /**
   * cores other processes keep busy: measured over this command's start-up
   * (util/cpu-window.ts), or, when that window is too short to read, the 1-minute load average
   */
  load: number;
}

/**
 * The shortest start-up window `thisMachine` reads (5 of the kernel's 10 ms ticks per core; a
 * reading is then good to about a quarter of a core on two cores). Since the build's checked
 * cache made loading faster, a bundled run reaches the engine 80-100 ms into the window: at
 * util/cpu-window.ts's default of 100 ms, 7 of 8 runs of 10,000 bench trials found the window
 * too short and fell back to the 1-minute load average, which still counts a run that ended
 * seconds ago, so a run right after another chose one thread on an idle machine.
 */
export const MACHINE_WINDOW_MS = 50;

/**
 * This machine now: the load over this command's start-up when that window is at least
 * `minWindowMs` long (util/cpu-window.ts), else the 1-minute load average. O(cores).
 */
export function thisMachine(minWindowMs = MACHINE_WINDOW_MS): Machine {
  return { cores: defaultWorkers(), load: othersBusyNow(minWindowMs) ?? loadavg()[0] ?? 0 };
}

/**
 * Cores left idle beside `threads` trial threads: ⌈cores − load⌉ − threads, at least 0 (the
 * measure of idle cores `chooseWorkers` uses). O(1).
 *
 * @example spareCores(1, { cores: 2, load: 0.2 }) // 1
 */
export function spareCores(threads: number, machine: Machine): number {
  return Math.max(0, Math.min(machine.cores, Math.ceil(machine.cores - machine.load)) - threads);
}

/**
 * How many threads run the trials (this one included). A number forces that count, capped at
 * one thread per chunk of `DEFAULTS.chunkTrials` (a thread with no chunk would only cost its
 * start-up). 'auto' measures instead of assuming:
 * - one thread while the work (`planWork`) is below `DEFAULTS.parallelMinWork`: a helper's
 *   start-up and JIT warm-up, and the compiler threads both threads then compete with, would
 *   cost more than it saves (the default scenario is below it);
 * - otherwise one thread per core that is at least partly idle, ⌈cores − load⌉ (load: the
 *   cores other processes kept busy during start-up, `thisMachine`), at least one. On a machine whose cores are all busy, a helper gets no core of its
 *   own and only adds its start-up (bench, 2 cores at load 14: 8,000 trials took 3.3 CPU-s on
 *   one thread and 3.9-4.3 on two, with no gain in wall time).
 * Whatever it returns, this thread runs trials too (see engine.ts runEngine), so a helper that
 * starts late only takes the chunks this thread has not reached. The count never changes the
 * result. O(1).
 *
 * @example chooseWorkers({ trials: 4000, hours: 8760, options: [a, b, c, d] }, 'auto', { cores: 2, load: 0.3 }) // 2
 */
export function chooseWorkers(plan: PlanSize, requested: number | 'auto' | undefined, machine: Machine = thisMachine()): number {
  const cap = Math.max(1, Math.ceil(plan.trials / DEFAULTS.chunkTrials));
  if (requested === undefined) return 1;
  if (requested !== 'auto') return Math.max(1, Math.min(Math.floor(requested), cap));
  if (planWork(plan) < DEFAULTS.parallelMinWork) return 1;
  const idle = Math.ceil(machine.cores - machine.load);
  return Math.max(1, Math.min(machine.cores, idle, cap));
}

/** URL of the trial helper's entry: compiled JS runs directly; under tsx a bootstrap registers tsx. */
export function helperEntry(): URL {
  const self = import.meta.url;
  if (self.endsWith('.ts')) return new URL('./worker-bootstrap.mjs', self);
  return new URL('./worker.js', self);
}

/**
 * Trial helper threads started ahead of the engine (`startTrialHelpers`): each loads the trial
 * code at once and then waits for its job (the plan, the chunks and the claim counter), which
 * runEngine posts to it instead of starting a thread of its own.
 */
export interface TrialHelpers {
  /** the waiting threads; runEngine takes them with `take()` */
  take(): Worker | undefined;
  /** stop the threads nobody took (idempotent; runEngine stops the ones it took) */
  close(): Promise<void>;
}

/**
 * Start `n` trial helper threads now (see TrialHelpers). They do not keep the process alive
 * while they wait; an error before the job comes ends that helper and the engine runs without
 * it (chunks are claimed, not assigned, so none is lost). Cost: a thread each, ~0.1 s of CPU to
 * load the trial code, ~10 MB.
 */
export async function startTrialHelpers(n: number): Promise<TrialHelpers> {
  const { Worker } = await import('node:worker_threads');
  const waiting: Worker[] = [];
  for (let k = 0; k < n; k++) {
    const w = new Worker(helperEntry());
    // a helper that fails before its job is simply not used (runEngine attaches its own handlers)
    w.on('error', () => {
      const at = waiting.indexOf(w);
      if (at >= 0) waiting.splice(at, 1);
    });
    w.unref();
    waiting.push(w);
  }
  return {
    take: () => waiting.shift(),
    async close() {
      await Promise.all(waiting.splice(0).map((w) => w.terminate()));
    },
  };
}
