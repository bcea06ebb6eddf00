import { defineConfig } from 'vitest/config'

// One runner for every suite (unit, integration, browser): scripts/test.mjs reads its JSON
// report to print the single "N passed, N failed" line CI expects.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Integration and browser tests start real nodes and Chromium; two cores cannot run many at once.
    maxWorkers: 2,
    benchmark: {
      include: ['bench/**/*.bench.ts'],
    },
  },
})
