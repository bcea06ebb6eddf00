#!/usr/bin/env node
// `npm run soak`: the full leak soak, 100,000 particles through a running node (a few minutes).
// `npm test` runs the same test with fewer particles; see test/fluence/soak.test.ts.
import { spawnSync } from 'node:child_process'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const particles = process.argv[2] ?? '100000'
const result = spawnSync(process.execPath, [path.join(root, 'node_modules', 'vitest', 'vitest.mjs'), 'run', 'test/fluence/soak.test.ts'], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, LINEAGE_SOAK_PARTICLES: particles },
})
process.exitCode = result.status ?? 1
