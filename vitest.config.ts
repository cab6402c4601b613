import { relative } from 'node:path';
import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * The slowest files, slowest first (per-file durations of a whole run, vitest --reporter=json).
 * They start first so that the last file to finish is a short one and neither fork idles at
 * the end: vitest's own order puts files with no cached timing (a fresh CI machine) by size,
 * which started the browser test and plan's bundled sweep late.
 */
const SLOW_FIRST = [
  'test/report/browser.test.ts',
  'test/sim/engine.test.ts',
  'test/plan/plan.test.ts',
  'test/examples/examples.test.ts',
  'test/report/render.test.ts',
  'test/config/compare-apis.test.ts',
  'test/report/share.test.ts',
  'test/sim/property.test.ts',
  'test/hardening/hostile.test.ts',
  'test/cli/cli.test.ts',
  'test/hardening/fuzz.test.ts',
  'test/cli/interrupt.test.ts',
];

class SlowFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const rank = (f: TestSpecification) => {
      const i = SLOW_FIRST.indexOf(relative(f.project.config.root, f.moduleId).replace(/\\/g, '/'));
      return i < 0 ? SLOW_FIRST.length : i;
    };
    // a stable sort: the rest keep vitest's order
    return sorted.sort((a, b) => rank(a) - rank(b));
  }
}

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    setupFiles: ['test/setup.ts'],
    // simulates every bundled workload once, beside the test files; the example and browser
    // tests wait for the results they read
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // 2-core machines: two forks keep the suite fast without starving the browser test
    pool: 'forks',
    maxWorkers: 2,
    // each fork runs its files one after another in one process: a fresh process per file
    // loaded commander, zod, yaml, mathjs and vega again for each of ~65 files, about a third
    // of the suite's CPU seconds. Each file still re-runs its own module body and setupFiles;
    // no test may rely on a fresh process (none mocks modules or changes process.env).
    isolate: false,
    sequence: { sequencer: SlowFirstSequencer },
  },
});
