// The serving side of a collection copy, with a real export function writing a real file: one
// export at a time, and a bounded number of opens per asking peer.
import fs from 'node:fs'
import os from 'node:os'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { COPY_OPEN_WINDOW_MS, MAX_COPY_OPENS_PER_PEER } from '../../src-main/fluence/constants.js'
import { CopySessions } from '../../src-main/fluence/copy.js'
import { PEER_INTERNAL_ERROR } from '../../src-main/fluence/peer-errors.js'

const COLLECTION = { chain_id: '1', token_address: '0x4444444444444444444444444444444444444444' }

describe('collection copy sessions', () => {
  afterEach(() => { vi.useRealTimers() })

  const sessions = (hold?: Promise<void>): { copies: CopySessions, exports: () => number } => {
    let exports = 0
    const copies = new CopySessions(async ({ path }) => {
      exports++
      await hold
      fs.writeFileSync(path, new Uint8Array(1000).fill(7))
      return { roots: ['bafyroot'] }
    })
    return { copies, exports: () => exports }
  }

  it('refuses a peer past its opens per window, saying how long to wait, and lets other peers in', async () => {
    vi.useFakeTimers({ toFake: ['Date'] })
    const { copies, exports } = sessions()
    for (let i = 0; i < MAX_COPY_OPENS_PER_PEER; i++) expect((await copies.open(COLLECTION, { initPeerId: 'peer-a' })).error).toBe('')
    const refused = await copies.open(COLLECTION, { initPeerId: 'peer-a' })
    expect(refused).toMatchObject({ session: '', bytes: 0 })
    expect(refused.error).toMatch(/^CopySessionError: peer peer-a asked for 4 copies in the last 60 s; try again in 60 s$/)
    expect(exports()).toBe(MAX_COPY_OPENS_PER_PEER)

    const other = await copies.open(COLLECTION, { initPeerId: 'peer-b' })
    expect(other).toMatchObject({ error: '', bytes: 1000, chunks: 1, roots: ['bafyroot'] })

    vi.setSystemTime(Date.now() + COPY_OPEN_WINDOW_MS)
    expect((await copies.open(COLLECTION, { initPeerId: 'peer-a' })).error).toBe('')
  })

  it('runs one export at a time: an open while another is being prepared is refused, not queued', async () => {
    let release = (): void => {}
    const hold = new Promise<void>(resolve => { release = resolve })
    const { copies, exports } = sessions(hold)
    const first = copies.open(COLLECTION, { initPeerId: 'peer-a' })
    const second = await copies.open(COLLECTION, { initPeerId: 'peer-b' })
    expect(second.error).toBe('CopySessionError: this node is preparing another copy; try again in a few seconds')
    release()
    const opened = await first
    expect(opened.error).toBe('')
    expect(copies.chunk({ session: opened.session, index: 0 })).toMatchObject({ error: '', data: Buffer.from(new Uint8Array(1000).fill(7)).toString('base64') })
    expect(exports()).toBe(1)
    expect((await copies.open(COLLECTION, { initPeerId: 'peer-b' })).error).toBe('')
  })

  it('tells the asking peer why an export failed without this machine\'s paths, and a bug only as an internal error', async () => {
    const failing = (err: Error): CopySessions => new CopySessions(async () => { throw err })
    const named = Object.assign(new Error(`path: ${os.tmpdir()}/lineage-copy-x/collection.car cannot be written\n    at write (/opt/lineage/dist/x.js:1:2)`), { name: 'ExportPathError' })
    expect((await failing(named).open(COLLECTION, { initPeerId: 'peer-c' })).error).toBe('ExportPathError: path: …/lineage-copy-x/collection.car cannot be written')
    expect((await failing(new TypeError("Cannot read properties of undefined (reading 'x')")).open(COLLECTION, { initPeerId: 'peer-d' })).error).toBe(PEER_INTERNAL_ERROR)
    expect((await failing(Object.assign(new Error(`ENOSPC: no space left on device, write '${os.tmpdir()}/x'`), { name: 'SystemError', code: 'ENOSPC' })).open(COLLECTION, { initPeerId: 'peer-e' })).error).toBe(PEER_INTERNAL_ERROR)
  })
})

