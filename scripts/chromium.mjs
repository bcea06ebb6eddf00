// Finds Debian's Chromium for the browser tests, installing it with apt when missing and we are
// root (as in CI). Never downloads a browser build of its own: only the OS package is trusted here.
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome']

export function findChromium () {
  const fromEnv = process.env.LINEAGE_CHROMIUM
  if (fromEnv && fs.existsSync(fromEnv)) return fromEnv
  return CANDIDATES.find(p => fs.existsSync(p))
}

export function ensureChromium () {
  const found = findChromium()
  if (found) return found
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0
  const hasApt = spawnSync('sh', ['-c', 'command -v apt-get'], { stdio: 'ignore' }).status === 0
  if (!isRoot || !hasApt) {
    throw new Error('The browser tests need Chromium and none was found. Install it (Debian/Ubuntu: sudo apt-get install -y chromium) or set LINEAGE_CHROMIUM to its path.')
  }
  console.log('test: installing Chromium with apt-get (once per machine, about a minute)…')
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }
  for (const args of [['update', '-qq'], ['install', '-y', '-qq', '--no-install-recommends', 'chromium']]) {
    const result = spawnSync('apt-get', args, { stdio: ['ignore', 'ignore', 'inherit'], env })
    if (result.status !== 0) throw new Error(`apt-get ${args.join(' ')} failed with exit code ${result.status}`)
  }
  const installed = findChromium()
  if (!installed) throw new Error('apt-get installed chromium, but no Chromium binary was found afterwards.')
  return installed
}
