import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
// @ts-expect-error -- a plain .mjs script without type declarations
import { installNote, npmNodeVersion } from '../../scripts/install-note.mjs'
import { repoRoot } from '../helpers/processes.js'
import { tempDir } from '../helpers/temp-dir.js'

type Note = { level: 'info' | 'error', text: string } | null
const note = installNote as (input: { userAgent?: string, lifecycle?: string, runningNode: string, root: string }) => Note

/**
 * The environment a person's shell gives npm: no node_modules/.bin on the PATH (vitest runs under
 * npx, which puts the project's Node 22 first) and none of the npm_* variables npx set.
 */
const shellEnv = Object.fromEntries(Object.entries(process.env)
  .filter(([name]) => !name.toLowerCase().startsWith('npm_'))
  .map(([name, value]) => [name, name === 'PATH' ? (value ?? '').split(path.delimiter).filter(dir => !dir.includes('node_modules')).join(path.delimiter) : value]))
const npm = spawnSync('npm', ['--version'], { encoding: 'utf8', env: shellEnv })
/** The Node the system's npm runs on (its `#!/usr/bin/env node` finds the first on the PATH). */
const npmNode = /^v(\d+)/.exec(spawnSync('node', ['--version'], { encoding: 'utf8', env: shellEnv }).stdout ?? '')?.[1] ?? ''

/** `npm ci --dry-run` in a copy of the project: what npm prints while it plans the install (nothing downloaded, no scripts). */
function dryRun (withNpmrc: boolean): { status: number | null, output: string } {
  const t = tempDir()
  try {
    for (const file of ['package.json', 'package-lock.json', ...(withNpmrc ? ['.npmrc'] : [])]) fs.copyFileSync(path.join(repoRoot, file), path.join(t.dir, file))
    const result = spawnSync('npm', ['ci', '--dry-run', '--offline', '--ignore-scripts'], { cwd: t.dir, encoding: 'utf8', env: shellEnv })
    return { status: result.status, output: `${result.stdout}${result.stderr}` }
  } finally {
    t.cleanup()
  }
}

describe('npm install says only what matters', () => {
  it('reads the Node npm runs on from its user agent', () => {
    expect(npmNodeVersion('npm/11.19.1 node/v20.20.2 linux x64 workspaces/false')).toBe('20.20.2')
    expect(npmNodeVersion('yarn/1.22 npm/? node/v22.23.3 linux x64')).toBe('22.23.3')
    expect(npmNodeVersion(undefined)).toBeNull()
  })

  it('says one line when npm runs on an older Node, nothing when it runs on Node 22, and an error when the project\'s Node is missing', () => {
    const older = note({ userAgent: 'npm/11.19.1 node/v20.20.2 linux x64', lifecycle: 'prepare', runningNode: process.versions.node, root: repoRoot })
    expect(older).toEqual({ level: 'info', text: `install: npm runs on Node 20.20.2; Lineage runs on the Node ${process.versions.node} it installed (node_modules/.bin/node), so npm's "Unsupported engine" warnings were hidden (.npmrc). Nothing to do.` })
    expect(note({ userAgent: 'npm/11.19.1 node/v22.23.3 linux x64', lifecycle: 'prepare', runningNode: '22.23.3', root: repoRoot })).toBeNull()
    // `npm run build` by hand is not an install: nothing to say.
    expect(note({ userAgent: 'npm/11.19.1 node/v20.20.2 linux x64', lifecycle: 'build', runningNode: '22.23.3', root: repoRoot })).toBeNull()
    const t = tempDir()
    try {
      expect(note({ userAgent: 'npm/11.19.1 node/v20.20.2 linux x64', lifecycle: 'prepare', runningNode: '20.20.2', root: t.dir })?.level).toBe('error')
    } finally {
      t.cleanup()
    }
  })

  it.skipIf(npm.status !== 0)('plans the whole install with no EBADENGINE warning and exit 0, with the project\'s .npmrc', () => {
    const quiet = dryRun(true)
    expect(quiet.status).toBe(0)
    expect(quiet.output).not.toContain('EBADENGINE')
    expect(quiet.output).not.toMatch(/^npm warn/m)
    // Without it, an npm on an older Node prints the wall this file exists for.
    if (npmNode !== '' && Number(npmNode) < 22) {
      const loud = dryRun(false)
      expect(loud.status).toBe(0)
      expect(loud.output.match(/EBADENGINE Unsupported engine/g)?.length).toBeGreaterThan(10)
    }
  }, 120_000)
})
