import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { RPC_ERROR_CODES } from '../../src-main/api/index.js'
import { readApiToken } from '../../src-main/node/index.js'
import { createBlockstore } from '../../src-main/store/index.js'
import { ledgerReads } from '../../src-main/lineage/tokens/index.js'
import { postRpc } from '../helpers/rpc.js'
import { startTestNode } from '../helpers/test-node.js'
import type { TestNode } from '../helpers/test-node.js'
import { rawBlock } from '../lineage/pins/helpers.js'
import { startPinningService } from './pinning-service-server.js'
import type { PinningServiceServer } from './pinning-service-server.js'

const TOKEN = 'rpc-service-token-abcdefghijklmnop'

interface Answer { result?: unknown, error?: { code: number, message: string, data?: Record<string, unknown> } }

describe('remote_pin_* through a real node\'s HTTP API', () => {
  let t: TestNode
  /** A second node, named by the service as its delegate: the first must connect to it. */
  let delegate: TestNode
  let service: PinningServiceServer
  let apiToken: string
  let id = 0

  beforeAll(async () => {
    delegate = await startTestNode()
    service = await startPinningService({ token: TOKEN, delegates: delegate.node.status().listenAddresses.slice(0, 1) })
    t = await startTestNode()
    apiToken = readApiToken(t.node.config.dataDir) ?? ''
  }, 120_000)
  afterAll(async () => {
    await t?.stop()
    await delegate?.stop()
    await service?.close()
  })

  async function call (method: string, params?: unknown, withToken = true): Promise<Answer> {
    const headers: Record<string, string> = { 'content-type': 'application/json', ...(withToken ? { authorization: `Bearer ${apiToken}` } : {}) }
    const { json } = await postRpc(`${t.base}/rpc`, JSON.stringify({ jsonrpc: '2.0', id: ++id, method, ...(params === undefined ? {} : { params }) }), headers)
    return json as Answer
  }

  async function pinned (text: string): Promise<string> {
    const block = await rawBlock(text)
    createBlockstore(t.node.store, { transactionRows: ledgerReads }).putSync(block.cid, block.bytes)
    expect((await call('pin_add', [block.cid.toString()])).result).toMatchObject({ cid: block.cid.toString() })
    return block.cid.toString()
  }

  it('configures a service (token needed, never returned) and follows a pushed pin to pinned, with our addresses as origins', async () => {
    expect(await call('remote_pin_service_add', { name: 'psa', endpoint: service.url, token: TOKEN }, false)).toMatchObject({ error: { code: RPC_ERROR_CODES.Unauthorized } })
    const added = await call('remote_pin_service_add', { name: 'psa', endpoint: service.url, token: TOKEN })
    expect(added.result).toEqual({ name: 'psa', endpoint: service.url, token: '********mnop', auto_pin: false, created_at: expect.any(Number), pins: { queued: 0, pinning: 0, pinned: 0, failed: 0 } })
    expect(await call('remote_pin_service_ls', undefined, false)).toMatchObject({ error: { code: RPC_ERROR_CODES.Unauthorized } })
    const listed = await call('remote_pin_service_ls')
    expect(listed.result).toEqual([added.result])
    expect(JSON.stringify(listed)).not.toContain(TOKEN)

    const cid = await pinned('pushed over RPC')
    expect(await call('remote_pin_add', [cid, 'psa'], false)).toMatchObject({ error: { code: RPC_ERROR_CODES.Unauthorized } })
    expect((await call('remote_pin_add', [cid, 'psa'])).result).toMatchObject({ cid, service: 'psa', status: 'queued', requestid: expect.any(String) })
    const origins = service.posted[0]?.origins ?? []
    expect(origins.length).toBeGreaterThan(0)
    expect(origins).toEqual(t.node.status().listenAddresses.slice(0, 20))
    // The node dials the delegate on its libp2p host, so the service could fetch the blocks from it.
    await expect.poll(async () => ((await call('peers')).result as Array<{ peer_id: string }>).map(p => p.peer_id), { timeout: 30_000, interval: 100 }).toContain(delegate.node.peerId)

    await expect.poll(async () => ((await call('remote_pin_ls', [{ cid }])).result as Array<{ status: string }>)[0]?.status, { timeout: 30_000, interval: 100 }).toBe('pinned')
    expect((await call('remote_pin_ls', [{ status: 'pinned' }])).result).toEqual([expect.objectContaining({ cid, service: 'psa', status: 'pinned' })])
    expect((await call('remote_pin_rm', { cid, service: 'psa' })).result).toMatchObject({ cid, status: 'pinned' })
    expect((await call('remote_pin_ls')).result).toEqual([])
  })

  it('answers a wrong token, bad input and unknown names with their codes, and changes nothing it should not', async () => {
    expect((await call('remote_pin_service_add', ['bad', service.url, 'wrong-token'])).result).toMatchObject({ name: 'bad' })
    const cid = await pinned('refused')
    const refused = await call('remote_pin_add', { cid, service: 'bad' })
    expect(refused.error).toMatchObject({ code: RPC_ERROR_CODES.PinningServiceAuthError, message: expect.stringContaining('refused the access token (HTTP 401'), data: { name: 'PinningServiceAuthError' } })
    expect((await call('remote_pin_ls', [{ service: 'bad' }])).result).toEqual([expect.objectContaining({ cid, status: 'failed', reason: expect.stringContaining('refused the access token') })])

    expect(await call('remote_pin_service_add', { name: 'ftp', endpoint: 'ftp://pins.example.com', token: TOKEN })).toMatchObject({ error: { code: -32602, message: 'Invalid params: endpoint must be an http:// or https:// URL, not ftp:', data: { field: 'endpoint' } } })
    expect(await call('remote_pin_service_add', { name: 'bad', endpoint: service.url, token: TOKEN })).toMatchObject({ error: { code: RPC_ERROR_CODES.RemotePinServiceExistsError } })
    expect(await call('remote_pin_add', [cid, 'nope'])).toMatchObject({ error: { code: RPC_ERROR_CODES.RemotePinServiceNotFoundError } })
    expect(await call('remote_pin_add', ['bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy', 'bad'])).toMatchObject({ error: { code: RPC_ERROR_CODES.NotPinnedLocallyError } })
    expect(await call('remote_pin_add', ['not-a-cid', 'bad'])).toMatchObject({ error: { code: -32602, data: { field: 'cid' } } })
    expect(await call('remote_pin_ls', [{ status: 'done' }])).toMatchObject({ error: { code: -32602, data: { field: 'filter' } } })
    expect(await call('remote_pin_rm', [cid, 'psa'])).toMatchObject({ error: { code: RPC_ERROR_CODES.RemotePinNotFoundError } })
    expect(((await call('remote_pin_service_ls')).result as Array<{ name: string }>).map(s => s.name)).toEqual(['bad', 'psa'])

    expect((await call('remote_pin_service_rm', ['bad'])).result).toMatchObject({ name: 'bad', pins: { failed: 1 } })
    expect((await call('remote_pin_ls', [{ cid }])).result).toEqual([])
  })
})
