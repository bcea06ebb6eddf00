import { defineConfig } from 'vitest/config'

// `npm run bench`: vitest's benchmark project over bench/*.bench.ts. Each file compares its cases
// with a named anchor measured in the same run. One file at a time, so benchmarks never compete
// with each other for the two cores.
export default defineConfig({
  test: {
    benchmark: { include: ['bench/**/*.bench.ts'] },
    pool: 'forks',
    fileParallelism: false,
    testTimeout: 600_000,
    hookTimeout: 600_000,
  },
})
