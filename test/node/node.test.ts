import fs from 'node:fs'
import { LATEST_SCHEMA_VERSION } from '../../src-main/store/index.js'
import net from 'node:net'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { API_FILE, IDENTITY_FILE, createLineageNode, readApiFile, readApiToken } from '../../src-main/node/index.js'
import type { LineageNode } from '../../src-main/node/index.js'
import { testLogger } from '../helpers/logger.js'
import { testNodeConfig } from '../helpers/node-config.js'
import { tempDir } from '../helpers/temp-dir.js'

describe('LineageNode', () => {
  const nodes: LineageNode[] = []
  const cleanups: Array<() => void> = []
  afterEach(async () => {
    for (const n of nodes.splice(0)) await n.stop().catch(() => {})
    for (const c of cleanups.splice(0)) c()
  })
  const make = (dataDir: string, rpcPort = 0): LineageNode => {
    const node = createLineageNode(testNodeConfig(dataDir, { rpcPort }), { logger: testLogger })
    nodes.push(node)
    return node
  }
  const dir = (): string => { const t = tempDir(); cleanups.push(t.cleanup); return t.dir }

  it('moves stopped → running → stopped, announcing its API while running', async () => {
    const d = dir()
    const node = make(d)
    expect(node.status().state).toBe('stopped')
    await node.start()
    const status = node.status()
    expect(status.state).toBe('running')
    expect(status.peerId).toMatch(/^12D3KooW/)
    expect(status.apiUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    expect(status.schemaVersion).toBe(LATEST_SCHEMA_VERSION)
    expect(readApiFile(d)).toEqual({ url: status.apiUrl, peerId: status.peerId, pid: process.pid, state: 'running' })

    await node.start() // idempotent
    // From the first step of a clean stop the file says so; it goes once the stop is done.
    const stopping = node.stop()
    expect(readApiFile(d)).toEqual({ url: status.apiUrl, peerId: status.peerId, pid: process.pid, state: 'stopping' })
    await stopping
    expect(node.status().state).toBe('stopped')
    expect(fs.existsSync(path.join(d, API_FILE))).toBe(false)
    await node.stop() // idempotent
  })

  it('clears an api file a killed node left behind once it holds the data dir', async () => {
    const d = dir()
    fs.writeFileSync(path.join(d, API_FILE), JSON.stringify({ url: 'http://127.0.0.1:1', peerId: '12D3KooWgone', pid: 2 ** 22 + 1, state: 'running' }))
    const node = make(d)
    await node.start()
    expect(readApiFile(d)).toMatchObject({ peerId: node.peerId, pid: process.pid, state: 'running' })
    await node.stop()
    expect(fs.existsSync(path.join(d, API_FILE))).toBe(false)
  })

  it('keeps its peer id across restarts', async () => {
    const d = dir()
    const node = make(d)
    await node.start()
    const peerId = node.peerId
    await node.stop()
    await node.start()
    expect(node.peerId).toBe(peerId)
  })

  it('picks a free port when the preferred one is busy, and reports it', async () => {
    const blocker = net.createServer()
    await new Promise<void>(resolve => blocker.listen(0, '127.0.0.1', resolve))
    const busyPort = (blocker.address() as net.AddressInfo).port
    try {
      const node = make(dir(), busyPort)
      await node.start()
      const status = node.status()
      expect(status.apiPortWasBusy).toBe(true)
      expect(status.apiUrl).not.toBe(`http://127.0.0.1:${busyPort}`)
      const response = await fetch(`${status.apiUrl ?? ''}/rpc`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${readApiToken(node.config.dataDir) ?? ''}` }, body: '{"jsonrpc":"2.0","id":1,"method":"node_info"}' })
      expect(((await response.json()) as { result: { peer_id: string } }).result.peer_id).toBe(status.peerId)
    } finally {
      blocker.close()
    }
  })

  it('refuses a second node on the same data dir and leaves the first untouched', async () => {
    const d = dir()
    const first = make(d)
    await first.start()
    const second = make(d)
    await expect(second.start()).rejects.toMatchObject({ name: 'StoreLockedError' })
    expect(second.status().state).toBe('stopped')
    expect(readApiFile(d)?.peerId).toBe(first.peerId)
    expect(first.status().state).toBe('running')
  })

  it('undoes what it started when a later step fails: the lock is released', async () => {
    const d = dir()
    fs.writeFileSync(path.join(d, IDENTITY_FILE), 'not a key')
    const node = make(d)
    await expect(node.start()).rejects.toMatchObject({ name: 'IdentityError' })
    expect(node.status().state).toBe('stopped')
    // The store was opened before the identity failed; if it were still locked this would throw.
    fs.rmSync(path.join(d, IDENTITY_FILE))
    await node.start()
    expect(node.status().state).toBe('running')
  })
})
