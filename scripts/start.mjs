#!/usr/bin/env node
// `npm start`: the desktop app when Electron's runtime can be had, otherwise the same node
// headless with its UI in the browser. Builds first if the build is missing.
import { spawn, spawnSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
/** Electron's first start downloads about 100 MB; give a slow line that long, no longer. */
const ELECTRON_PROBE_TIMEOUT_MS = 5 * 60_000
const mainEntry = path.join(root, 'dist', 'src-main', 'electron', 'main.js')

if (!fs.existsSync(mainEntry) || !fs.existsSync(path.join(root, 'dist', 'renderer', 'index.html'))) {
  const build = spawnSync(process.execPath, [path.join(root, 'scripts', 'build.mjs')], { cwd: root, stdio: 'inherit' })
  if (build.status !== 0) process.exit(build.status ?? 1)
}

/**
 * The Electron binary's path, or why there is none. The electron package downloads its binary on
 * first use; that runs in a child whose noise (stack traces when the download is refused) is
 * kept out of the user's terminal.
 */
function electronBinary () {
  const probe = spawnSync(process.execPath, ['-e', "process.stdout.write(require('electron'))"], {
    cwd: root,
    encoding: 'utf8',
    timeout: ELECTRON_PROBE_TIMEOUT_MS,
  })
  const binary = probe.status === 0 ? probe.stdout.trim() : ''
  if (binary !== '' && fs.existsSync(binary)) return { binary }
  if (probe.error?.code === 'ETIMEDOUT') return { reason: 'downloading it took too long' }
  return { reason: 'its binary is not installed and could not be downloaded' }
}

function startHeadless (why) {
  console.log(`Electron's runtime is not available here (${why}); starting the headless node instead. Open the UI URL below in your browser.`)
  const cli = spawn(process.execPath, [path.join(root, 'bin', 'lineage-node.js'), 'start', ...process.argv.slice(2)], { cwd: root, stdio: 'inherit' })
  const forward = signal => { cli.kill(signal) }
  process.on('SIGINT', forward)
  process.on('SIGTERM', forward)
  cli.on('exit', code => { process.exit(code ?? 0) })
}

const electron = electronBinary()
if (electron.binary === undefined) {
  startHeadless(electron.reason)
} else {
  const app = spawn(electron.binary, [root, ...process.argv.slice(2)], { cwd: root, stdio: 'inherit' })
  app.on('error', err => { startHeadless(`it could not be launched: ${err.message}`) })
  app.on('exit', (code, signal) => {
    // Electron that cannot open a display exits at once; fall back rather than leave the user with nothing.
    if (code !== 0 && signal === null && code !== null) startHeadless(`it exited with code ${code}`)
    else process.exit(code ?? 0)
  })
}
