/**
 * The worker count: chosen from the work and the machine, forced by a number, never changing
 * the result. Hand-worked cases (work = trials × hours × (options + API); threshold
 * DEFAULTS.parallelMinWork = 150 M; cap = ⌈trials / 1,000⌉ threads).
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { fileURLToPath } from 'node:url';
import { chooseWorkers, planWork, runEngine, spareCores, AbortedError } from '../../src/sim/engine.js';
import { compilePlan } from '../../src/sim/plan.js';
import { loadWorkload } from '../../src/config/index.js';
import { DEFAULTS } from '../../src/defaults.js';

/** A plan's size only: what chooseWorkers reads. */
const size = (trials: number, hours: number, options: number) => ({ trials, hours, options: Array.from({ length: options }, () => ({})) as never[] });
const quiet2 = { cores: 2, load: 0.3 };

describe('chooseWorkers', () => {
  it('measures work in trial-hours × (options + the API baseline)', () => {
    // 2,000 × 8,760 × (4 + 1) = 87,600,000 (the default scenario)
    expect(planWork(size(2000, 8760, 4))).toBe(87_600_000);
  });

  it('keeps small runs on one thread however idle the machine', () => {
    // 2,000 × 8,760 × 5 = 87.6 M < 150 M (the default scenario)
    expect(DEFAULTS.parallelMinWork).toBe(150e6);
    expect(chooseWorkers(size(2000, 8760, 4), 'auto', { cores: 16, load: 0 })).toBe(1);
    // 3,424 × 8,760 × 5 = 149.97 M < 150 M; 3,425 trials: 150.015 M, two threads
    expect(chooseWorkers(size(3424, 8760, 4), 'auto', quiet2)).toBe(1);
    expect(chooseWorkers(size(3425, 8760, 4), 'auto', quiet2)).toBe(2);
  });

  it('uses the idle cores for large runs: ⌈cores − load⌉, at most one per chunk', () => {
    // 4,000 × 8,760 × 5 = 175.2 M ≥ 150 M; 2 cores at load 0.3: ⌈1.7⌉ = 2; cap ⌈4,000 / 1,000⌉ = 4
    expect(chooseWorkers(size(4000, 8760, 4), 'auto', quiet2)).toBe(2);
    // 16 idle cores but only 4 chunks of 1,000 trials
    expect(chooseWorkers(size(4000, 8760, 4), 'auto', { cores: 16, load: 0 })).toBe(4);
    // 10,000 trials (10 chunks) on 8 cores at load 2.5: ⌈5.5⌉ = 6
    expect(chooseWorkers(size(10000, 8760, 3), 'auto', { cores: 8, load: 2.5 })).toBe(6);
  });

  it('stays on one thread when every core is busy (a helper would get no core of its own)', () => {
    expect(chooseWorkers(size(10000, 8760, 3), 'auto', { cores: 2, load: 1.2 })).toBe(1); // ⌈0.8⌉ = 1
    expect(chooseWorkers(size(10000, 8760, 3), 'auto', { cores: 2, load: 14 })).toBe(1);
  });

  it('a number forces the count (capped at one thread per chunk); none means one', () => {
    expect(chooseWorkers(size(2500, 8760, 3), 4, { cores: 1, load: 9 })).toBe(3); // ⌈2,500 / 1,000⌉
    expect(chooseWorkers(size(50, 24, 1), 2, quiet2)).toBe(1);
    expect(chooseWorkers(size(100000, 8760, 3), 7, quiet2)).toBe(7);
    expect(chooseWorkers(size(100000, 8760, 3), undefined, quiet2)).toBe(1);
  });

  it('always picks between 1 and the cores', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2_000_000 }), fc.integer({ min: 1, max: 87_600 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 64 }), fc.double({ min: 0, max: 100, noNaN: true }), (t, h, o, cores, load) => {
          const n = chooseWorkers(size(t, h, o), 'auto', { cores, load });
          return Number.isInteger(n) && n >= 1 && n <= cores && n <= Math.ceil(t / DEFAULTS.chunkTrials);
        },
      ),
    );
  });
});

describe('spareCores: the idle cores left beside the trial threads', () => {
  it('is ⌈cores − load⌉ − threads, never below 0', () => {
    expect(spareCores(1, quiet2)).toBe(1); // ⌈1.7⌉ − 1
    expect(spareCores(2, quiet2)).toBe(0);
    expect(spareCores(1, { cores: 2, load: 1.2 })).toBe(0); // ⌈0.8⌉ − 1
    expect(spareCores(3, { cores: 8, load: 2.5 })).toBe(3); // ⌈5.5⌉ − 3
    expect(spareCores(4, { cores: 2, load: 0 })).toBe(0); // forced past the cores
  });

  it('the engine tells its caller the threads it chose and the cores left idle, before the first trial', async () => {
    const plan = compilePlan(loadWorkload(fileURLToPath(new URL('../../workloads/support-bot.yaml', import.meta.url))), { trials: 20, seed: 3 });
    const seen: [number, number, number][] = [];
    let done = 0;
    await runEngine(plan, { workers: 'auto', machine: quiet2, onProgress: (d) => (done = d), onThreads: (t, s) => seen.push([t, s, done]) });
    // 20 trials are far below the threshold: one thread, one core spare, told once before any trial ran
    expect(seen).toEqual([[1, 1, 0]]);
  });
});

// byte-identical results for 1, 2 and 4 threads (this thread plus helpers): test/sim/engine.test.ts
describe('this thread runs trials beside its helpers', () => {
  const file = loadWorkload(fileURLToPath(new URL('../../workloads/support-bot.yaml', import.meta.url)));

  it('stops with AbortedError when the signal fires mid-run, helpers included', async () => {
    const plan = compilePlan(file, { trials: 1500, seed: 3 });
    const controller = new AbortController();
    const run = runEngine(plan, { workers: 2, signal: controller.signal, onProgress: () => controller.abort() });
    await expect(run).rejects.toBeInstanceOf(AbortedError);
  });
});
