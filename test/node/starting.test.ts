// The node while it starts (issue 17, start time): the API socket listens right after the store
// and identity; node_info answers "starting" and the gateway serves kept documents while the
// other parts start; every other call waits and is answered once the node runs; a stop or a
// failure during the start undoes it and tells the waiting callers why. The start is held at
// its `whileStarting` step, so each fact is an ordering, not a timing.
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { createLineageNode, readApiFile, readApiToken } from '../../src-main/node/index.js'
import type { LineageNode } from '../../src-main/node/index.js'
import { RPC_ERROR_CODES } from '../../src-main/api/index.js'
import { testLogger } from '../helpers/logger.js'
import { testNodeConfig } from '../helpers/node-config.js'
import { postRpc } from '../helpers/rpc.js'
import { tempDir } from '../helpers/temp-dir.js'

const COLLECTION = { chain_id: '1', token_address: '0xBC4CA0EdA7647A8aB7C2061c2E118A18a936f13D' }
const PASSPHRASE = 'correct horse battery'

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON answers, checked by the assertions
interface Reply { result?: any, error?: { code: number, message: string, data?: { name?: string } } }

const holding = new Set<{ node: LineageNode, release: () => void }>()

/** A start held at `whileStarting` until `release` (or `fail`) is called. */
function heldStart (dataDir: string): { node: LineageNode, started: Promise<void>, listening: Promise<void>, release: () => void, fail: (err: Error) => void } {
  let release = (): void => {}
  let fail = (_err: Error): void => {}
  let listening = (): void => {}
  const atGate = new Promise<void>(resolve => { listening = resolve })
  const node = createLineageNode(testNodeConfig(dataDir, { offline: true }), {
    logger: testLogger,
    whileStarting: async () => {
      listening()
      await new Promise<void>((resolve, reject) => { release = resolve; fail = reject })
    },
  })
  const started = node.start()
  started.catch(() => {})
  const held = { node, started, listening: atGate, release: () => { release() }, fail: (err: Error) => { fail(err) } }
  holding.add(held)
  return held
}

