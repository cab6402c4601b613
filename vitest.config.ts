import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    setupFiles: ['test/setup.ts'],
    // simulates every bundled workload once; the example and browser tests share the results
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // 2-core machines: two forks keep the suite fast without starving the browser test
    pool: 'forks',
    maxWorkers: 2,
  },
});
