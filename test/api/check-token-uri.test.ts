import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readApiToken } from '../../src-main/node/index.js'
import { postRpc } from '../helpers/rpc.js'
import { startTestNode } from '../helpers/test-node.js'
import type { TestNode } from '../helpers/test-node.js'

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON answers, checked by the assertions
interface Reply { result?: any, error?: { code: number, message: string, data?: { field?: string } } }

const COLLECTION = { chain_id: '1', token_address: '0xBC4CA0EdA7647A8aB7C2061c2E118A18a936f13D' }
const PASSPHRASE = 'correct horse battery'
const CID = 'bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy'

// check_token_uri on a real node that serves publicly: its own public gateway, as a marketplace reads it.
describe('check_token_uri on a real node with a public gateway', () => {
  let running: TestNode
  let token: string
  let id = 0
  let gateway: http.Server
  let gatewayUrl: string
  beforeAll(async () => {
    running = await startTestNode({ offline: true, gatewayHost: '127.0.0.1', gatewayPort: 0 })
    token = readApiToken(running.node.config.dataDir) ?? ''
    await call('keys_new', ['studio', 'ed25519', PASSPHRASE])
    await call('sign_and_publish', ['studio', PASSPHRASE, { method: 'contract', ...COLLECTION, token_id: '', meta_contract_id: 'erc721' }])
    await running.node.lineage.settled()
    await call('sign_and_publish', ['studio', PASSPHRASE, { method: 'metadata', ...COLLECTION, token_id: '7', meta_contract_id: 'erc721', data: JSON.stringify({ name: 'Seven', image: 'ipfs://bafy/7.png' }) }])
    await running.node.lineage.settled()
    // Another IPFS gateway, named by the caller.
    gateway = http.createServer((request, response) => {
      if (request.url === `/ipfs/${CID}/7`) response.writeHead(200, { 'content-type': 'application/json' }).end('{"name":"Seven on IPFS"}')
      else response.writeHead(404).end()
    })
    await new Promise<void>(resolve => gateway.listen({ host: '127.0.0.1', port: 0 }, resolve))
    gatewayUrl = `http://127.0.0.1:${(gateway.address() as AddressInfo).port}`
  })
  afterAll(async () => {
    await new Promise(resolve => gateway?.close(resolve))
    await running?.stop()
  })

  async function call (method: string, params: unknown = [], withToken = true): Promise<Reply> {
    const headers: Record<string, string> = { 'content-type': 'application/json', ...(withToken ? { authorization: `Bearer ${token}` } : {}) }
    const { json } = await postRpc(`${running.base}/rpc`, JSON.stringify({ jsonrpc: '2.0', id: ++id, method, params }), headers)
    return json as Reply
  }

  it('reads a token from the node\'s own public gateway as a marketplace would', async () => {
    const publicUrl = running.node.status().publicGatewayUrl ?? ''
    expect(publicUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    const uri = `${publicUrl}/metadata/1/${COLLECTION.token_address.toLowerCase()}/7`
    const { result } = await call('check_token_uri', [uri])
    expect(result).toMatchObject({ ok: true, url: uri, redirects: 0, status: 200, name: 'Seven', image: 'ipfs://bafy/7.png' })
    expect(result.content_type).toContain('application/json')
    expect(result.bytes).toBeGreaterThan(0)
    expect(result.problem).toBeUndefined()
    expect((await call('check_token_uri', { uri: `${publicUrl}/metadata/1/${COLLECTION.token_address.toLowerCase()}/8` })).result).toMatchObject({ ok: false, status: 404, problem: 'answered 404' })
  })

  it('resolves ipfs:// through the node\'s public gateway by default, or the IPFS gateway the caller names', async () => {
    const publicUrl = running.node.status().publicGatewayUrl ?? ''
    const own = (await call('check_token_uri', [`ipfs://${CID}/7`])).result
    expect(own).toMatchObject({ ok: false, url: `${publicUrl}/ipfs/${CID}/7` })
    // Offline, the node lacks that block: its gateway says so, and the check reports the answer it got.
    expect(own.status).toBe((await fetch(`${publicUrl}/ipfs/${CID}/7`)).status)
    expect((await call('check_token_uri', { uri: `ipfs://${CID}/7`, ipfs_gateway: gatewayUrl })).result).toMatchObject({ ok: true, url: `${gatewayUrl}/ipfs/${CID}/7`, name: 'Seven on IPFS' })
  })

  it('makes the node fetch only for its owner, and refuses what is not a tokenURI naming the field', async () => {
    expect((await call('check_token_uri', [`${gatewayUrl}/ipfs/${CID}/7`], false)).error?.code).toBe(-32004)
    expect((await call('check_token_uri', ['ftp://example.com/7'])).error).toMatchObject({ code: -32602, message: expect.stringContaining('must start with https://, http:// or ipfs://'), data: { field: 'uri' } })
    expect((await call('check_token_uri', [`ipfs://${CID}/7`, 'gateway.example'])).error).toMatchObject({ code: -32602, data: { field: 'ipfs_gateway' } })
    expect((await call('check_token_uri', [''])).error).toMatchObject({ code: -32602, data: { field: 'uri' } })
  })
})
