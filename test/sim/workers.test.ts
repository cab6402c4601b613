/**
 * The worker count: chosen from the work and the machine, forced by a number, never changing
 * the result. Hand-worked cases (work = trials × hours × (options + API); threshold
 * DEFAULTS.parallelMinWork = 150 M; cap = ⌈trials / 1,000⌉ threads).
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { fileURLToPath } from 'node:url';
import { readdirSync } from 'node:fs';
import { chooseWorkers, planWork, runEngine, spareCores, AbortedError } from '../../src/sim/engine.js';
import { startTrialHelpers, workloadSize, SIZE_HOURS_PER_MONTH, type TrialHelpers } from '../../src/sim/threads.js';
import { compilePlan } from '../../src/sim/plan.js';
import { simulate } from '../../src/sim/index.js';
import { loadWorkload } from '../../src/config/index.js';
import { HOURS_PER_MONTH } from '../../src/traffic/index.js';
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

describe('helpers started ahead (the CLI starts them once the workload is loaded)', () => {
  const dir = fileURLToPath(new URL('../../workloads/', import.meta.url));

  it('the size read from a loaded workload is its compiled plan\'s, for every bundled workload', () => {
    expect(SIZE_HOURS_PER_MONTH).toBe(HOURS_PER_MONTH);
    const files = readdirSync(dir).filter((f) => f.endsWith('.yaml'));
    expect(files.length).toBeGreaterThan(10);
    for (const f of files) {
      const loaded = loadWorkload(`${dir}${f}`);
      const plan = compilePlan(loaded, { trials: 7 });
      const early = workloadSize(7, loaded.workload.horizon_months, loaded.options);
      expect([early.trials, early.hours, early.options.length], f).toEqual([plan.trials, plan.hours, plan.options.length]);
      // so, on one reading of the machine, the CLI starts the helpers the engine then takes
      for (const machine of [quiet2, { cores: 8, load: 1 }]) expect(chooseWorkers(early, 'auto', machine), f).toBe(chooseWorkers(plan, 'auto', machine));
    }
  });

  it('the engine posts its job to a waiting helper instead of starting a thread, and gives the bytes of one thread', async () => {
    const file = loadWorkload(`${dir}support-bot.yaml`);
    file.workload.horizon_months = 1;
    const one = await simulate(file, { trials: 1200, seed: 5, workers: 1 });
    const helpers = await startTrialHelpers(1);
    let taken = 0;
    const counting: TrialHelpers = {
      take: () => {
        const w = helpers.take();
        if (w) taken++;
        return w;
      },
      close: () => helpers.close(),
    };
    try {
      const two = await simulate(file, { trials: 1200, seed: 5, workers: 2, helpers: counting });
      expect(taken).toBe(1);
      expect(JSON.stringify(two.result)).toBe(JSON.stringify(one.result));
    } finally {
      await helpers.close();
    }
  });

  it('helpers nobody takes are stopped by close() (idempotent)', async () => {
    const spare = await startTrialHelpers(1);
    await spare.close();
    await spare.close();
    expect(spare.take()).toBeUndefined();
  });
});
