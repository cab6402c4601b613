/**
 * How busy the rest of the machine is now, for deciding how many threads to start: the CPU
 * time every process used since this module was loaded (os.cpus(), all cores), minus this
 * process's own (process.cpuUsage(), all its threads), per millisecond of wall time, i.e. the
 * number of cores other processes kept busy over that window.
 *
 * It replaces the 1-minute load average, which lags: right after one run it still counts that
 * run's threads, so a second run of the same command on an idle 2-core machine chose one
 * thread (bench.yaml, 10,000 trials with report: 4.16 s, against 3.02 s on two). The CLI
 * imports this module first thing, so the window is the command's start-up (a few hundred ms,
 * tens of the kernel's 10 ms ticks). Shorter windows than `minWindowMs` read too few ticks:
 * the caller falls back to the load average. O(cores) per reading.
 */
import { cpus } from 'node:os';

/** A reading of the machine's and this process's CPU time, in ms. */
export interface CpuSample {
  atMs: number;
  /** user + nice + sys + irq over all cores, since boot */
  busyMs: number;
  /** this process, every thread, since it started */
  ownMs: number;
}

/** The machine's and this process's CPU time now. O(cores). */
export function cpuSample(): CpuSample {
  let busyMs = 0;
  for (const c of cpus()) busyMs += c.times.user + c.times.nice + c.times.sys + c.times.irq;
  const u = process.cpuUsage();
  return { atMs: performance.now(), busyMs, ownMs: (u.user + u.system) / 1000 };
}

/**
 * Cores other processes kept busy between two readings: (machine CPU − own CPU) / wall, never
 * below 0 (the two counters tick separately). Undefined when the window is shorter than
 * `minWindowMs`. O(1).
 *
 * @example othersBusyCores({ atMs: 0, busyMs: 1000, ownMs: 0 }, { atMs: 500, busyMs: 1600, ownMs: 500 }) // 0.2
 */
export function othersBusyCores(from: CpuSample, to: CpuSample, minWindowMs = 100): number | undefined {
  const wall = to.atMs - from.atMs;
  if (!(wall >= minWindowMs)) return undefined;
  const others = to.busyMs - from.busyMs - (to.ownMs - from.ownMs);
  return others > 0 ? others / wall : 0;
}

/** The reading taken when this module was first loaded (the CLI loads it first). */
const START = cpuSample();

/** Cores other processes kept busy since this module was loaded; undefined before `minWindowMs`. O(cores). */
export function othersBusyNow(minWindowMs = 100): number | undefined {
  return othersBusyCores(START, cpuSample(), minWindowMs);
}
