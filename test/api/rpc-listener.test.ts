// JSON-RPC posts on a running node are read by its listener, past the HTTP app (whose routing and
// hooks cost half of a read), and cacheable reads come from memory while the store stands. Both
// must be invisible: the answer is the app's, byte for byte, and a write is seen by the next read.
import http from 'node:http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ReceiptInfo, TokenInfo, TokenPageInfo } from '../../src-main/api/index.js'
import { readApiToken } from '../../src-main/node/index.js'
import type { LineageNode } from '../../src-main/node/index.js'
import { evmSigner } from '../helpers/signers.js'
import { startTestNode } from '../helpers/test-node.js'
import type { TestNode } from '../helpers/test-node.js'

const COLLECTION = { chain_id: '1', token_address: '0x00000000000000000000000000000000000c4c4e' }

interface Answer { status: number, type: string | undefined, length: string | undefined, body: string }

/**
 * Posts `body` either with a Content-Length (what the listener reads itself) or chunked, with
 * none (what it leaves to the HTTP app), and returns what came back.
 */
async function post (base: string, body: string, { chunked = false, headers = {} }: { chunked?: boolean, headers?: Record<string, string> } = {}): Promise<Answer> {
  const url = new URL('/rpc', base)
  return await new Promise((resolve, reject) => {
    const request = http.request(url, { method: 'POST', headers: { 'content-type': 'application/json', ...(chunked ? {} : { 'content-length': Buffer.byteLength(body) }), ...headers } }, response => {
      const chunks: Buffer[] = []
      response.on('data', (chunk: Buffer) => { chunks.push(chunk) })
      response.on('end', () => {
        resolve({ status: response.statusCode ?? 0, type: response.headers['content-type'], length: response.headers['content-length'], body: Buffer.concat(chunks).toString('utf8') })
      })
    })
    request.on('error', reject)
    if (chunked) {
      // Two writes: Node sends a body of unknown length chunked.
      request.write(body.slice(0, 5))
      request.end(body.slice(5))
    } else {
      request.end(body)
    }
  })
}

describe('JSON-RPC through the node\'s listener and its read cache', () => {
  let running: TestNode
  let node: LineageNode
  let token: string
  const writer = evmSigner()

  async function publish (tokenId: string, content: unknown): Promise<ReceiptInfo> {
    const request = await writer.sign({ method: tokenId === '' ? 'contract' : 'metadata', ...COLLECTION, token_id: tokenId, meta_contract_id: 'erc721', alias: '', version: 'v1', data: JSON.stringify(content), mcdata: '' })
    const { hash } = node.lineage.publish(request)
    await node.lineage.settled()
    const receipt = node.lineage.receipt(hash)
    if (receipt === undefined) throw new Error('no receipt')
    return receipt
  }
  const rpc = (method: string, params: unknown, id: unknown = 1): string => JSON.stringify({ jsonrpc: '2.0', id, method, params })

  beforeAll(async () => {
    running = await startTestNode()
    node = running.node
    token = readApiToken(node.config.dataDir) ?? ''
    expect((await publish('', {})).status).toBe('applied')
    expect((await publish('1', { name: 'One' })).status).toBe('applied')
  })
  afterAll(async () => { await running.stop() })

  it('answers as the HTTP app does, byte for byte: reads, refusals, parse errors, batches, notifications', async () => {
    const bodies = [
      rpc('get_token', [{ ...COLLECTION, token_id: '1' }]),
      rpc('list_tokens', [COLLECTION, { limit: 10 }], 'page'),
      rpc('get_token', [{ ...COLLECTION, token_id: 'not a number' }]),
      rpc('list_keys', []),
      rpc('no_such_method', []),
      '{"jsonrpc":"2.0","id":1,',
      JSON.stringify([{ jsonrpc: '2.0', id: 1, method: 'get_node_clock' }, { jsonrpc: '2.0', id: 2, method: 'get_token', params: [{ ...COLLECTION, token_id: '1' }] }]),
      JSON.stringify({ jsonrpc: '2.0', method: 'get_token', params: [{ ...COLLECTION, token_id: '1' }] }),
    ]
    for (const body of bodies) {
      const [fast, app] = [await post(running.base, body), await post(running.base, body, { chunked: true })]
      // The clock moves between two calls: compare the batch without its first answer.
      const comparable = (a: Answer): unknown => ({ ...a, body: a.body.replace(/"result":\d+/, '"result":0') })
      expect(comparable(fast)).toEqual(comparable(app))
    }
    const owner = { authorization: `Bearer ${token}` }
    expect(await post(running.base, rpc('list_keys', []), { headers: owner })).toEqual(await post(running.base, rpc('list_keys', []), { headers: owner, chunked: true }))
    expect((await post(running.base, rpc('get_token', [{ ...COLLECTION, token_id: '1' }]))).type).toBe('application/json; charset=utf-8')
  })

  it('refuses a web page\'s Origin and a foreign Host in the app\'s words, reading nothing', async () => {
    const body = rpc('get_token', [{ ...COLLECTION, token_id: '1' }])
    const page = await post(running.base, body, { headers: { origin: 'http://evil.example' } })
    expect(page.status).toBe(403)
    expect(page).toEqual(await post(running.base, body, { headers: { origin: 'http://evil.example' }, chunked: true }))
    const rebound = await post(running.base, body, { headers: { host: 'evil.example' } })
    expect(rebound.status).toBe(403)
    expect(JSON.parse(rebound.body)).toEqual({ error: 'This Lineage node only answers requests addressed to 127.0.0.1 or localhost.' })
  })

  it('a read after a write sees the write: token, page and slot answers are never stale', async () => {
    const ref = { ...COLLECTION, token_id: '1' }
    const read = async (): Promise<TokenInfo> => (JSON.parse((await post(running.base, rpc('get_token', [ref]))).body) as { result: TokenInfo }).result
    const page = async (): Promise<TokenPageInfo> => (JSON.parse((await post(running.base, rpc('list_tokens', [COLLECTION, { limit: 10 }]))).body) as { result: TokenPageInfo }).result
    const before = await read()
    expect(await read()).toEqual(before)
    expect((await page()).total).toBe(1)
    expect(before.slots[0]?.content).toEqual({ name: 'One' })
    expect((await publish('1', { name: 'One', description: 'edited' })).status).toBe('applied')
    const after = await read()
    expect(after.slots[0]?.content).toEqual({ name: 'One', description: 'edited' })
    expect(after.receipts.applied).toBe(before.receipts.applied + 1)
    const slot = [after.data_key, 'erc721', writer.publicKey.toLowerCase(), '', 'v1']
    const metadata = async (): Promise<unknown> => (JSON.parse((await post(running.base, rpc('get_metadata', slot))).body) as { result: { content: unknown } }).result.content
    expect(await metadata()).toEqual({ name: 'One', description: 'edited' })
    expect((await publish('2', { name: 'Two' })).status).toBe('applied')
    expect((await page()).items.map(i => i.token_id)).toEqual(['1', '2'])
    expect((await publish('1', { name: 'One', description: 'again' })).status).toBe('applied')
    expect(await metadata()).toEqual({ name: 'One', description: 'again' })
  })
})
