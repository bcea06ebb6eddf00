import { spawn } from 'node:child_process'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { createStore } from '../../src-main/store/index.js'
import { testLog } from '../helpers/logger.js'
import { repoRoot } from '../helpers/processes.js'
import { tempDir } from '../helpers/temp-dir.js'

/** A child that opens the built store, acknowledges writes on stdout, then waits to be killed. */
const CHILD = `
const { createStore } = await import(${JSON.stringify(path.join(repoRoot, 'dist', 'src-main', 'store', 'index.js'))})
const log = Object.assign(() => {}, { error () {}, trace () {}, enabled: false })
const store = createStore({ log }, { dataDir: process.argv[1] })
store.start()
for (let i = 0; ; i++) {
  store.setSetting('counter', String(i))
  process.stdout.write('ack ' + i + '\\n')
  if (i >= 200) break
}
setInterval(() => {}, 1000)
`

describe('store crash safety', () => {
  const cleanups: Array<() => void> = []
  afterEach(() => { for (const c of cleanups.splice(0)) c() })

  it('after kill -9 the next open succeeds, the file is sound and every acknowledged write is there', async () => {
    const t = tempDir()
    cleanups.push(t.cleanup)
    const child = spawn(process.execPath, ['--input-type=module', '-e', CHILD, t.dir])
    let out = ''
    child.stdout.on('data', (d: Buffer) => { out += d.toString() })
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', () => { if (out.includes('ack 200\n')) resolve() })
      child.on('exit', code => { reject(new Error(`child exited early (${String(code)}): ${out}`)) })
    })

    // While the child holds it, the database is locked.
    const blocked = createStore({ log: testLog }, { dataDir: t.dir })
    // An import with no node running holds it the same way: the message names both.
    expect(() => { blocked.start() }).toThrowError(expect.objectContaining({ name: 'StoreLockedError', message: expect.stringContaining('A Lineage node or import is already running with this data') }))

    child.kill('SIGKILL')
    await new Promise(resolve => child.on('exit', resolve))

    const store = createStore({ log: testLog }, { dataDir: t.dir })
    store.start()
    expect(store.integrityCheck()).toBe('ok')
    expect(store.getSetting('counter')).toBe('200')
    store.stop()
  })
})
