import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'

// One runner for every suite (unit, integration, browser): scripts/test.mjs reads its JSON
// report to print the single "N passed, N failed" line CI expects.
export default defineConfig({
  resolve: {
    // interface-blockstore-tests imports aegir's chai; aegir itself is not a dependency.
    alias: { 'aegir/chai': fileURLToPath(new URL('./test/helpers/aegir-chai.ts', import.meta.url)) },
  },
  test: {
    include: ['test/**/*.test.ts'],
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Integration and browser tests start real nodes and Chromium; two cores cannot run many at once.
    maxWorkers: 2,
    // Inlined so vitest transforms it and the alias above applies; Node would load it as is.
    server: { deps: { inline: ['interface-blockstore-tests'] } },
  },
})
