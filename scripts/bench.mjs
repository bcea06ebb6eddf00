#!/usr/bin/env node
// `npm run bench`: builds, then runs every bench/*.bench.ts (vitest.bench.config.ts), each of which
// prints a table comparing its cases with a named anchor measured in the same run.
import { spawnSync } from 'node:child_process'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const build = spawnSync(process.execPath, [path.join(root, 'scripts', 'build.mjs')], { cwd: root, stdio: 'inherit' })
if (build.status !== 0) process.exit(build.status ?? 1)
const bench = spawnSync(process.execPath, [path.join(root, 'node_modules', 'vitest', 'vitest.mjs'), 'bench', '--run', '--config', 'vitest.bench.config.ts', ...process.argv.slice(2)], { cwd: root, stdio: 'inherit' })
process.exit(bench.status ?? 1)