async function call (base: string, token: string, method: string, params: unknown = []): Promise<Reply> {
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${token}` }
  return (await postRpc(`${base}/rpc`, JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }), headers)).json as Reply
}

/** A held start with a call that waits for the running node; node_info answering after it shows the socket read it. */
async function heldWithWaitingCall (dataDir: string): Promise<{ held: ReturnType<typeof heldStart>, base: string, waiting: Promise<Reply> }> {
  const held = heldStart(dataDir)
  await held.listening
  const base = held.node.status().apiUrl ?? ''
  const token = readApiToken(dataDir) ?? ''
  const waiting = call(base, token, 'list_collections')
  expect((await call(base, token, 'node_info')).result.state).toBe('starting')
  return { held, base, waiting }
}

describe('a node while it starts', () => {
  const t = tempDir('lineage-starting-')
  let keptJson = ''
  const address = COLLECTION.token_address.toLowerCase()

  // A node that ran once: token 7 has a kept document, token 8 none (written, then its document dropped).
  beforeAll(async () => {
    const node = createLineageNode(testNodeConfig(t.dir, { offline: true }), { logger: testLogger })
    await node.start()
    const base = node.status().apiUrl ?? ''
    const token = readApiToken(t.dir) ?? ''
    expect((await call(base, token, 'keys_new', ['studio', 'ed25519', PASSPHRASE])).error).toBeUndefined()
    await call(base, token, 'sign_and_publish', ['studio', PASSPHRASE, { method: 'contract', ...COLLECTION, token_id: '', meta_contract_id: 'erc721' }])
    await node.lineage.settled()
    for (const id of ['7', '8']) {
      await call(base, token, 'sign_and_publish', ['studio', PASSPHRASE, { method: 'metadata', ...COLLECTION, token_id: id, meta_contract_id: 'erc721', data: JSON.stringify({ name: `Token ${id}` }) }])
    }
    await node.lineage.settled()
    const response = await fetch(`${base}/metadata/1/${address}/7`)
    keptJson = await response.text()
    expect(response.status).toBe(200)
    await node.api.gatewaySettled()
    node.store.db.prepare('DELETE FROM token_documents WHERE token_id = ?').run('8')
    await node.stop()
  }, 60_000)
  afterAll(() => { t.cleanup() })
  // A failed assertion must not leave a start held: the next test could not open the data dir.
  afterEach(async () => {
    for (const { node, release } of holding) {
      const stopped = node.stop().catch(() => {})
      release()
      await stopped
    }
    holding.clear()
  })

  it('answers node_info as "starting" and kept documents, and holds other calls until it runs', async () => {
    const held = heldStart(t.dir)
    await held.listening
    const base = held.node.status().apiUrl ?? ''
    const token = readApiToken(t.dir) ?? ''
    expect(base).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    expect(readApiFile(t.dir)).toMatchObject({ url: base, state: 'starting', pid: process.pid })

    const info = await call(base, token, 'node_info')
    expect(info.result).toMatchObject({ state: 'starting', peer_id: held.node.peerId, api_url: base, p2p: null, fluence: null })
    expect(info.result.stats).toMatchObject({ collections: 1, tokens: 2 })
    // node_info needs the token, as it does once the node runs.
    expect((await postRpc(`${base}/rpc`, JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'node_info' }))).json).toMatchObject({ error: { code: RPC_ERROR_CODES.Unauthorized } })

    const kept = await fetch(`${base}/metadata/1/${address}/7`)
    expect(kept.status).toBe(200)
    expect(await kept.text()).toBe(keptJson)
    const etag = kept.headers.get('etag') ?? ''
    expect(etag).toMatch(/^"[0-9a-f]{32}"$/)
    expect((await fetch(`${base}/metadata/1/${address}/7`, { headers: { 'if-none-match': etag } })).status).toBe(304)

    // Token 8 has no kept document and a write needs the engine: both wait for the running node.
    const order: string[] = []
    const unkept = fetch(`${base}/metadata/1/${address}/8`).then(async r => { order.push('gateway'); return { status: r.status, json: await r.json() as { name?: string } } })
    const listed = call(base, token, 'list_tokens', [COLLECTION]).then(r => { order.push('list_tokens'); return r })
    // node_info still answers meanwhile, after both were sent.
    expect((await call(base, token, 'node_info')).result.state).toBe('starting')
    order.push('released')
    held.release()
    await held.started
    expect(await unkept).toEqual({ status: 200, json: { name: 'Token 8' } })
    const tokens = await listed
    expect(tokens.error).toBeUndefined()
    expect(tokens.result.total).toBe(2)
    expect(order[0]).toBe('released')
    expect((await call(base, token, 'node_info')).result.state).toBe('running')
    expect(readApiFile(t.dir)?.state).toBe('running')
    await held.node.stop()
  }, 60_000)

  it('a stop while starting undoes the start and tells a waiting call why', async () => {
    const { held, base, waiting } = await heldWithWaitingCall(t.dir)
    const stopped = held.node.stop()
    held.release()
    await stopped
    await expect(held.started).rejects.toMatchObject({ name: 'NodeStartCancelledError' })
    expect((await waiting).error).toMatchObject({ code: RPC_ERROR_CODES.NodeStartFailedError, data: { name: 'NodeStartFailedError' } })
    expect((await waiting).error?.message).toContain('stopped while starting')
    expect(held.node.status()).toMatchObject({ state: 'stopped', apiUrl: null })
    expect(fs.existsSync(path.join(t.dir, 'api.json'))).toBe(false)
    await expect(fetch(`${base}/rpc`, { method: 'POST' })).rejects.toThrow()
    // Nothing is left holding the data dir: it starts again.
    const again = createLineageNode(testNodeConfig(t.dir, { offline: true }), { logger: testLogger })
    await again.start()
    expect(again.status().state).toBe('running')
    await again.stop()
  }, 60_000)

  it('a part failing while starting stops the node and tells a waiting call the reason', async () => {
    const { held, waiting } = await heldWithWaitingCall(t.dir)
    held.fail(new Error('the sandbox could not load'))
    await expect(held.started).rejects.toThrow('the sandbox could not load')
    const answer = await waiting
    expect(answer.error).toMatchObject({ code: RPC_ERROR_CODES.NodeStartFailedError, message: 'The node did not start: the sandbox could not load' })
    expect(held.node.status().state).toBe('stopped')
    expect(fs.existsSync(path.join(t.dir, 'api.json'))).toBe(false)
  }, 60_000)
})
