import { spawn } from 'node:child_process'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { repoRoot } from '../helpers/processes.js'
import { tempDir } from '../helpers/temp-dir.js'
import { TEST_NODE_ARGS } from '../helpers/node-config.js'

describe('npm start', () => {
  const cleanups: Array<() => void> = []
  afterEach(() => { for (const c of cleanups.splice(0)) c() })

  // These machines cannot download Electron's binary, which is the case this test pins down:
  // one line saying so, then the headless node with its UI URL, and the UI answering there.
  it('falls back to the headless node in one line when Electron cannot run, and serves the UI', async () => {
    const t = tempDir()
    cleanups.push(t.cleanup)
    const child = spawn(process.execPath, [path.join(repoRoot, 'scripts', 'start.mjs'), '--data-dir', t.dir, ...TEST_NODE_ARGS], { cwd: repoRoot })
    let out = ''
    child.stdout.on('data', (d: Buffer) => { out += d.toString() })
    child.stderr.on('data', (d: Buffer) => { out += d.toString() })
    const exited = new Promise<number | null>(resolve => { child.on('exit', resolve) })
    try {
      const uiUrl = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => { reject(new Error(`no UI URL within 60 s:\n${out}`)) }, 60_000)
        child.stdout.on('data', () => {
          const match = /UI: +(\S+)/.exec(out)
          if (match?.[1] !== undefined) { clearTimeout(timer); resolve(match[1]) }
        })
      })
      const lines = out.trim().split('\n')
      expect(lines[0]).toMatch(/^Electron's runtime is not available here \(.+\); starting the headless node instead\./)
      expect(out).not.toMatch(/TypeError|at .*\.js:\d+/)
      const page = await fetch(uiUrl)
      expect(page.status).toBe(200)
      expect(await page.text()).toContain('<title>Lineage Desktop</title>')
    } finally {
      child.kill('SIGTERM')
      await exited
    }
  })
})
