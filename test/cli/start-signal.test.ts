// `lineage-node start` signalled as soon as it announces itself (api.json says "starting", the
// node answering while the rest starts): it ends the start, undoes it, and exits 0 with the data
// dir free, as a supervisor stopping it early expects.
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { readApiFile } from '../../src-main/node/index.js'
import { TEST_NODE_ARGS } from '../helpers/node-config.js'
import { cliPath } from '../helpers/processes.js'
import { tempDir } from '../helpers/temp-dir.js'
import { waitFor } from '../helpers/wait-for.js'

describe('lineage-node start, signalled while starting', () => {
  it('exits 0 and leaves no api.json when SIGTERM comes as soon as api.json appears', async () => {
    const t = tempDir('lineage-start-signal-')
    try {
      const child = spawn(process.execPath, [cliPath, 'start', '--data-dir', t.dir, ...TEST_NODE_ARGS])
      let out = ''
      child.stdout.on('data', (d: Buffer) => { out += d.toString() })
      child.stderr.on('data', (d: Buffer) => { out += d.toString() })
      const exited = new Promise<number | null>(resolve => { child.on('exit', resolve) })
      // Checked often: the signal should land as soon as the node announces itself.
      await waitFor('api.json to appear', () => readApiFile(t.dir), { intervalMs: 2, detail: () => out })
      child.kill('SIGTERM')
      expect(await exited).toBe(0)
      // Stopped before it ran, or (on a fast machine) after: either way cleanly.
      expect(out).toMatch(/Stopped while starting\.|Stopping…/)
      expect(fs.existsSync(path.join(t.dir, 'api.json'))).toBe(false)
      // The data dir is free: the next start opens it.
      const again = spawn(process.execPath, [cliPath, 'start', '--data-dir', t.dir, ...TEST_NODE_ARGS])
      let againOut = ''
      again.stdout.on('data', (d: Buffer) => { againOut += d.toString() })
      const againExited = new Promise<number | null>(resolve => { again.on('exit', resolve) })
      await waitFor('the second start to run', () => againOut.includes('is running'), { intervalMs: 20, detail: () => againOut })
      again.kill('SIGTERM')
      expect(await againExited).toBe(0)
    } finally {
      t.cleanup()
    }
  }, 90_000)
})
